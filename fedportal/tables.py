"""Pieces every app's tables share: NHS.UK tags and right-aligned numbers."""

import django_tables2 as tables
from django.core.paginator import EmptyPage
from django.utils.html import format_html
from django_tables2 import RequestConfig

from fedportal import formats
from fedportal.templatetags.fedportal import gbp

NUMERIC = {"td": {"class": "fp-numeric"}, "th": {"class": "fp-numeric"}}


def tag(colour_class: str, label: str) -> str:
    """An NHS.UK tag; ``colour_class`` is one of the ``nhsuk-tag--…`` modifiers
    (empty for the default blue)."""
    return format_html('<strong class="nhsuk-tag {}">{}</strong>', colour_class, label)


class MoneyColumn(tables.Column):
    """Pounds and pence, right-aligned, as the gbp template filter writes them."""

    attrs = NUMERIC

    def render(self, value):
        return gbp(value)


class NumberColumn(tables.Column):
    """Right-aligned whole numbers with thousands separators."""

    attrs = NUMERIC

    def render(self, value):
        return f"{value:,}"


class WhenColumn(tables.Column):
    """A moment in the portal's one date style: 15 February 2019 at 2:05pm."""

    def render(self, value):
        return formats.when(value)


def configure(table, request, per_page: int):
    """Sort a table as the query string asks and show the page it asks for,
    ``per_page`` rows at a time. django-tables2's own RequestConfig would also
    take ``?per_page=`` from the query string, where a zero, negative or huge
    value breaks the page or renders every row: the page size is ours."""
    RequestConfig(request, paginate=False).configure(table)
    try:
        page = int(request.GET.get(table.prefixed_page_field, 1))
    except ValueError:
        page = 1
    try:
        table.paginate(page=page, per_page=per_page)
    except EmptyPage:
        # Past the end (or before the start): the nearest page there is.
        table.page = table.paginator.page(1 if page < 1 else table.paginator.num_pages)
    return table
