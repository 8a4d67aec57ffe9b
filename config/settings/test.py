"""Settings for the test suite: same stack, fast password hashing."""

from .base import *  # noqa: F403

SECRET_KEY = "test-only-key-not-secret-" + "x" * 40
DEBUG = False
DEMO_LOGINS_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AXES_ENABLED = True
LOGGING = {"version": 1, "disable_existing_loggers": False}

# Tasks run at once in tests, unless a test runs the real database worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
