"""The portal's one date style, the NHS.UK one: "15 February 2019", and
"15 February 2019 at 2:05pm" for a moment. Django's ``date`` filter with no
format, and django-tables2's date columns, read the formats in ``en_GB``
(``FORMAT_MODULE_PATH``); ``when`` writes a moment, since Django's format
characters can only say "p.m."."""

from datetime import date, datetime

from django.utils import timezone


def day(value: date | None) -> str:
    """15 February 2019."""
    return f"{value.day} {value:%B %Y}" if value else ""


def when(value: datetime | date | None) -> str:
    """15 February 2019 at 2:05pm (9am on the hour, 12pm at noon), in the
    portal's time zone; a date alone as ``day``."""
    if not value:
        return ""
    if not isinstance(value, datetime):
        return day(value)
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    return f"{day(value.date())} at {hour}{minutes}{'am' if value.hour < 12 else 'pm'}"
