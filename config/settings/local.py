"""Settings for a developer's machine and the demo: DEBUG on, demo log-ins allowed."""

from socprofiles.core.env import env_bool, local_secret_key

from .base import *  # noqa: F403
from .base import VAR_DIR

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = SECRET_KEY or local_secret_key(VAR_DIR / "secret_key")  # noqa: F405
# Demo accounts (fictional people, no second factor) only ever work with DEBUG on.
DEMO_LOGINS_ENABLED = DEBUG
