"""Settings shared by every environment. Values that differ per deployment come from the
environment through socprofiles.core.env, which refuses bad values (DESIGN habit 8)."""

from __future__ import annotations

from pathlib import Path

from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from socprofiles.core.env import (
    database_from_env,
    env_bool,
    env_choice,
    env_int,
    env_list,
    env_str,
)

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("SOCPROFILES_VAR_DIR", str(BASE_DIR / "var")))

SERVICE_NAME = "SOC Partnership Platform"
DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_str("SECRET_KEY", "")  # each environment module decides what is acceptable
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "socprofiles.core.apps.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "ninja",
    "crispy_forms",
    "crispy_forms_gds",
    "govuk_frontend_django",
    "django_tasks",
    "django_tasks_db",
    "socprofiles.core",
    "socprofiles.audit",
    "socprofiles.accounts",
    "socprofiles.datasets",
    "socprofiles.morile",
    "socprofiles.analysis",
    "socprofiles.profiles",
    "socprofiles.sharing",
    "socprofiles.actions",
    "socprofiles.gain",
    "socprofiles.ocgs",
    "socprofiles.selfassessment",
    "socprofiles.referrals",
    "socprofiles.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "socprofiles.core.middleware.RefuseNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "socprofiles.accounts.middleware.RequireTwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "socprofiles" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "socprofiles.core.context_processors.service",
            ],
        },
    },
]

DATABASES = {"default": database_from_env(VAR_DIR / "socprofiles.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "socprofiles.accounts.backends.PlatformBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sessions end after a period of inactivity: each request pushes the expiry forward.
SESSION_IDLE_MINUTES = env_int("SESSION_IDLE_MINUTES", 30, minimum=5, maximum=480)
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Two-factor authentication (django-otp). Demo accounts are exempt only while demo
# log-ins are enabled, which needs DEBUG (see accounts.backends).
OTP_TOTP_ISSUER = SERVICE_NAME
DEMO_LOGINS_ENABLED = False

# Lockout after repeated failures (django-axes), per user name so that spreading
# guesses over many addresses does not help.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5, minimum=3, maximum=20)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
# Not also per address: forces and councils reach us through shared proxies, and an address
# lockout would lock out a whole organisation after a few people mistype (ADR 0005).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise scans it at start-up
STATICFILES_DIRS = [BASE_DIR / "build" / "static", BASE_DIR / "socprofiles" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
WHITENOISE_USE_FINDERS = True

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# Shared between the web processes and the task worker (import progress): files by default,
# Redis in production (REDIS_URL).
_REDIS_URL = env_str("REDIS_URL", "-")

# The task queue: the database (`manage.py task_worker`), or at national scale RQ on Redis
# (TASK_BACKEND=rq with REDIS_URL; `manage.py rqworker default`). docs/how-to/deploy.md.
TASK_BACKEND = env_choice("TASK_BACKEND", "database", ("database", "rq"))
TASKS: dict[str, dict[str, object]] = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
if TASK_BACKEND == "rq":
    if _REDIS_URL == "-":
        raise ImproperlyConfigured("TASK_BACKEND=rq needs REDIS_URL (redis://host:port/db).")
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    # An import may take a while: an hour before RQ gives up on a job.
    RQ_QUEUES = {"default": {"URL": _REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _REDIS_URL}
        if _REDIS_URL != "-"
        else {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    )
}

# Partner data files (datasets app).
DATASET_UPLOAD_DIR = VAR_DIR / "uploads"
DATASET_MAX_FILE_MB = env_int("DATASET_MAX_FILE_MB", 1024, minimum=1, maximum=16384)
DATASET_MAX_UNCOMPRESSED_MB = env_int("DATASET_MAX_UNCOMPRESSED_MB", 4096, minimum=1)
FILE_UPLOAD_TEMP_DIR = None

# The public self-assessment: a submission is refused if it comes sooner than this after the
# first question (people read; programs do not), after this many from one browser session
# (the respondent still sees their advice), or beyond this many a minute across the service.
SELF_ASSESSMENT_MIN_SECONDS = env_int("SELF_ASSESSMENT_MIN_SECONDS", 15, minimum=0, maximum=600)
SELF_ASSESSMENT_MAX_PER_SESSION = env_int("SELF_ASSESSMENT_MAX_PER_SESSION", 3, minimum=1)
SELF_ASSESSMENT_MAX_PER_MINUTE = env_int("SELF_ASSESSMENT_MAX_PER_MINUTE", 60, minimum=1)

# E-mail (review reminders): an SMTP relay when EMAIL_HOST is set, otherwise messages are
# written as files under var/mail, so nothing leaves a closed network by surprise.
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "soc-platform@localhost")
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1, maximum=65535)
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")

# Local Profile documents: rendered figures are cached here, keyed by their content.
PROFILE_FIGURE_CACHE = VAR_DIR / "cache" / "figures"

# Strict Content-Security-Policy: no inline script or style anywhere, no third party.
# The analysis page's interactive map draws LSOAs on a blank background by default; a tile
# server (for example an organisation's own) may be configured, and is then allowed by CSP.
ANALYSIS_TILE_URL = env_str("ANALYSIS_TILE_URL", "")
ANALYSIS_TILE_ATTRIBUTION = env_str("ANALYSIS_TILE_ATTRIBUTION", "")
_TILE_ORIGIN = ""
if ANALYSIS_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tile = _urlsplit(ANALYSIS_TILE_URL.replace("{s}", "a"))
    if _tile.scheme != "https" or not _tile.netloc:
        raise ImproperlyConfigured(
            "ANALYSIS_TILE_URL must be an https URL like https://tiles.example.org/{z}/{x}/{y}.png"
        )
    _TILE_ORIGIN = f"https://{ANALYSIS_TILE_URL.split('/')[2]}"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
        "manifest-src": [SELF],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

# django-ninja: the interactive API documentation is served from local static files.
NINJA_PAGINATION_PER_PAGE = 50
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90, minimum=1, maximum=366)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

CSRF_FAILURE_VIEW = "socprofiles.core.views.csrf_failure"
