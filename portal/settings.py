"""The portal's only settings module, read top to bottom.

Every value comes from the environment through the small typed helpers below, with
defaults that let `make run` work on a fresh checkout (SQLite, in-process tasks,
console email). Production sets DEBUG off and must then provide SECRET_KEY.
"""

from __future__ import annotations

import os
import time as time_module
from datetime import time
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from celery.schedules import crontab

from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


# --- Environment helpers -------------------------------------------------------------


def env_str(name: str, default: str = "") -> str:
    return os.getenv(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.getenv(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.getenv(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.getenv(name)
    if raw is None or raw.strip() == "":
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, default: str = "") -> str:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/K8s secrets)."""
    file_path = os.getenv(f"{name}_FILE")
    if file_path:
        try:
            return Path(file_path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE points to an unreadable file: {file_path}") from exc
    return os.getenv(name, default)


def database_from_url(url: str) -> dict:
    """Turn postgres://user:pass@host:port/name?sslmode=… or sqlite:///path into DATABASES['default']."""
    parsed = urlparse(url)
    if parsed.scheme in ("postgres", "postgresql", "pgsql"):
        options = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "OPTIONS": options,
            # Persistent connections: gunicorn workers reuse them between requests.
            "CONN_MAX_AGE": env_int("DATABASE_CONN_MAX_AGE", 60),
            "CONN_HEALTH_CHECKS": True,
        }
    if parsed.scheme == "sqlite":
        # sqlite:///relative.db or sqlite:////absolute/path.db, as dj-database-url reads them.
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": unquote(parsed.path[1:])}
    raise ImproperlyConfigured(f"DATABASE_URL has an unsupported scheme: {parsed.scheme!r}")


def load_dotenv(path: Path) -> None:
    """Read KEY=VALUE lines from a git-ignored .env file; real environment variables win.

    `make install` writes a development .env (DEBUG=1) when there is none, so plain
    `python manage.py …` works in a checkout; docker-compose reads the same file.
    """
    if not path.is_file():
        return
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, value = line.split("=", 1)
        os.environ.setdefault(key.strip(), value.strip().strip('"').strip("'"))


load_dotenv(BASE_DIR / ".env")

# --- Core -----------------------------------------------------------------------------

DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY is required when DEBUG is off (set DEBUG=1 for local development).")
    # Only for local development: a fixed, clearly insecure key so sessions survive restarts.
    SECRET_KEY = "dev-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
PORTAL_NAME = env_str("PORTAL_NAME", "Cổng Dịch vụ công")
# Part of the cache key of the anonymous page shell: a new release (or, by default, a new process)
# never serves a header rendered from older templates.
SHELL_CACHE_VERSION = env_str("RELEASE", str(int(time_module.time())))

INSTALLED_APPS = [
    # The admin site with the staff second-factor check (accounts/admin_site.py).
    "accounts.admin_site.SecondFactorAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal",
    "accounts",
    "workdays",
    "notifications",
    "procedures",
    "applications",
    "docstore",
    "payments",
    "postal",
    "feedback",
    # (rest_framework itself is not installed as an app: its browsable pages and their static files are not used.)
    "drf_spectacular",
    "api",
    "national",
    "vault",
    "quality",
    "retention",
    # Operations (backups): reads every app, imported by none.
    "ops",
    "monitoring",
]
if DEBUG:
    # Simulated outside systems (the payment gateway's bank): they must not exist in production,
    # so their app, tables and URLs are there only in development and tests.
    INSTALLED_APPS.append("sandbox")

MIDDLEWARE = [
    # First: the request id, the access log line and the request metrics cover everything below.
    "monitoring.middleware.RequestMonitoringMiddleware",
    # Pins a browser that has just written to the primary database (only with a read replica).
    "portal.lib.replica.ReplicaPinMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session: anonymous visitors' catalogue pages come from Redis without it (page_cache.py).
    "portal.lib.page_cache.AnonymousPageCacheMiddleware",
    # Also before the session: signed-in pages kept while nothing they show changed (personal_pages.py).
    "portal.lib.personal_pages.PersonalPageMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.LanguageMiddleware",
    "portal.middleware.RequestSizeLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.middleware.PrivatePagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After OTPMiddleware (it reads the verified device) and messages (it says why a session ended).
    "portal.middleware.StaffSecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "portal.middleware.SecurityHeadersMiddleware",
    # Axes must come last so it sees the authentication outcome.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "notifications.context_processors.unread",
            ],
            "builtins": ["portal.templatetags.portal_extras"],
        },
    }
]
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

# --- Database ---------------------------------------------------------------------------

DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": database_from_url(DATABASE_URL)}
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def replica_database_from_url(url: str) -> dict:
    """DATABASES['replica']: a PostgreSQL streaming replica of the primary.

    A hot standby cannot hold a test database, so a test run that sets DATABASE_REPLICA_URL reads the
    primary's test database through this alias (MIRROR), as Django recommends for replicas."""
    config = database_from_url(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise ImproperlyConfigured("DATABASE_REPLICA_URL must be a PostgreSQL URL (a streaming replica)")
    return {**config, "TEST": {"MIRROR": "default"}}


# Reports (the quality dashboard and its exports, /minh-bach/, the payment report, the tracking book)
# read from this replica when it is set (portal/lib/replica.py); the workflow, every write, Celery tasks
# and migrations always use DATABASE_URL. Unset: one database, as before.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
DATABASE_REPLICA_ALIAS = ""
if DATABASE_REPLICA_URL:
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_REPLICA_URL needs DATABASE_URL (the primary) as well")
    DATABASES["replica"] = replica_database_from_url(DATABASE_REPLICA_URL)
    DATABASE_REPLICA_ALIAS = "replica"
DATABASE_ROUTERS = ["portal.lib.replica.ReadReplicaRouter"]
# After a write (any POST/PUT/PATCH/DELETE) the browser reads the primary for this long, so what it has
# just done shows at once even while the replica lags.
REPLICA_PIN_SECONDS = env_int("REPLICA_PIN_SECONDS", 15)

# --- Accounts and security ------------------------------------------------------------

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first: it refuses locked-out credentials before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Then a per-address limit across accounts, then the password check itself.
    "accounts.backends.ClientIpThrottleBackend",
    "accounts.backends.EmailOrPhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
# Password-reset and activation links (single-use by construction) expire after an hour.
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT_MINUTES", 60) * 60
# Reset requests per hour: per client address, and per account (email or phone typed).
PASSWORD_RESET_IP_LIMIT = env_int("PASSWORD_RESET_IP_LIMIT", 10)
PASSWORD_RESET_ACCOUNT_LIMIT = env_int("PASSWORD_RESET_ACCOUNT_LIMIT", 3)
LOGIN_REDIRECT_URL = "portal:home"
LOGOUT_REDIRECT_URL = "portal:home"

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_MINUTES", 15) / 60  # hours
# Lock the account itself, whatever address the guesses come from and however its email or phone
# number is written (the callable resolves every spelling to one account). A looser per-address
# limit (LOGIN_IP_FAILURE_LIMIT, accounts.backends.ClientIpThrottleBackend) covers guessing across
# accounts; a shared counter PC with several citizens stays well below it.
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "accounts.throttle.login_account_key"
AXES_CLIENT_IP_CALLABLE = "accounts.throttle.axes_client_ip"
# axes warns when the lock ignores the address: the address has its own limit (see above).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
LOGIN_IP_FAILURE_LIMIT = env_int("LOGIN_IP_FAILURE_LIMIT", 30)
# Proxies in front of the portal that append the client's address to X-Forwarded-For (nginx
# `$proxy_add_x_forwarded_for`): 1 behind one TLS proxy. 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_HOPS = env_int("TRUSTED_PROXY_HOPS", 1 if (not DEBUG and env_bool("BEHIND_TLS_PROXY", True)) else 0)
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False

# --- Staff second factor (django-otp: TOTP authenticator apps, recovery codes) ---------------
# Every staff account (officers, specialists, leaders, admins) must pass a second factor before any
# back-office or admin page. It may be switched off only on a development machine (DEBUG on).
STAFF_2FA_REQUIRED = env_bool("STAFF_2FA_REQUIRED", True)
if not STAFF_2FA_REQUIRED and not DEBUG:
    raise ImproperlyConfigured("STAFF_2FA_REQUIRED can be off only with DEBUG on.")
# A staff session ends after this much inactivity, and when the browser closes.
STAFF_SESSION_IDLE_MINUTES = env_int("STAFF_SESSION_IDLE_MINUTES", 30)
# Approve, refuse, return a result, export personal data: the second factor must have been
# entered within this many minutes, otherwise it is asked again.
STAFF_2FA_RECHECK_MINUTES = env_int("STAFF_2FA_RECHECK_MINUTES", 10)
# Wrong codes allowed per account and per client address within the window, before the form refuses.
OTP_FAILURE_ACCOUNT_LIMIT = env_int("OTP_FAILURE_ACCOUNT_LIMIT", 5)
OTP_FAILURE_IP_LIMIT = env_int("OTP_FAILURE_IP_LIMIT", 20)
OTP_FAILURE_WINDOW_MINUTES = env_int("OTP_FAILURE_WINDOW_MINUTES", 15)
# The name an authenticator app shows next to the account.
OTP_TOTP_ISSUER = PORTAL_NAME
# Recovery codes given at enrolment (each works once).
OTP_RECOVERY_CODE_COUNT = 10

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# With Redis, sessions are read through it (portal/lib/sessions.py); the database keeps the record.
SESSION_ENGINE = "portal.lib.sessions" if env_str("REDIS_URL") else "django.contrib.sessions.backends.db"
SESSION_CACHE_SECONDS = env_int("SESSION_CACHE_SECONDS", 300)
# With Redis the signed-in user's row is read through it too (accounts/backends.py); without Redis
# the cache would be the database table, a query in place of a query, so it is off.
USER_CACHE_SECONDS = env_int("USER_CACHE_SECONDS", 60) if env_str("REDIS_URL") else 0
# Queue badges kept per member of staff, recounted after any write to their agencies' dossiers
# (applications/queues.py); off without Redis for the same reason.
QUEUE_COUNTS_SECONDS = env_int("QUEUE_COUNTS_SECONDS", 30) if env_str("REDIS_URL") else 0
# Signed-in pages served again while nothing they show has changed (portal/lib/personal_pages.py):
# the longest a change that no write announces (the clock) takes to show. Off without Redis.
PERSONAL_PAGE_SECONDS = env_int("PERSONAL_PAGE_SECONDS", 30) if env_str("REDIS_URL") else 0
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "portal.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Behind a TLS-terminating proxy (nginx, a load balancer) that sets X-Forwarded-Proto.
    if env_bool("BEHIND_TLS_PROXY", True):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# The health probe is plain HTTP inside the cluster network.
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
# A strict policy is possible because every script and style is served from our own static files.
CONTENT_SECURITY_POLICY = env_str(
    "CONTENT_SECURITY_POLICY",
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "form-action 'self' ; frame-ancestors 'none'; base-uri 'self'; object-src 'none'",
)

# --- Internationalisation --------------------------------------------------------------

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["portal.formats"]

# --- Static and media -------------------------------------------------------------------

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Public media (blank procedure templates) is served by views, never by the web server's
# static path; PRIVATE_MEDIA_ROOT holds citizens' attachments and issued documents and is
# only ever streamed through access-checked views.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private_media")))
# Object storage (S3-compatible: MinIO, SeaweedFS, Ceph RGW, a cloud bucket), for more than one web
# node. S3_BUCKET turns it on; without it files stay in the two folders above (`make run`). One
# private bucket: attachments and issued documents under "private/", blank forms under "public/"
# (public information, but still served by the portal's own view: no public ACL or bucket policy to
# get wrong, and no pre-signed URL naming an internal host such as minio:9000 that browsers cannot reach).
S3_BUCKET = env_str("S3_BUCKET")
S3_ENDPOINT_URL = env_str("S3_ENDPOINT_URL") or None  # unset: AWS itself
S3_ACCESS_KEY_ID = env_secret("S3_ACCESS_KEY_ID")
S3_SECRET_ACCESS_KEY = env_secret("S3_SECRET_ACCESS_KEY")
S3_REGION = env_str("S3_REGION", "us-east-1")


def s3_storage(location: str, backend: str = "portal.lib.storage.PrivateS3Storage") -> dict:
    return {
        "BACKEND": backend,
        "OPTIONS": {
            "bucket_name": S3_BUCKET, "location": location, "endpoint_url": S3_ENDPOINT_URL,
            # Empty keys: boto3's own chain (instance role, AWS_* variables); `check --deploy` warns.
            "access_key": S3_ACCESS_KEY_ID or None, "secret_key": S3_SECRET_ACCESS_KEY or None,
            "region_name": S3_REGION,
        },
    }


if S3_BUCKET:
    FILE_STORAGES = {
        "default": s3_storage("public", "portal.lib.storage.FormsS3Storage"),
        "private": s3_storage("private"),
    }
else:
    FILE_STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "private": {
            "BACKEND": "portal.lib.storage.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
        },
    }
STORAGES = {
    **FILE_STORAGES,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
UPLOAD_MAX_FILE_BYTES = env_int("UPLOAD_MAX_FILE_BYTES", 10 * 1024 * 1024)
UPLOAD_MAX_DOSSIER_BYTES = env_int("UPLOAD_MAX_DOSSIER_BYTES", 50 * 1024 * 1024)
UPLOAD_MAX_FILES_PER_DOSSIER = env_int("UPLOAD_MAX_FILES_PER_DOSSIER", 30)
# The largest request body accepted at all (several pages of one component in one upload).
UPLOAD_MAX_REQUEST_BYTES = env_int("UPLOAD_MAX_REQUEST_BYTES", UPLOAD_MAX_DOSSIER_BYTES + 1024 * 1024)
# Malware scanning of every upload by ClamAV's daemon over its unix socket (e.g. /run/clamav/clamd.ctl).
# Unset: no scanning (development); `check --deploy` warns. A file clamd cannot scan in time (down, slow)
# is kept in quarantine, never served, until the rescan job gives a verdict.
CLAMAV_SOCKET = env_str("CLAMAV_SOCKET", "")
CLAMAV_TIMEOUT_SECONDS = env_int("CLAMAV_TIMEOUT_SECONDS", 10)

# --- Cache ------------------------------------------------------------------------------

REDIS_URL = env_str("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "portal.lib.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            # A dead Redis must cost a request milliseconds, not a hang.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    CACHES["shared"] = CACHES["default"]
else:
    SHARED_DATABASE_CACHE = {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_shared_cache"}
    CACHES = {
        # The default cache holds more than speed-ups: back-channel logout tokens already used, API
        # tokens' owners (dropped on revocation), the catalogue's generation, unread counts. In one
        # process's memory each gunicorn worker, and each node, would keep its own stale copy, so
        # outside development it is the database table too (`check --deploy` asks for REDIS_URL).
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"} if DEBUG else SHARED_DATABASE_CACHE,
        # Rate-limit counters (login, password reset, tracking) must be one count for every
        # gunicorn worker: without Redis they live in a database table (created by a migration).
        # Production should set REDIS_URL all the same: the table costs a write per counted request.
        "shared": SHARED_DATABASE_CACHE,
    }
# The page shell's fragments (header menus, footer) depend only on the code (SHELL_CACHE_VERSION),
# the language and the role: each process keeps its own copy, which costs no round trip to Redis.
# The catalogue's rendered bodies are kept here too for a few seconds (procedures/views.py), keyed by
# the catalogue generation; MAX_ENTRIES bounds each process's memory (a body is ~10-40 KB).
CACHES["shell"] = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "shell",
                   "OPTIONS": {"MAX_ENTRIES": 600}}

# --- Email and SMS ----------------------------------------------------------------------

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend" if env_str("EMAIL_HOST") else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Cổng Dịch vụ công <no-reply@dichvucong.example.vn>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# "log" writes SMS to the log; "http" posts a signed request to SMS_GATEWAY_URL.
SMS_PROVIDER = env_str("SMS_PROVIDER", "log")
SMS_GATEWAY_URL = env_str("SMS_GATEWAY_URL")
SMS_GATEWAY_SECRET = env_secret("SMS_GATEWAY_SECRET")
SMS_SENDER = env_str("SMS_SENDER", "DVC")

# --- Celery -----------------------------------------------------------------------------

CELERY_BROKER_URL = env_str("CELERY_BROKER_URL")
# Without a broker, tasks run in-process so that `make run` needs nothing else.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_TIMEZONE = TIME_ZONE
# Tasks are idempotent, so a task is acknowledged only after it ran: a killed worker's task
# is delivered again instead of being lost.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 60)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 90)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must not hang a web request when Redis is down: the outbox sweeper re-sends later.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600), "max_retries": 1, "socket_timeout": 3,
    "socket_connect_timeout": 3,
    # How often a worker takes back tasks a dead worker left unacknowledged (kombu: every 10 × 10 s).
    "unacked_restore_interval": env_int("CELERY_UNACKED_RESTORE_INTERVAL", 10),
    "unacked_restore_throttle": env_int("CELERY_UNACKED_RESTORE_THROTTLE", 10),
}
CELERY_BROKER_CONNECTION_TIMEOUT = 3
CELERY_TASK_PUBLISH_RETRY = False
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {
    "notifications.*": {"queue": "notifications"},
    "applications.tasks.document_*": {"queue": "documents"},
    "payments.tasks.*": {"queue": "default"},
    "postal.tasks.*": {"queue": "default"},
    "national.tasks.*": {"queue": "default"},
    "monitoring.tasks.*": {"queue": "default"},
}
CELERY_BEAT_SCHEDULE = {
    # Re-dispatch notifications and documents whose task was lost (broker down, worker killed).
    "sweep-outbox": {"task": "notifications.tasks.outbox_sweep", "schedule": crontab(minute="*/2")},
    "sweep-documents": {"task": "applications.tasks.document_sweep", "schedule": crontab(minute="*/2")},
    # Every working morning: tell staff what is due within one working day and what is overdue.
    "deadline-digest": {"task": "applications.tasks.deadline_digest", "schedule": crontab(hour=7, minute=0)},
    # Ask the payment provider about attempts that never got a notification.
    "payments-reconcile": {"task": "payments.tasks.payment_reconcile", "schedule": crontab(minute="*/5")},
    # Retry postal orders the operator has not accepted yet (down, slow, task lost).
    "postal-orders-sweep": {"task": "postal.tasks.postal_orders_sweep", "schedule": crontab(minute="*/2")},
    # Ask the postal operator about parcels with no news (a lost callback).
    "postal-orders-poll": {"task": "postal.tasks.postal_orders_poll", "schedule": crontab(minute=15)},
    # Every working morning: petitions (phản ánh, kiến nghị) due soon or overdue, to their handlers.
    "petition-reminders": {"task": "feedback.tasks.petition_reminders", "schedule": crontab(hour=7, minute=10)},
    # Files kept in quarantine while the malware scanner was down or slow: scan again, release or remove.
    "attachments-rescan": {"task": "applications.tasks.attachments_rescan", "schedule": crontab(minute="*/5")},
    # Push status changes the national portal has not acknowledged yet (down, task lost, backoff over).
    "national-sync-sweep": {"task": "national.tasks.national_sync_sweep", "schedule": crontab(minute="*")},
    # Every morning: yesterday's national sync count and what is still waiting or failed, to the administrators.
    "national-sync-digest": {"task": "national.tasks.national_sync_digest", "schedule": crontab(hour=7, minute=5)},
    # Every morning: what failed for good (notifications, syncs, documents, payments, postal orders), to the
    # administrators, with links to the admin lists.
    "failures-digest": {"task": "monitoring.tasks.failures_digest", "schedule": crontab(hour=7, minute=15)},
    # Pull mode only (NATIONAL_INBOUND_MODE=pull): fetch the dossiers filed on the national portal.
    "national-inbound-pull": {"task": "national.tasks.national_inbound_pull", "schedule": crontab(minute="*/5")},
    # Fold new dossier events into the service-quality summary (Decision 766 dashboard, /minh-bach/).
    "quality-summary-refresh": {"task": "quality.tasks.quality_summary_refresh", "schedule": crontab(minute="*/5")},
    # Just after midnight: procedure versions published with a future effective date take effect.
    "procedure-versions-activate": {
        "task": "procedures.tasks.procedure_versions_activate", "schedule": crontab(hour=0, minute=5),
    },
    # Forget the API's stored idempotent answers once they are older than API_IDEMPOTENCY_HOURS.
    "api-idempotency-prune": {"task": "api.tasks.idempotency_prune", "schedule": crontab(hour=3, minute=20)},
    # Anonymise dossiers past their retention period, delete stale drafts and old petitions' details.
    "retention-nightly": {"task": "retention.tasks.retention_nightly", "schedule": crontab(hour=2, minute=40)},
}

# --- Data lifecycle (retention) --------------------------------------------------------------
# Personal data of an ended dossier is kept this many years when no RetentionRule row says otherwise
# (the installation's choice where the law leaves it to the agency; Law 91/2025/QH15: no longer than needed).
RETENTION_DEFAULT_YEARS = env_int("RETENTION_DEFAULT_YEARS", 10)
# Drafts never submitted are deleted after this many days without a change.
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 90)
# Petitions (phản ánh, kiến nghị) lose the sender's details this many years after the answer.
PETITION_RETENTION_YEARS = env_int("PETITION_RETENTION_YEARS", 5)
# How many personal-data exports a citizen may download per hour.
PERSONAL_EXPORT_LIMIT_PER_HOUR = env_int("PERSONAL_EXPORT_LIMIT_PER_HOUR", 5)

# Test-only knob: makes every PDF render wait, so reliability tests can kill a worker mid-render.
PDF_RENDER_DELAY_SECONDS = env_int("PDF_RENDER_DELAY_SECONDS", 0)

# --- Digital signatures (vault) ----------------------------------------------------------

# Signing keys are configured per agency and per leader in the admin (vault.SigningKey); the rows
# name a PKCS#12 file or a PKCS#11 token and the environment variable or file holding the secret,
# Where `vault_demo_ca` writes the demo certificate authority and its certificates (git-ignored).
VAULT_DEMO_DIR = Path(env_str("VAULT_DEMO_DIR", str(BASE_DIR / "var" / "vault-demo")))
# PEM or DER files of the roots signatures are validated against (Vietnam's national root CA and the
# CA chains in use).
VAULT_TRUST_ROOTS = env_list("VAULT_TRUST_ROOTS")
# Trust the demo CA's root as well (development only; the deploy check refuses it).
VAULT_TRUST_DEMO_CA = env_bool("VAULT_TRUST_DEMO_CA", DEBUG)
# RFC 3161 timestamp server; empty: the signing time is the server's clock, unstamped.
VAULT_TSA_URL = env_str("VAULT_TSA_URL")
# Fetch CRLs/OCSP while signing (embedded as PAdES B-LT) and while validating an uploaded PDF.
VAULT_FETCH_REVOCATION = env_bool("VAULT_FETCH_REVOCATION", True)
# OpenType font for the visible signature stamp: it must carry every Vietnamese glyph.
VAULT_STAMP_FONT = env_str("VAULT_STAMP_FONT", "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf")

# --- Dossiers -----------------------------------------------------------------------------

# "c01_2018": V1V2V3.Z1Z2.Y1Y2.MX1X2-YYMMDD-XXXX; "c04_2025": MX1X2.Y1Y2Y3.Z1Z2-YYMMDD-AAXXXX.
DOSSIER_CODE_FORMAT = env_str("DOSSIER_CODE_FORMAT", "c01_2018")
# AA in the Circular 04/2025 layout: the agency that owns the information system.
DOSSIER_CODE_SYSTEM_ID = env_str("DOSSIER_CODE_SYSTEM_ID", "01")
WORKDAY_OFFICE_CLOSE = time(17, 0)
TRACKING_RATE_LIMIT = env_int("TRACKING_RATE_LIMIT", 20)  # lookups per IP per 10 minutes
# Long lists (officer queues, quality drill-downs, petitions) count and page through at most this many rows;
# a deeper page is refused with a message asking for a filter (portal/lib/pagination.py).
LIST_MAX_ROWS = env_int("LIST_MAX_ROWS", 10_000)

# --- REST API, version 1 (api/) -------------------------------------------------------------------

API_RATE_ANONYMOUS = env_str("API_RATE_ANONYMOUS", "120/minute")  # per address
API_RATE_USER = env_str("API_RATE_USER", "300/minute")  # per signed-in citizen
API_RATE_KEY = env_str("API_RATE_KEY", "1200/minute")  # per agency key
API_IDEMPOTENCY_HOURS = env_int("API_IDEMPOTENCY_HOURS", 24)  # how long a stored answer is replayed
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.AgencyKeyAuthentication",
        "api.authentication.IdentityBearerAuthentication",
        "api.authentication.CsrfSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.ApiThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anonymous": API_RATE_ANONYMOUS, "user": API_RATE_USER, "key": API_RATE_KEY},
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser", "rest_framework.parsers.MultiPartParser"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.problems.problem_exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "NUM_PROXIES": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Cổng Dịch vụ công — REST API v1",
    "DESCRIPTION": (
        "Public catalogue and tracking, a citizen's own dossiers, and agency systems' queues and workflow actions. "
        "Errors are RFC 9457 problem details (application/problem+json)."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from our own static files (static/vendor/swagger-ui, with its licence): no CDN.
    "SWAGGER_UI_DIST": STATIC_URL + "vendor/swagger-ui",
    "SWAGGER_UI_FAVICON_HREF": "",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "APPEND_COMPONENTS": {
        "securitySchemes": {
            "agencyKey": {"type": "apiKey", "in": "header", "name": "X-Api-Key"},
            "citizenBearer": {"type": "http", "scheme": "bearer"},
            "cookieAuth": {"type": "apiKey", "in": "cookie", "name": "sessionid"},
        },
    },
}

# --- Payments -----------------------------------------------------------------------------

# "sandbox" is the simulated gateway of the `sandbox` app (no money; it exists only with DEBUG on, and
# `check --deploy` refuses it); "vnpay" needs the credentials below.
PAYMENT_PROVIDER = env_str("PAYMENT_PROVIDER", "sandbox" if DEBUG else "vnpay")
VNPAY_TMN_CODE = env_str("VNPAY_TMN_CODE")
VNPAY_HASH_SECRET = env_secret("VNPAY_HASH_SECRET")
VNPAY_PAYMENT_URL = env_str("VNPAY_PAYMENT_URL", "https://sandbox.vnpayment.vn/paymentv2/vpcpay.html")
VNPAY_API_URL = env_str("VNPAY_API_URL", "https://sandbox.vnpayment.vn/merchant_webapi/api/transaction")
# The sandbox gateway (DEBUG only): the merchant account both sides share, where the payer's browser
# is sent (a path is taken on the site being browsed) and where querydr is posted (reconciliation has
# no request, hence SITE_URL).
SANDBOX_PAYMENT_TMN_CODE = "SANDBOX1"
SANDBOX_PAYMENT_SECRET = env_secret("SANDBOX_PAYMENT_SECRET", "sandbox-" + SECRET_KEY[:32])
SANDBOX_PAYMENT_URL = env_str("SANDBOX_PAYMENT_URL", "/sandbox/bank/")
SANDBOX_PAYMENT_API_URL = env_str("SANDBOX_PAYMENT_API_URL", SITE_URL + "/sandbox/bank/api/transaction")
PAYMENT_ATTEMPT_TTL_MINUTES = env_int("PAYMENT_ATTEMPT_TTL_MINUTES", 30)
PAYMENT_RECONCILE_AFTER_MINUTES = env_int("PAYMENT_RECONCILE_AFTER_MINUTES", 15)
# The gateway's published server addresses (or CIDR networks): when set, a payment notification (IPN)
# from any other client address (as TRUSTED_PROXY_HOPS reads it) is refused with the gateway's
# error reply and logged. Empty: the signature check alone decides.
PAYMENT_IPN_ALLOWED_IPS = env_list("PAYMENT_IPN_ALLOWED_IPS")

# --- Citizen sign-in with e-identity (OpenID Connect: VNeID, the national portal's SSO) -----------

# Since 1/7/2024 individuals use VNeID level-2 accounts for online public services (Decree
# 69/2024/NĐ-CP): citizens sign in through the province's VNeID or national-portal SSO. OIDC_PROVIDERS
# names the providers shown on the login page (e.g. "vneid,dvcqg"); each is configured by
# OIDC_<NAME>_* variables. With DEBUG on, the built-in sandbox provider (sandbox/idp) is the default.
OIDC_TIMEOUT_SECONDS = env_int("OIDC_TIMEOUT_SECONDS", 4)  # each call to a provider; the login page answers within 5 s
OIDC_CALLBACK_IP_LIMIT = env_int("OIDC_CALLBACK_IP_LIMIT", 30)  # callbacks per address per 10 minutes
OIDC_ACCOUNT_LIMIT = env_int("OIDC_ACCOUNT_LIMIT", 10)  # e-identity sign-ins per account per 10 minutes
OIDC_DISCOVERY_CACHE_SECONDS = env_int("OIDC_DISCOVERY_CACHE_SECONDS", 3600)


def oidc_provider_from_env(name: str) -> dict:
    prefix = f"OIDC_{name.upper()}_"
    sandbox = DEBUG and name == "sandbox"
    default_issuer = SITE_URL + "/sandbox/idp" if sandbox else ""
    issuer = env_str(prefix + "ISSUER", default_issuer).rstrip("/")
    client_id = env_str(prefix + "CLIENT_ID", "portal-sandbox" if sandbox else "")
    if not issuer or not client_id:
        raise ImproperlyConfigured(f"{prefix}ISSUER and {prefix}CLIENT_ID are required for provider {name!r}")
    client_auth = env_str(prefix + "CLIENT_AUTH", "client_secret_basic")
    if client_auth not in ("client_secret_basic", "client_secret_post", "private_key_jwt"):
        raise ImproperlyConfigured(f"{prefix}CLIENT_AUTH must be client_secret_basic, client_secret_post or private_key_jwt")
    # "acr value=level" pairs: the assurance levels the provider may return; anything else is refused.
    levels = {}
    for pair in env_list(prefix + "ACR_LEVELS", ["urn:vn:vneid:loa:1=1", "urn:vn:vneid:loa:2=2"]):
        value, _sep, level = pair.rpartition("=")
        if not value or not level.isdigit():
            raise ImproperlyConfigured(f"{prefix}ACR_LEVELS must be 'acr=level' pairs, got {pair!r}")
        levels[value] = int(level)
    claim_defaults = {
        "id_number": "id_number", "full_name": "name", "birthdate": "birthdate", "gender": "gender",
        "phone": "phone_number", "address": "address",
    }
    return {
        "name": name,
        "label": env_str(prefix + "LABEL", "VNeID (thử nghiệm)" if sandbox else name.upper()),
        "issuer": issuer,
        "client_id": client_id,
        "client_secret": env_secret(prefix + "CLIENT_SECRET", "sandbox-idp-" + SECRET_KEY[:24] if sandbox else ""),
        "client_auth": client_auth,
        "private_key": env_secret(prefix + "PRIVATE_KEY"),  # PEM, for private_key_jwt
        "private_key_id": env_str(prefix + "PRIVATE_KEY_ID"),
        "scopes": env_list(prefix + "SCOPES", ["openid", "profile"]),
        "acr_levels": levels,
        "min_level": env_int(prefix + "MIN_LEVEL", 2),
        "claims": {field: env_str(prefix + "CLAIM_" + field.upper(), claim) for field, claim in claim_defaults.items()},
        "use_userinfo": env_bool(prefix + "USE_USERINFO", True),
    }


OIDC_PROVIDERS = {name: oidc_provider_from_env(name)
                  for name in env_list("OIDC_PROVIDERS", ["sandbox"] if DEBUG else [])}
if OIDC_PROVIDERS and SESSION_COOKIE_SAMESITE == "Strict":
    # The provider's redirect back is a cross-site navigation: a Strict cookie is not sent with it,
    # and the callback would find no session (no state, no nonce) every time.
    raise ImproperlyConfigured("SESSION_COOKIE_SAMESITE must be Lax when OIDC providers are configured")
# Stand-alone password sign-up for citizens: for development and installations without a provider.
CITIZEN_PASSWORD_SIGNUP = env_bool("CITIZEN_PASSWORD_SIGNUP", DEBUG or not OIDC_PROVIDERS)

# --- Staff sign-in through an agency OpenID Connect provider ----------------------------------------

# STAFF_OIDC_PROVIDERS names the agency providers offered to staff on the login page (e.g. "mic");
# each is configured by STAFF_OIDC_<NAME>_* variables. A provider only says who is signing in: the
# claim STAFF_OIDC_<NAME>_MATCH_CLAIM is matched to an EXISTING staff account's MATCH_FIELD (email or
# phone); no account is created and no role is granted from claims. Its amr/acr count as our second
# factor only when ENFORCES_MFA says the agency enforces one; otherwise our TOTP is still asked.
STAFF_OIDC_MATCH_FIELDS = ("email", "phone")


def staff_oidc_provider_from_env(name: str) -> dict:
    prefix = f"STAFF_OIDC_{name.upper()}_"
    sandbox = DEBUG and name == "sandbox"
    issuer = env_str(prefix + "ISSUER", SITE_URL + "/sandbox/idp" if sandbox else "").rstrip("/")
    client_id = env_str(prefix + "CLIENT_ID", "portal-staff-sandbox" if sandbox else "")
    if not issuer or not client_id:
        raise ImproperlyConfigured(f"{prefix}ISSUER and {prefix}CLIENT_ID are required for staff provider {name!r}")
    client_auth = env_str(prefix + "CLIENT_AUTH", "client_secret_basic")
    if client_auth not in ("client_secret_basic", "client_secret_post", "private_key_jwt"):
        raise ImproperlyConfigured(f"{prefix}CLIENT_AUTH must be client_secret_basic, client_secret_post or private_key_jwt")
    match_field = env_str(prefix + "MATCH_FIELD", "email")
    if match_field not in STAFF_OIDC_MATCH_FIELDS:
        raise ImproperlyConfigured(f"{prefix}MATCH_FIELD must be one of {', '.join(STAFF_OIDC_MATCH_FIELDS)}")
    return {
        "name": name,
        "label": env_str(prefix + "LABEL", "Hệ thống định danh cơ quan (thử nghiệm)" if sandbox else name.upper()),
        "issuer": issuer,
        "client_id": client_id,
        "client_secret": env_secret(prefix + "CLIENT_SECRET", "sandbox-staff-idp-" + SECRET_KEY[:24] if sandbox else ""),
        "client_auth": client_auth,
        "private_key": env_secret(prefix + "PRIVATE_KEY"),
        "private_key_id": env_str(prefix + "PRIVATE_KEY_ID"),
        "scopes": env_list(prefix + "SCOPES", ["openid", "email"]),
        "acr_levels": {},
        "min_level": 0,
        "claims": {},
        "use_userinfo": env_bool(prefix + "USE_USERINFO", True),
        "extra": {
            "match_claim": env_str(prefix + "MATCH_CLAIM", "email"),
            "match_field": match_field,
            # Whether the agency's provider itself enforces a second factor, and which amr/acr values prove it.
            "enforces_mfa": env_bool(prefix + "ENFORCES_MFA", sandbox),
            "mfa_amr": env_list(prefix + "MFA_AMR", ["mfa", "otp", "hwk", "sc"]),
            "mfa_acr": env_list(prefix + "MFA_ACR", []),
        },
    }


STAFF_OIDC_PROVIDERS = {name: staff_oidc_provider_from_env(name)
                        for name in env_list("STAFF_OIDC_PROVIDERS", ["sandbox"] if DEBUG else [])}

# The sandbox identity provider (DEBUG only): the client it accepts, and switches tests turn.
SANDBOX_IDP_CLIENTS = {
    "portal-sandbox": {
        "secret": "sandbox-idp-" + SECRET_KEY[:24], "public_key": env_str("SANDBOX_IDP_CLIENT_PUBLIC_KEY"),
        "redirect_paths": ["/accounts/identity/sandbox/callback/"], "post_logout_paths": ["/accounts/identity/signed-out/"],
        "backchannel_logout_path": "/accounts/identity/sandbox/backchannel-logout/",
    },
    "portal-staff-sandbox": {
        "secret": "sandbox-staff-idp-" + SECRET_KEY[:24], "public_key": "", "staff": True,
        "redirect_paths": ["/accounts/staff-identity/sandbox/callback/"],
        "post_logout_paths": ["/accounts/identity/signed-out/"],
        "backchannel_logout_path": "/accounts/staff-identity/sandbox/backchannel-logout/",
    },
}
SANDBOX_IDP_UNAVAILABLE = False
SANDBOX_IDP_DELAY_SECONDS = 0

# --- Result by public post ----------------------------------------------------------------

# "sandbox" is the simulated operator of the `sandbox` app (DEBUG only); "vnpost" needs the values below.
POSTAL_PROVIDER = env_str("POSTAL_PROVIDER", "sandbox" if DEBUG else "vnpost")
POSTAL_API_URL = env_str("POSTAL_API_URL")
POSTAL_API_KEY = env_secret("POSTAL_API_KEY")
POSTAL_CALLBACK_SECRET = env_secret("POSTAL_CALLBACK_SECRET")
POSTAL_API_TIMEOUT = float(env_int("POSTAL_API_TIMEOUT_SECONDS", 10))
# The province that runs the portal: parcels to it pay the "within the province" postage.
POSTAL_HOME_PROVINCE = env_str("POSTAL_HOME_PROVINCE", "")
# Parcels with no report for this long are asked about by the beat job.
POSTAL_QUIET_HOURS = env_int("POSTAL_QUIET_HOURS", 6)
SANDBOX_POSTAL_API_URL = env_str("SANDBOX_POSTAL_API_URL", SITE_URL + "/sandbox/post/api")
SANDBOX_POSTAL_API_KEY = env_secret("SANDBOX_POSTAL_API_KEY", "sandbox-post-" + SECRET_KEY[:16])
SANDBOX_POSTAL_CALLBACK_SECRET = env_secret("SANDBOX_POSTAL_CALLBACK_SECRET", "sandbox-post-cb-" + SECRET_KEY[:16])

# --- National public-service portal (Cổng Dịch vụ công quốc gia) ---------------------------------

# Outbound: every status change is pushed to NATIONAL_PORTAL_URL (with DEBUG on, the local sandbox).
NATIONAL_SYNC_ENABLED = env_bool("NATIONAL_SYNC_ENABLED", True)
NATIONAL_PORTAL_URL = env_str("NATIONAL_PORTAL_URL", SITE_URL + "/sandbox/national/api" if DEBUG else "")
NATIONAL_PORTAL_TOKEN = env_secret("NATIONAL_PORTAL_TOKEN", "sandbox-dvcqg-" + SECRET_KEY[:16] if DEBUG else "")
NATIONAL_PORTAL_SECRET = env_secret("NATIONAL_PORTAL_SECRET", "sandbox-dvcqg-sig-" + SECRET_KEY[:16] if DEBUG else "")
NATIONAL_PORTAL_TIMEOUT = float(env_int("NATIONAL_PORTAL_TIMEOUT_SECONDS", 10))
NATIONAL_SYNC_MAX_ATTEMPTS = env_int("NATIONAL_SYNC_MAX_ATTEMPTS", 12)
NATIONAL_SYNC_RETRY_BASE_SECONDS = env_int("NATIONAL_SYNC_RETRY_BASE_SECONDS", 15)
NATIONAL_SYNC_RETRY_MAX_SECONDS = env_int("NATIONAL_SYNC_RETRY_MAX_SECONDS", 3600)
NATIONAL_SYNC_BATCH = env_int("NATIONAL_SYNC_BATCH", 200)
# Pushes of one batch sent side by side (each is a different dossier, so order is unaffected).
NATIONAL_SYNC_CONCURRENCY = env_int("NATIONAL_SYNC_CONCURRENCY", 8)
NATIONAL_SYNC_DRAIN_ROUNDS = env_int("NATIONAL_SYNC_DRAIN_ROUNDS", 50)
# Inbound: "push" (the national portal calls /national/inbound/dossiers) or "pull" (the beat asks it).
NATIONAL_INBOUND_MODE = env_str("NATIONAL_INBOUND_MODE", "push")
NATIONAL_INBOUND_TOKEN = env_secret("NATIONAL_INBOUND_TOKEN", "sandbox-dvcqg-in-" + SECRET_KEY[:16] if DEBUG else "")
NATIONAL_INBOUND_SECRET = env_secret(
    "NATIONAL_INBOUND_SECRET", "sandbox-dvcqg-in-sig-" + SECRET_KEY[:16] if DEBUG else "")
# What the local national portal (sandbox app, DEBUG only) expects of our pushes: the same values unless a test
# sets them apart to see a wrong token or signature refused.
SANDBOX_NATIONAL_TOKEN = env_secret("SANDBOX_NATIONAL_TOKEN", NATIONAL_PORTAL_TOKEN)
SANDBOX_NATIONAL_SECRET = env_secret("SANDBOX_NATIONAL_SECRET", NATIONAL_PORTAL_SECRET)
# Papers sent by URL are fetched only from here (never from an address the body names freely).
NATIONAL_FILE_URL_PREFIX = env_str("NATIONAL_FILE_URL_PREFIX", NATIONAL_PORTAL_URL)

# --- Monitoring (Prometheus /metrics) -----------------------------------------------------------

# /metrics exists only when one of these is set: a bearer token Prometheus sends, and/or the
# addresses (or CIDR networks) allowed to scrape (the client address as TRUSTED_PROXY_HOPS says).
METRICS_TOKEN = env_secret("METRICS_TOKEN")
METRICS_ALLOWED_IPS = env_list("METRICS_ALLOWED_IPS")

# --- Logging ------------------------------------------------------------------------------

# "json": one JSON object per line (for a log collector); "plain": readable lines. Either way every
# record carries the request id (X-Request-ID, or a fresh one), also inside the tasks a request queues.
LOG_FORMAT = env_str("LOG_FORMAT", "plain")
# One line per request from the "portal.access" logger; "WARNING" silences it.
ACCESS_LOG_LEVEL = env_str("ACCESS_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "monitoring.logs.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {"()": "monitoring.logs.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["request_id"],
        },
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # WeasyPrint logs every render at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "portal.access": {"level": ACCESS_LOG_LEVEL},
        # In-process tasks (no broker) would log every task twice over the development console.
        **({"celery.app.trace": {"level": "WARNING"}} if CELERY_TASK_ALWAYS_EAGER else {}),
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Satisfaction ratings and feedback (phản ánh, kiến nghị) --------------------------------

# A returned dossier can be rated for this many days after its result was handed over.
FEEDBACK_RATING_WINDOW_DAYS = env_int("FEEDBACK_RATING_WINDOW_DAYS", 30)
# Overall levels counted as "satisfied" in the figures (4 = Hài lòng, 5 = Rất hài lòng).
FEEDBACK_SATISFIED_MIN_LEVEL = env_int("FEEDBACK_SATISFIED_MIN_LEVEL", 4)
# Working days an agency has to answer a petition (a provincial rule, e.g. Ninh Bình: 10).
FEEDBACK_ANSWER_WORKING_DAYS = env_int("FEEDBACK_ANSWER_WORKING_DAYS", 10)
# The daily reminder covers petitions due within this many working days, and those overdue.
FEEDBACK_REMINDER_WORKING_DAYS = env_int("FEEDBACK_REMINDER_WORKING_DAYS", 2)
FEEDBACK_MAX_ATTACHMENTS = env_int("FEEDBACK_MAX_ATTACHMENTS", 5)
# Flood limits on sending petitions (captcha-free): per client IP per hour, per account per day.
FEEDBACK_PETITION_IP_LIMIT = env_int("FEEDBACK_PETITION_IP_LIMIT", 5)
FEEDBACK_PETITION_ACCOUNT_LIMIT = env_int("FEEDBACK_PETITION_ACCOUNT_LIMIT", 10)
# Look-ups of a petition by code and secret, and rating submissions, per client IP per 10 minutes.
FEEDBACK_LOOKUP_RATE_LIMIT = env_int("FEEDBACK_LOOKUP_RATE_LIMIT", 20)

# --- Backups (ops/backup.py: `manage.py backup` / `restore`) ---------------------------------

# 32 bytes, URL-safe base64: archives are AES-256-GCM encrypted when set; restore needs the same key.
# Keep a copy of the key off this server (a backup without its key cannot be restored).
BACKUP_ENCRYPTION_KEY = env_secret("BACKUP_ENCRYPTION_KEY")
