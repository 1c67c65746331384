"""Production: every secret from the environment, no defaults, and clean under
`manage.py check --deploy`."""

import os

from .base import *  # noqa: F403
from .environment import required

DEBUG = False
# Static files served by the web processes themselves (no separate server needed).
MIDDLEWARE = [MIDDLEWARE[0], "whitenoise.middleware.WhiteNoiseMiddleware", *MIDDLEWARE[1:]]  # noqa: F405
SECRET_KEY = required("DJANGO_SECRET_KEY", "a long random string that signs sessions")
ALLOWED_HOSTS = [
    h.strip()
    for h in required("DJANGO_ALLOWED_HOSTS", "the portal's host names, comma-separated").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [f"https://{h}" for h in ALLOWED_HOSTS]

SECURE_SSL_REDIRECT = os.environ.get("DJANGO_SECURE_SSL_REDIRECT", "true") == "true"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True

# Kept files as base says (object storage when FEDPORTAL_S3_BUCKET is set).
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

LOGGING["root"] = {"handlers": ["console"], "level": "INFO"}  # noqa: F405
FEDPORTAL_BASE_URL = required("FEDPORTAL_BASE_URL", "the portal's address, for links in emails").rstrip("/")

# Mail relay for reminders and evidence decisions (DJANGO_EMAIL_BACKEND picks
# the backend; these are read by the SMTP one).
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("DJANGO_EMAIL_USE_TLS", "true") == "true"
