"""One settings file, driven by the environment.

Every value a deployment may change is read here, once, from an environment variable with a safe
local default: run it as it is and you get a development server on SQLite; set DEBUG=0, SECRET_KEY,
ALLOWED_HOSTS and DATABASE_URL and you get a production configuration that passes
`manage.py check --deploy`. docs/deployment.md lists every variable.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be 1 or 0 (true or false), not {value!r}")


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


DEBUG = envbool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set SECRET_KEY (a long random string) when DEBUG=0.")
    SECRET_KEY = "django-insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")
SITE_NAME = os.environ.get("SITE_NAME", "Careerladder")
# The app's public address, for links in emails sent outside a request (reminders).
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "simple_history",
    # The task queue's table (django-tasks-db), installed whatever TASKS_BACKEND says so that the
    # schema never depends on the environment; brag/task_queue.py keeps it out of the admin.
    "brag.task_queue.TaskQueueConfig",
    "careerladder",
    "ladder",
    "people",
    "brag",
    "reviews",
    "audit",
    "portability",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "careerladder.middleware.PrivatePagesMiddleware",
    "careerladder.middleware.HtmxSignInMiddleware",
    "careerladder.sessions.SessionTimeoutMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "audit.middleware.DeniedRequestLogMiddleware",
]

ROOT_URLCONF = "careerladder.urls"
WSGI_APPLICATION = "careerladder.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "careerladder.context_processors.site",
            ],
        },
    },
]

# Database: a SQLite file by default, so that nothing needs installing; any DATABASE_URL that
# dj-database-url understands otherwise. PostgreSQL goes through psycopg 3 and Django's own
# connection pool (which requires CONN_MAX_AGE = 0).
DATABASE_URL = os.environ.get("DATABASE_URL", "") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    if envbool("DATABASE_POOL", True):
        DATABASES["default"]["CONN_MAX_AGE"] = 0
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": envint("DATABASE_POOL_MIN", 2),
            "max_size": envint("DATABASE_POOL_MAX", 10),
        }
    DATABASES["default"].setdefault("TEST", {})["NAME"] = os.environ.get("TEST_DATABASE_NAME")
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the dev server and a management command share the file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "people.User"

# Django's and allauth's, loading the signed-in person with their track and levels
# (people/backends.py).
AUTHENTICATION_BACKENDS = [
    "people.backends.ModelBackend",
    "people.backends.AuthenticationBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Sign-in: django-allauth, by email only. Sign-up is closed unless ALLOW_SIGNUP=1: staff create
# people in the admin, and they set their password through the reset link.
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_LOGIN_ON_PASSWORD_RESET = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_ADAPTER = "people.adapters.AccountAdapter"
ACCOUNT_ALLOW_SIGNUP = envbool("ALLOW_SIGNUP", False)
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
# Sign-in limits count in the shared cache below, so every worker sees the same numbers. Per
# address and per account: an attacker locks out at most the account they guess at, for minutes,
# never everyone (which a per-address limit would do behind a proxy that hides the client address).
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
# Behind N reverse proxies, the client address is the Nth address from the right of
# X-Forwarded-For. Leave 0 when clients connect directly; docs/deployment.md explains.
ALLAUTH_TRUSTED_PROXY_COUNT = envint("TRUSTED_PROXY_COUNT", 0)

# Two-factor sign-in through allauth's MFA: an authenticator app (TOTP) and recovery codes, for
# everyone who wants it; MFA_REQUIRED_FOR_STAFF=1 makes it a condition of using the admin.
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME
# The TOTP secret and recovery-code seed are stored encrypted (people/adapters.py).
MFA_ADAPTER = "people.adapters.MFAAdapter"
MFA_REQUIRED_FOR_STAFF = envbool("MFA_REQUIRED_FOR_STAFF", False)

# Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_MAX_HOURS after sign-in
# whatever happens; both are checked on every request by careerladder.sessions.
SESSION_IDLE_MINUTES = envint("SESSION_IDLE_MINUTES", 8 * 60)
SESSION_MAX_HOURS = envint("SESSION_MAX_HOURS", 14 * 24)
SESSION_COOKIE_AGE = SESSION_MAX_HOURS * 3600

# Email, through Django 6.1's MAILERS. Locally (DEBUG=1) messages are printed to the console unless
# EMAIL_HOST is set; in production they go over SMTP, to a relay on localhost:25 by default.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "" if DEBUG else "localhost")
if EMAIL_HOST:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": EMAIL_HOST,
                "port": envint("EMAIL_PORT", 25 if EMAIL_HOST == "localhost" else 587),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": envbool("EMAIL_USE_TLS", EMAIL_HOST != "localhost"),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
del EMAIL_HOST  # read only through MAILERS; the EMAIL_* settings are deprecated in Django 6.1
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "careerladder@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "careerladder.storage.ManifestOrPlainStaticFilesStorage"
        if not DEBUG and not envbool("TESTING", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
# Also serve the apps' own static folders, so a start without collectstatic still has its
# stylesheet (careerladder/storage.py then links the plain names).
WHITENOISE_USE_FINDERS = True

# One cache shared by every worker and surviving restarts: a table in the database, created by
# the careerladder app's migration, so `migrate` is all a deployment runs. Sign-in limits live here.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "careerladder_cache",
    }
}

# Background tasks (django.tasks). "database": queued in a table and run by the worker
# (`manage.py db_worker`), so a cron job only enqueues and a slow mail server holds up nobody.
# "immediate": run at once in the calling process, for a development server with no worker.
# Production defaults to the queue (docker-compose runs a worker; docs/deployment.md the unit).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"TASKS_BACKEND must be database or immediate, not {TASKS_BACKEND!r}"
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND]}}

# Largest ladder file accepted by the upload page.
LADDER_UPLOAD_MAX_BYTES = envint("LADDER_UPLOAD_MAX_BYTES", 512 * 1024)

# Security. HTTPS defaults to on whenever DEBUG is off: cookies are then secure, plain HTTP is
# redirected and HSTS is sent. Behind a TLS-terminating proxy set SECURE_PROXY_SSL_HEADER=1 so that
# Django trusts its X-Forwarded-Proto header.
HTTPS = envbool("HTTPS", not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
if envbool("SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Content Security Policy through Django's own middleware. Scripts come from our static files
# only (htmx included), so no 'unsafe-inline' is needed; styles likewise.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
