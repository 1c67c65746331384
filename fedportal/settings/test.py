"""The test suite: `make test`."""

import os

from .base import *  # noqa: F403
from .base import VAR_DIR

SECRET_KEY = "test-only-not-secret"  # noqa: S105
DEBUG = False
ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# Hashing passwords slowly buys nothing in tests.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# pytest-xdist runs the suite in workers, each with its own database; files too.
MEDIA_ROOT = VAR_DIR / f"test-media{os.environ.get('PYTEST_XDIST_WORKER', '')}"
# The browser tests' live server needs a MEDIA_URL and would serve it itself
# were it a local path: a host that cannot resolve keeps uploads reachable
# only through the views that check scope.
MEDIA_URL = "https://media.invalid/"
# On disk whatever the environment says: the suite never writes to a real
# bucket (tests/fedportal/test_object_storage.py brings its own endpoint).
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True

# Two test runs at once on one server (e.g. two work trees) each need their own
# test database: FEDPORTAL_TEST_DATABASE=test_fedportal_2 make test.
if name := os.environ.get("FEDPORTAL_TEST_DATABASE"):
    DATABASES["default"]["TEST"] = {"NAME": name}  # noqa: F405
