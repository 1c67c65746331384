"""Pieces every app's tables share: NHS.UK tags and right-aligned numbers."""

import django_tables2 as tables
from django.utils.html import format_html

NUMERIC = {"td": {"class": "fp-numeric"}, "th": {"class": "fp-numeric"}}


def tag(colour_class: str, label: str) -> str:
    """An NHS.UK tag; ``colour_class`` is one of the ``nhsuk-tag--…`` modifiers
    (empty for the default blue)."""
    return format_html('<strong class="nhsuk-tag {}">{}</strong>', colour_class, label)


class NumberColumn(tables.Column):
    """Right-aligned whole numbers with thousands separators."""

    attrs = NUMERIC

    def render(self, value):
        return f"{value:,}"
