"""A developer's machine: `make run`."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = True
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "local-development-only-not-secret")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
INTERNAL_IPS = ["127.0.0.1"]
STATICFILES_DIRS = [BASE_DIR / "static"]

# The demo federation is ELR GP Federation in February 2019 (seed 000): pin the
# portal's date there so contracts, evidence and returns read as they did.
# FEDPORTAL_TODAY= (empty) uses the real date.
FEDPORTAL_TODAY = os.environ.get("FEDPORTAL_TODAY", "2019-02-15") or None
