"""The portal's idea of today, and of now. In production they are the real
date and time. The demo federation is ELR as of February 2019, so local
settings pin the date (``FEDPORTAL_TODAY``) to keep its contracts live and its
evidence in date; every page shows a banner while the date is pinned.

Every stamp a service puts on a record (submitted, decided, uploaded,
published) comes from ``now()``, so that in the demo a decision taken "today"
reads 15 February 2019 beside the figures it decides, not the real date."""

from datetime import date, datetime

from django.conf import settings
from django.utils import timezone


def pinned_date() -> date | None:
    value = getattr(settings, "FEDPORTAL_TODAY", None)
    return date.fromisoformat(value) if value else None


def today() -> date:
    return pinned_date() or timezone.localdate()


def now() -> datetime:
    """The current moment, on the portal's date: the real time of day (so
    stamps taken one after another stay in order) on the pinned date when
    there is one. Aware, in the portal's time zone."""
    real = timezone.localtime()
    pinned = pinned_date()
    if pinned is None:
        return real
    return timezone.make_aware(datetime.combine(pinned, real.time().replace(tzinfo=None)))
