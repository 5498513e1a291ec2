"""The one settings module. Every deployment-specific value comes from the environment."""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from partyorg.client_address import client_address_lookup
from partyorg.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = env_str("SECRET_KEY", "insecure-dev-key-change-me" if DEBUG else None)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "partyorg.admin_site.SuperuserAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "treebeard",
    "simple_history",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    "partyorg",
    "branches",
    "members",
    "branchwork",
    "admission",
    "reports",
    "papers",
    "personal",
    "office",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "partyorg.middleware.CompressPagesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "partyorg.middleware.VietnameseFirstLocaleMiddleware",
    "partyorg.middleware.RejectNullCharactersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "partyorg.middleware.NoStoreForSignedInUsersMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "partyorg.middleware.SecondFactorMiddleware",
    "personal.middleware.OwnRecordOnlyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "partyorg.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "office.urls"
WSGI_APPLICATION = "partyorg.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "office.context_processors.user_role",
                "office.context_processors.navigation",
            ],
        },
    },
]


# The planner settings of the app's PostgreSQL connections (docs/performance.md, "What
# the national slice showed"): JIT compiling a report's aggregates (dozens of FILTER
# clauses each) cost 0.4-0.5 s per query that ran in 0.1-0.3 s; with the default
# random_page_cost (4, a spinning disk's) the planner read a whole national table
# sequentially rather than a province's rows by index; with the default work_mem (4 MB)
# a province report's join of its 140,000 memberships to their members spilled to disk
# (6% of the report). PGOPTIONS, which an explicit option would replace, comes after
# them, so the server's environment can still set or override any of them.
POSTGRESQL_OPTIONS = "-c jit=off -c random_page_cost=1.1 -c work_mem=16MB"


# Database connections last as long as the process (each gunicorn thread keeps its own;
# the health check finds a broken one before a request uses it): a new connection, with
# its new PostgreSQL backend, added 7-14 ms to the page that opened it
# (bench/new_connection.py; docs/performance.md). CONN_MAX_AGE (seconds) bounds their age.
def _database(url: str) -> dict:
    database = dj_database_url.parse(
        url, conn_max_age=env_int("CONN_MAX_AGE", None, minimum=0), conn_health_checks=True
    )
    if database["ENGINE"] == "django.db.backends.postgresql":
        options = f"{POSTGRESQL_OPTIONS} {env_str('PGOPTIONS', '')}".strip()
        database.setdefault("OPTIONS", {})["options"] = options
    return database


DATABASES = {"default": _database(env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
# A streaming replica of the primary: report building reads from it (docs/deploy.md).
# Lower case, so the URL and its password do not become a setting.
if replica_url := env_str("REPLICA_DATABASE_URL", ""):
    DATABASES["replica"] = _database(replica_url)
    DATABASE_ROUTERS = ["partyorg.routers.ReportReadRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# In PostgreSQL, so that every app server and worker shares it with no other service to
# run; the table is made by migration partyorg 0003.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "partyorg_cache",
        "OPTIONS": {"MAX_ENTRIES": 20_000},
    }
}
# An import or report file whose process has shown no progress for this long is taken
# for dead (a killed worker or web process) and marked failed (partyorg/work.py).
WORK_STALE_AFTER_SECONDS = env_int("WORK_STALE_AFTER_SECONDS", 900, minimum=60)

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

OTP_TOTP_ISSUER = "partyorg"
# The audit trail is read only, in the admin too: no reverting a record to an old version.
SIMPLE_HISTORY_REVERT_DISABLED = True

AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = 1  # hours
# Failures count for a user name and a client address together: guessing at one account
# locks that account from that address only, never everyone who shares the address.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# Attempts while locked are refused without being counted, so the time the lockout page
# gives stays true.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "office.sign_in.locked_out"
# The client's address as the reverse proxies in front pass it on (docs/deploy.md): one,
# the documented nginx, by default; 0 when clients reach the app directly.
AXES_IPWARE_META_PRECEDENCE_ORDER, AXES_IPWARE_PROXY_COUNT = client_address_lookup(
    env_int("REVERSE_PROXY_COUNT", 1), env_str("CLIENT_IP_HEADER", "X-Forwarded-For")
)

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["partyorg.formats"]

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"
# Request limits. Form fields may total 5 MB (long minutes); entry sheets post up to 6
# fields per member, so a 1,000-member sheet stays under the field count. Uploaded files
# above 2.5 MB are streamed to a temporary file, not held in memory; imports refuse files
# over IMPORT_MAX_UPLOAD_BYTES (10 MB) and nginx stops bodies over 12 MB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 2**20)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 2**19
FILE_UPLOAD_PERMISSIONS = 0o640
IMPORT_MAX_UPLOAD_BYTES = env_int("IMPORT_MAX_UPLOAD_BYTES", 10 * 2**20)
# Uploaded files are deleted this many days after they were written (manage.py
# purge_uploads, run daily by deploy/systemd/partyorg-purge-uploads.timer).
UPLOAD_RETENTION_DAYS = env_int("UPLOAD_RETENTION_DAYS", 90, minimum=1)
# Import files larger than this are checked, and imports of more rows than this applied,
# by the task worker (docs/performance.md); .ci/run sets both to 0 to exercise the worker.
IMPORT_BACKGROUND_BYTES = env_int("IMPORT_BACKGROUND_BYTES", 256 * 2**10)
IMPORT_BACKGROUND_ROWS = env_int("IMPORT_BACKGROUND_ROWS", 2000)
# An export of more rows is written by the task worker (a province's attendance history
# is over a hundred thousand rows: half a minute or more inside a request).
EXPORT_BACKGROUND_ROWS = env_int("EXPORT_BACKGROUND_ROWS", 20000)
# A printed list of more rows is written to PDF by the task worker: WeasyPrint lays out
# some 160 table rows a second on one CPU, so a province's badge list takes over a minute.
PDF_BACKGROUND_ROWS = env_int("PDF_BACKGROUND_ROWS", 500)
# Such a prepared file holds whole lists of people's records: deleted this many days after
# it was written, by the same daily purge_uploads.
EXPORT_RETENTION_DAYS = env_int("EXPORT_RETENTION_DAYS", 7, minimum=1)

# The daily email of reminders (manage.py send_reminders; docs/deploy.md, "Mail"): the
# console in the demo and in development, an SMTP server in production.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 587, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", default=True)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "partyorg@localhost")
# The site's address as people open it, for the links of the emails.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "").rstrip("/")

TASKS = {
    "default": {
        "BACKEND": env_str("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend"),
    }
}

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# Office conventions that differ between offices.
PARTYORG = {
    # Letters (công văn) numbered "45-CV/HU" (True) or "45/HU" (False).
    "LETTER_TYPE_CODE": True,
}

# Corrections to the rule registry's values, by kind and regulation number, e.g.
# {"evaluation": {"366-QĐ/TW": {"excellent_quota_percent": 15}}}; the defaults and their
# sources are in partyorg/rules.py and docs/rules.md.
PARTYORG_RULES = {}
