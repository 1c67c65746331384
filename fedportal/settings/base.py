"""Settings shared by every environment. Each environment module imports these
and changes only what differs; configuration comes from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from fedportal.database import database_url

from .environment import env_int

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / ".var"

DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.postgres",
    "django_tables2",
    "django_filters",
    "axes",
    "csp",
    "pgtrigger",
    "pghistory",
    "django_tasks",
    "django_tasks_db",
    "fedportal",
    "localities",
    "contracts",
    "pcn",
    "finance",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "fedportal.middleware.SessionLifetimeMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Inside CSP and the user's session, so that its page has both.
    "fedportal.middleware.PortalNotFoundMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, as django-axes asks.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "fedportal.urls"
WSGI_APPLICATION = "fedportal.wsgi.application"
AUTH_USER_MODEL = "fedportal.User"

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
                "fedportal.context_processors.navigation",
            ],
            "builtins": ["fedportal.templatetags.fedportal"],
        },
    }
]

DATABASES = {"default": dj_database_url.parse(database_url(), conn_max_age=60, conn_health_checks=True)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
# A password reset link works for two hours (Django's default is three days).
PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes (the cookie is renewed on every request)
# and after 12 hours whatever the activity (SessionLifetimeMiddleware).
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

# Lock a username from one address after five failures, for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# How many proxies (load balancer, TLS terminator) stand in front of the web
# processes: the client's address is read from X-Forwarded-For past them.
FEDPORTAL_TRUSTED_PROXIES = env_int("FEDPORTAL_TRUSTED_PROXIES", 0)
AXES_CLIENT_IP_CALLABLE = "fedportal.client_address.client_address"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False
# One date style across the site, the NHS.UK one ("15 February 2019"): the
# locale's formats are Django's first choice, so they are set in
# fedportal/formats/en_GB, and these say the same for anything that reads settings.
FORMAT_MODULE_PATH = ["fedportal.formats"]
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j F Y"
DATETIME_FORMAT = r"j F Y \a\t H:i"
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %b %Y", "%d %B %Y"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
# Uploaded evidence and imported files, when kept on this server's disk (see
# STORAGES): outside static/, served only by views that check scope.
MEDIA_ROOT = Path(os.environ.get("FEDPORTAL_MEDIA_ROOT", VAR_DIR / "media"))
# Uploaded files have no public URL: they are served only by views that check
# scope, so any file.url in code or a template fails loudly.
MEDIA_URL = None

# Uploads larger than this stream to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# National NHS files (epraccur is about 3 MB) must fit, with room to grow.
IMPORT_MAX_UPLOAD_BYTES = 50 * 1024 * 1024
# Django's own, remembering the length of each file's name as sent (a name
# past 255 characters is refused beside the field, not silently cut).
FILE_UPLOAD_HANDLERS = [
    "fedportal.upload_handlers.MemoryFileUploadHandler",
    "fedportal.upload_handlers.TemporaryFileUploadHandler",
]

# Where kept files live (fedportal.files stores them, fedportal.downloads
# serves them, both through the default storage). With FEDPORTAL_S3_BUCKET
# set, in S3-compatible object storage, so that several web servers share
# them: private objects, never overwritten, and no links to them (downloads
# pass the portal's scope checks; a URL, were one asked for, is signed and
# expires). Credentials come the usual AWS way (AWS_ACCESS_KEY_ID and
# AWS_SECRET_ACCESS_KEY, or the server's role). Without a bucket, on this
# server's disk under MEDIA_ROOT.
FEDPORTAL_S3_BUCKET = os.environ.get("FEDPORTAL_S3_BUCKET", "").strip()
FEDPORTAL_S3_ADDRESSING_STYLE = os.environ.get("FEDPORTAL_S3_ADDRESSING_STYLE", "").strip() or None
if FEDPORTAL_S3_ADDRESSING_STYLE not in (None, "path", "virtual"):
    raise ImproperlyConfigured(
        "The environment variable FEDPORTAL_S3_ADDRESSING_STYLE must be path or virtual, "
        f"not {FEDPORTAL_S3_ADDRESSING_STYLE!r}."
    )
if FEDPORTAL_S3_BUCKET:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": FEDPORTAL_S3_BUCKET,
            # Another S3-compatible service (MinIO, Ceph, a cloud's own); unset for AWS.
            "endpoint_url": os.environ.get("FEDPORTAL_S3_ENDPOINT_URL", "").strip() or None,
            "region_name": os.environ.get("FEDPORTAL_S3_REGION", "").strip() or None,
            "addressing_style": FEDPORTAL_S3_ADDRESSING_STYLE,
            # A bucket with ACLs disabled (AWS's default for new buckets) refuses
            # any ACL but its own: FEDPORTAL_S3_ACL= (empty) sends none.
            "default_acl": os.environ.get("FEDPORTAL_S3_ACL", "private").strip() or None,
            "querystring_auth": True,
            "file_overwrite": False,
            # A download is read into a temporary file, on disk past this size.
            "max_memory_size": FILE_UPLOAD_MAX_MEMORY_SIZE,
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

DJANGO_TABLES2_TEMPLATE = "tables/table.html"
DJANGO_TABLES2_TABLE_ATTRS = {"class": "nhsuk-table"}

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "fedportal@localhost")

FEDERATION_NAME = os.environ.get("FEDPORTAL_FEDERATION_NAME", "ELR GP Federation")
# The portal's address, for links in emails (reminders, evidence decisions).
FEDPORTAL_BASE_URL = os.environ.get("FEDPORTAL_BASE_URL", "http://127.0.0.1:8000").rstrip("/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "loggers": {
        # Failed permission checks and out-of-scope lookups (DESIGN.md, Security).
        "fedportal.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        "django.security": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
}

# Background work (board packs): django-tasks with its database backend; a
# worker (`manage.py db_worker`) runs beside the web server (`make run`).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Each app's demo data, in dependency order (`manage.py load_demo`).
FEDPORTAL_DEMO_LOADERS = [
    "fedportal.demo.load",
    "localities.demo.load",
    "contracts.demo.load",
    "pcn.demo.load",
    "finance.demo.load",
    "reports.demo.load",
]

# Each app's synthetic data for `manage.py seed_scale`, in dependency order.
FEDPORTAL_SCALE_SEEDERS = [
    "localities.scale.seed",
    "contracts.scale.seed",
    "pcn.scale.seed",
    "finance.scale.seed",
    "reports.scale.seed",
]
# Each app's reminders, sent by `manage.py send_reminders` (fedportal.reminders).
FEDPORTAL_REMINDER_JOBS = ["contracts.reminders.reminder_job", "reports.reminders.reminder_job"]
# Each app's pages for `manage.py bench` (lists of fedportal.bench.BenchPage).
FEDPORTAL_BENCH_PAGES = [
    "localities.bench.PAGES",
    "contracts.bench.PAGES",
    "pcn.bench.PAGES",
    "finance.bench.PAGES",
    "reports.bench.PAGES",
]
# How each app's models' events read in a record's history (fedportal.history):
# dicts of model label -> fedportal.history.Sentence.
FEDPORTAL_HISTORY_SENTENCES = [
    "localities.history_sentences.SENTENCES",
    "contracts.history_sentences.SENTENCES",
    "pcn.history_sentences.SENTENCES",
]
# Each app's entries in the header's menu (lists of fedportal.navigation.MenuItem).
FEDPORTAL_NAVIGATION = [
    "reports.navigation.NAVIGATION",
    "localities.navigation.NAVIGATION",
    "contracts.navigation.NAVIGATION",
    "pcn.navigation.NAVIGATION",
    "finance.navigation.NAVIGATION",
]
