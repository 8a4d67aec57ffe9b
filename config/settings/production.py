"""Production: every secret from the environment, HTTPS only, no demo log-ins."""

from django.core.exceptions import ImproperlyConfigured
from whitenoise.compress import Compressor

from socprofiles.core.env import env_bool, env_int, env_str
from socprofiles.core.logs import production_logging

from .base import *  # noqa: F403
from .base import MIDDLEWARE, SECRET_KEY, STORAGES

DEBUG = False
if env_bool("DEBUG", False):
    raise ImproperlyConfigured("DEBUG must not be on with config.settings.production.")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production."
    )
DEMO_LOGINS_ENABLED = False

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

WHITENOISE_USE_FINDERS = False
# Source maps are for developers' tools: not worth compressing (collectstatic's slowest part).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# JSON log lines on standard error, scrubbed of personal data; one line per request naming
# its route, never its path, user or address (socprofiles/core/logs.py, docs/how-to/deploy.md).
LOGGING = production_logging(env_str("LOG_LEVEL", "INFO"))
MIDDLEWARE = ["socprofiles.core.logs.RequestLogMiddleware", *MIDDLEWARE]
