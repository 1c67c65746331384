"""The large synthetic federation of `make scale` and `make bench`: its own
database (fedportal_scale), so the demo federation is never touched. With
DATABASE_URL set, the same server is used and the database must exist there."""

import dj_database_url

from fedportal.database import database_url

from .local import *  # noqa: F403

SCALE_DATABASE_NAME = "fedportal_scale"
DATABASES = {"default": dj_database_url.parse(database_url(SCALE_DATABASE_NAME))}
DATABASES["default"]["NAME"] = SCALE_DATABASE_NAME
DEBUG = False
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# The synthetic federation is built as of the real date, not the demo's.
FEDPORTAL_TODAY = None
