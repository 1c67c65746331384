"""The portal's idea of today. In production it is the real date. The demo
federation is ELR as of February 2019, so local settings pin the date
(``FEDPORTAL_TODAY``) to keep its contracts live and its evidence in date;
every page shows a banner while the date is pinned."""

from datetime import date

from django.conf import settings
from django.utils import timezone


def pinned_date() -> date | None:
    value = getattr(settings, "FEDPORTAL_TODAY", None)
    return date.fromisoformat(value) if value else None


def today() -> date:
    return pinned_date() or timezone.localdate()
