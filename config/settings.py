"""SIGAP settings: one module, every value from the environment.

With no environment at all the app runs on its embedded default: SQLite, Celery tasks run in-process, email
printed to the console, secrets generated once into ``var/local-secrets.json``. ``SIGAP_ENV=production``
turns every missing secret into a start-up error and switches on the HTTPS protections
(``manage.py check --deploy`` passes with no warnings).
"""

import json
import secrets
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIGAP_VAR_DIR", str(BASE_DIR / "var")))

SIGAP_ENV = env_str("SIGAP_ENV", "development")
if SIGAP_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"SIGAP_ENV must be 'development' or 'production', got {SIGAP_ENV!r}")
PRODUCTION = SIGAP_ENV == "production"


def _local_secret(name: str, make) -> str:
    """Development only: keep generated secrets in var/ so sessions and encrypted files survive restarts."""
    path = VAR_DIR / "local-secrets.json"
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    stored = json.loads(path.read_text()) if path.exists() else {}
    if name not in stored:
        stored[name] = make()
        path.write_text(json.dumps(stored, indent=2))
        path.chmod(0o600)
    return stored[name]


def _secret(name: str, make) -> str:
    if PRODUCTION:
        return env_str(name, required=True)
    return env_str(name) or _local_secret(name, make)


SECRET_KEY = _secret("SECRET_KEY", lambda: secrets.token_urlsafe(50))
# Off unless asked for (DEBUG=true, or `scripts/serve --debug`), in development too: a tester must see the
# app's own error pages, never Django's technical 404/500 pages with settings and URL patterns.
DEBUG = env_bool("DEBUG", default=False)
if PRODUCTION and DEBUG:
    raise ImproperlyConfigured("DEBUG must be off when SIGAP_ENV=production")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS is required when SIGAP_ENV=production")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Keys that encrypt attachments and protected content at rest. Their own setting, never derived from
# SECRET_KEY: rotating the session secret must not make evidence unreadable, and leaking one must not
# leak the other. Comma-separated Fernet keys, newest first; older keys stay readable until
# `manage.py rotate_data_keys` has re-encrypted everything under the newest.
DATA_ENCRYPTION_KEYS = env_list("SIGAP_DATA_KEYS") or [
    _secret("SIGAP_DATA_KEYS", lambda: Fernet.generate_key().decode())
]
for _key in DATA_ENCRYPTION_KEYS:
    try:
        Fernet(_key)
    except (ValueError, TypeError):
        raise ImproperlyConfigured("SIGAP_DATA_KEYS must hold url-safe base64 Fernet keys (32 bytes)") from None

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    "simple_history",
    "axes",
    "cases",
    "gratifikasi",
    "wbs",
    "pengaduan",
    "benturan",
    "evaluasi",
    "survei",
    # --- issue 12: the evaluation statistics' read-only JSON API (evaluasi/views/api.py) ---
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
]

MIDDLEWARE = [
    # First: on public intake pages nothing after it may see the client's address or user agent.
    "cases.middleware.PublicIntakePrivacyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Static files: in production from the collected, hashed set; in development from the apps (see below).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before the session and auth middleware, so it sees their final response (CSP, no-store, Referrer).
    "cases.middleware.SecurityHeadersMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "cases.middleware.IndonesianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before two-factor: a form posted after the idle timeout is kept before anything redirects it away.
    "cases.middleware.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "cases.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lockout raised by the auth backend into a response.
    "axes.middleware.AxesMiddleware",
]

# In development WhiteNoise serves static files straight from the apps: runserver serves them only with DEBUG
# on, and DEBUG is off by default.
WHITENOISE_USE_FINDERS = not PRODUCTION
WHITENOISE_AUTOREFRESH = not PRODUCTION

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "cases.context_processors.navigation",
                "cases.context_processors.language_switch",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'sigap.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Wait for the writer instead of failing with "database is locked" when two requests write at once.
    # BEGIN IMMEDIATE takes the write lock at the start of every atomic block, so two requests changing one
    # case queue up (and the second sees the first's result) instead of failing with "database is locked".
    # secure_delete: deleted content is overwritten with zeros, not left in free pages where a purged WBS
    # report could be read back from the file (SQLite's own default is off; Debian's build happens to turn
    # it on, other builds do not).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA secure_delete=ON;"}
    )
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs more than it saves on our short OLTP queries: the benchmark (benchmarks/) saw
    # 240 ms of JIT in a 370 ms inbox count.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
if PRODUCTION and DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL when SIGAP_ENV=production")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL")
if PRODUCTION and not REDIS_URL:
    raise ImproperlyConfigured("REDIS_URL is required when SIGAP_ENV=production")

CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTHENTICATION_BACKENDS = [
    # django-axes first, so a locked-out account is refused before its password is even checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
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
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "cases:inbox"
LOGOUT_REDIRECT_URL = "home"

# Staff sessions end after this many idle minutes (every request renews the cookie).
SESSION_COOKIE_AGE = env_int("SIGAP_SESSION_IDLE_MINUTES", 30, minimum=5) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# The CSRF cookie lives for the browser session only: on a whistleblower's device a year-long cookie would
# outlast the visit it betrays.
CSRF_COOKIE_AGE = None

# django-axes: lock a username on one client after repeated wrong passwords. By username and client together
# (a combination, django-axes 8 syntax): a stranger typing a staff username elsewhere locks only themself, not
# the officer at their own desk. The client is a keyed pseudonym of the address (cases.account_views.
# login_client_pseudonym), so the attempts table keeps no real address.
AXES_FAILURE_LIMIT = env_int("SIGAP_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = env_int("SIGAP_LOGIN_COOLOFF_MINUTES", 30, minimum=1) / 60
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "cases.account_views.login_client_pseudonym"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "cases.account_views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = False
AXES_DISABLE_ACCESS_LOG = True

OTP_TOTP_ISSUER = env_str("SIGAP_OTP_ISSUER", "SIGAP")
# The demo's opt-out of two-factor sign-in, for its own demo accounts only (cases.middleware); scripts/serve
# turns it on and says so. Never in production: there admins and the roles that require it always verify.
SIGAP_DEMO_PASSWORD_ONLY = env_bool("SIGAP_DEMO_PASSWORD_ONLY", False)
if PRODUCTION and SIGAP_DEMO_PASSWORD_ONLY:
    raise ImproperlyConfigured("SIGAP_DEMO_PASSWORD_ONLY must be off when SIGAP_ENV=production")

LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
# One number format per language: 2.500.000 in Bahasa Indonesia, 2,500,000 in English (Django's locale
# formats), in every template; Python-built texts use cases.formats. Form inputs stay unlocalised.
USE_THOUSAND_SEPARATOR = True
# The language cookie is only a preference, but it is read on the public intake pages too: never sent over
# plain HTTP in production, nor on cross-site requests, nor readable by scripts.
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_HTTPONLY = True
USE_TZ = True

STATIC_URL = "static/"
# Collected only for production (the Dockerfile's collectstatic); in development WhiteNoise reads the apps'
# files and would warn about a missing directory.
STATIC_ROOT = BASE_DIR / "staticfiles" if PRODUCTION else None
STORAGES = {
    # Encrypted attachments live outside the static tree and are served only through a checked view.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env_str("SIGAP_FILES_DIR", str(VAR_DIR / "files")), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# --- issue 14: attachments on a storage every web process and worker shares ---
# `local` (the default) keeps the encrypted files in SIGAP_FILES_DIR; `s3` puts them in a bucket of any
# S3-compatible object store (AWS S3, MinIO, Biznet Gio or IDCloudHost object storage) through django-storages,
# so several machines can serve the same files. Nothing else changes: cases.attachments encrypts a file before
# it reaches the storage and names it by a random UUID, so the bucket holds ciphertext under meaningless keys.
# The access key and secret are not settings: django-storages and boto3 read them from the environment
# themselves (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, or an IAM role), so they never sit in this module,
# `diffsettings` or an error report. cases.checks refuses to start without a bucket or credentials.
SIGAP_STORAGE = env_str("SIGAP_STORAGE", "local")
if SIGAP_STORAGE not in {"local", "s3"}:
    raise ImproperlyConfigured(f"SIGAP_STORAGE must be 'local' or 's3', got {SIGAP_STORAGE!r}")
if SIGAP_STORAGE == "s3":
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("SIGAP_S3_BUCKET", ""),
            # Unset for AWS itself; e.g. https://minio.internal:9000 or the provider's endpoint otherwise.
            "endpoint_url": env_str("SIGAP_S3_ENDPOINT_URL"),
            "region_name": env_str("SIGAP_S3_REGION"),
            # Objects are private, whatever the bucket's default: files leave only through the permission-checked
            # download views (cases.views.attachment_download, evaluasi's export download), which read and
            # decrypt them in the app. No signed URLs either: url() would otherwise hand out a link that opens
            # the file for an hour to anyone holding it; unsigned, such a link only gets the store's refusal.
            "default_acl": "private",
            "querystring_auth": False,
            # Never overwrite an existing object, as the local directory never does (a name taken gets a
            # suffix): evidence must not be replaced by a later upload, however unlikely a UUID collision.
            "file_overwrite": False,
        },
    }
# --- end issue 14: attachment storage ---
ATTACHMENT_MAX_BYTES = env_int("SIGAP_ATTACHMENT_MAX_MB", 20, minimum=1) * 1024 * 1024
# Bounds on the work one upload request can cause (issue 8, "image bombs"): the files of one form together,
# the pixels of one image as its header declares them (checked before anything is decoded; 40 megapixels
# covers phone cameras' default modes), and the pixels all images of one request may decode together.
SIGAP_UPLOAD_MAX_TOTAL_BYTES = env_int("SIGAP_UPLOAD_MAX_TOTAL_MB", 50, minimum=1) * 1024 * 1024
SIGAP_IMAGE_MAX_PIXELS = env_int("SIGAP_IMAGE_MAX_MEGAPIXELS", 40, minimum=1) * 1_000_000
SIGAP_UPLOAD_MAX_PIXELS = env_int("SIGAP_UPLOAD_MAX_MEGAPIXELS", 120, minimum=1) * 1_000_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "SIGAP <sigap@localhost>")
SIGAP_BASE_URL = env_str("SIGAP_BASE_URL", "http://localhost:8000")

# Celery: with REDIS_URL the outbox and the deadline sweep run on workers and beat; without it every task
# runs in-process, and the embedded server runs the beat schedule on a thread (cases.embedded).
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A publish must not hang a web request when Redis is down: the outbox row is already committed, and the
# next beat tick (or the worker's catch-up drain) delivers it.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "drain-outbox": {"task": "cases.tasks.drain_outbox", "schedule": 60.0},
    "sweep-deadlines": {"task": "cases.tasks.sweep_deadlines", "schedule": crontab(minute="*/15")},
    "wbs-expire-disclosures": {"task": "wbs.tasks.expire_disclosures", "schedule": crontab(minute="*/10")},
    "wbs-purge": {"task": "wbs.tasks.purge_expired_reports", "schedule": crontab(hour=2, minute=30)},
    # SP4N-LAPOR!: an answered complaint nobody replied to within 10 HK closes (once: the task is idempotent).
    "pengaduan-close-unanswered": {"task": "pengaduan.tasks.close_unanswered", "schedule": crontab(minute="*/15")},
    # Yearly statements: remind who has not filed at H-7, H-3, H-1 and on the closing day (hourly: idempotent).
    "benturan-remind-statements": {"task": "benturan.tasks.remind_statements", "schedule": crontab(minute=5)},
    # Evaluasi exports: delete the files of exports past their download window (idempotent).
    "evaluasi-sweep-exports": {"task": "evaluasi.tasks_export.sweep_exports", "schedule": crontab(minute=20)},
    # Follow-up of recommendations: the owner at H-3, H-1 (hari kerja) and on the due day, then one escalation.
    "evaluasi-remind-follow-ups": {"task": "evaluasi.tasks.remind_follow_ups", "schedule": crontab(minute=20)},
    # The dashboard's snapshots of kinds with many cases (evaluasi.snapshots; idempotent).
    "evaluasi-refresh-statistics": {"task": "evaluasi.tasks.refresh_statistics", "schedule": crontab(minute="*/10")},
}
# --- evaluasi exports (issue 12) ---
# The export tasks live outside a `tasks` module (evaluasi/tasks_export.py): the worker imports them by name.
CELERY_IMPORTS = ("evaluasi.tasks_export",)
# How long a finished export stays downloadable, and the size up to which an export is made in the request
# itself instead of in the background.
SIGAP_EXPORT_KEEP_HOURS = env_int("SIGAP_EXPORT_KEEP_HOURS", 24, minimum=1)
SIGAP_EXPORT_DIRECT_ROWS = env_int("SIGAP_EXPORT_DIRECT_ROWS", 5000, minimum=0)
# Dashboard snapshots (evaluasi.snapshots): kinds with at least this many cases are counted by the beat (every
# 10 minutes) for the whole office's year, quarter and last year; smaller ones are always counted live.
SIGAP_STATISTICS_SNAPSHOT_MIN_CASES = env_int("SIGAP_STATISTICS_SNAPSHOT_MIN_CASES", 100_000, minimum=0)
# --- end evaluasi exports ---
# The inbox counts the cases a user may see exactly up to this many; beyond it the page says "more than N" and
# the count stops there (cases.pagination.CappedPaginator): an exact count costs time proportional to every
# visible case, which at a million cases is most of the table (benchmarks/, issue 14).
SIGAP_INBOX_EXACT_COUNT_LIMIT = env_int("SIGAP_INBOX_EXACT_COUNT_LIMIT", 1000, minimum=1)
SIGAP_OUTBOX_BATCH = env_int("SIGAP_OUTBOX_BATCH", 100, minimum=1)
SIGAP_OUTBOX_MAX_ATTEMPTS = env_int("SIGAP_OUTBOX_MAX_ATTEMPTS", 10, minimum=1)

# Public intake (WBS, later pengaduan): pages where the client address and user agent are dropped on arrival
# (cases.middleware.PublicIntakePrivacyMiddleware) and limits that count by an hourly pseudonym instead. Their
# path prefixes are where each kind mounts the core's intake pages (cases.registry.public_prefixes).
SIGAP_BEHIND_PROXY = env_bool("SIGAP_BEHIND_PROXY", PRODUCTION)
SIGAP_RECEIPT_FREE_ATTEMPTS = env_int("SIGAP_RECEIPT_FREE_ATTEMPTS", 3, minimum=1)
SIGAP_RECEIPT_BLOCK_AFTER = env_int("SIGAP_RECEIPT_BLOCK_AFTER", 10, minimum=2)
SIGAP_RECEIPT_BLOCK_MINUTES = env_int("SIGAP_RECEIPT_BLOCK_MINUTES", 30, minimum=1)
# A tracking number's PIN (pengaduan, 10^8 values): wrong PINs for one number within an hour before that number
# answers only the refusal, from any client, for SIGAP_PIN_LOCK_MINUTES (cases.intake.NumberLock).
SIGAP_PIN_LOCK_AFTER = env_int("SIGAP_PIN_LOCK_AFTER", 10, minimum=3)
SIGAP_PIN_LOCK_MINUTES = env_int("SIGAP_PIN_LOCK_MINUTES", 60, minimum=1)
SIGAP_TRACKING_MINUTES = env_int("SIGAP_TRACKING_MINUTES", 30, minimum=5)
SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = env_int("SIGAP_INTAKE_SUBMISSIONS_PER_HOUR", 5, minimum=1)

# WBS (DESIGN §3): clock lengths in hari kerja, the reporter-feedback bar in months, how long an approved
# disclosure of a reporter's identity stays readable, and how long closed reports are kept before purging.
SIGAP_WBS_VERIFICATION_DAYS = env_int("SIGAP_WBS_VERIFICATION_DAYS", 5, minimum=1)
SIGAP_WBS_REVIEW_DAYS = env_int("SIGAP_WBS_REVIEW_DAYS", 14, minimum=1)
SIGAP_WBS_INVESTIGATION_DAYS = env_int("SIGAP_WBS_INVESTIGATION_DAYS", 60, minimum=1)
SIGAP_WBS_FEEDBACK_MONTHS = env_int("SIGAP_WBS_FEEDBACK_MONTHS", 3, minimum=1)
SIGAP_WBS_DISCLOSURE_HOURS = env_int("SIGAP_WBS_DISCLOSURE_HOURS", 24, minimum=1)
SIGAP_WBS_RETENTION_DAYS = env_int("SIGAP_WBS_RETENTION_DAYS", 5 * 365, minimum=1)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Lines about the public intake pages are dropped: their timestamp would say when a reporter acted.
    "filters": {
        "public_intake": {"()": "cases.logging.PublicIntakeFilter"},
        "library_detail": {"()": "cases.logging.LibraryDetailFilter"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["public_intake"]}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's loggers write through our (filtered) handler only: not Django's default console handler,
        # and not mail_admins, whose error report would carry the request's POST data — a whistleblower's
        # report. The development server's request log names paths only, never the client address.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "axes": {"level": "WARNING"},
        # Pillow logs the metadata it parses (EXIF tag values) at DEBUG: never, at any LOG_LEVEL. Each module
        # that logs is listed, because a filter on "PIL" would not see records of its children.
        "PIL": {"level": "WARNING"},
        **{
            f"PIL.{module}": {"filters": ["library_detail"]}
            for module in (
                "Image",
                "ImageFile",
                "TiffImagePlugin",
                "PngImagePlugin",
                "JpegImagePlugin",
                "WebPImagePlugin",
                "GifImagePlugin",
                "PcxImagePlugin",
            )
        },
    },
}

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    if SIGAP_BEHIND_PROXY:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Open311 GeoReport v2 (pengaduan/open311.py): the jurisdiction_id partner applications send, and how many
# complaints one partner application may POST per hour.
SIGAP_OPEN311_JURISDICTION = env_str("SIGAP_OPEN311_JURISDICTION", "sigap.local")
SIGAP_OPEN311_POSTS_PER_HOUR = env_int("SIGAP_OPEN311_POSTS_PER_HOUR", 60, minimum=1)

# --- issue 12: the evaluation statistics' read-only JSON API (evaluasi/views/api.py) ------------------------
# Only what applies to every DRF view: the schema class drf-spectacular needs and the per-user rate. The API's
# views set their own authentication (token, session), permissions and throttle, so these defaults change
# nothing for the other DRF views (pengaduan/open311.py sets all of its own).
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_RATES": {
        "evaluasi_api": env_str("SIGAP_EVALUASI_API_RATE", "600/hour"),
    },
}
SPECTACULAR_SETTINGS = {
    # ASCII: the schema's download name is made from it, and a dash outside ASCII broke Content-Disposition.
    "TITLE": "SIGAP - API statistik evaluasi",
    "DESCRIPTION": "Statistik pengawasan (hanya baca) untuk perangkat Inspektorat. Autentikasi: "
    "`Authorization: Token <kunci>`; hak akses sama dengan dasbor evaluasi.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated", "evaluasi.access.ReadsStatistics"],
    "SERVE_AUTHENTICATION": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "COMPONENT_SPLIT_REQUEST": True,
    # drf-spectacular's deploy check describes every DRF view of the site, Open311's included, which speaks its
    # own published spec and is not in this schema; the statistics schema itself is validated by the tests
    # (tests/evaluasi/test_api.py, `spectacular --validate`).
    "ENABLE_DJANGO_DEPLOY_CHECK": False,
}

# --- issue 13: survey respondents (survei/views/respond.py) -------------------------------------------------
# Responses per hour from one client pseudonym (cases.intake.client_tag) before the form is refused, its choices
# kept. Higher than the report forms' limit: a survey is often filled on one shared phone or tablet at a service
# counter, one visitor after another, all behind the same address. A flood below the limit is still visible to
# the officer by the responses' device tag (survei.intake.device_tag) and can be set aside.
SIGAP_SURVEY_RESPONSES_PER_HOUR = env_int("SIGAP_SURVEY_RESPONSES_PER_HOUR", 20, minimum=1)
# --- end issue 13: survey respondents ---
