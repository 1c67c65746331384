import re

import django_filters
from django import forms
from django.db.models import Q

from fedportal.clock import today
from fedportal.widgets import DateInput
from localities.models import Locality, Practice, PracticeStatus, member_q


def visible_localities(request):
    """The localities a filter offers: those the user sees (none without a request)."""
    if request is None:
        return Locality.objects.none()
    return Locality.objects.visible_to(request.user)


def search_practices(queryset, prefix: str, value: str, *, postcode: bool = False):
    """Practices (reached through ``prefix``, e.g. "practice__") by name
    anywhere or the start of their ODS code, and, with ``postcode``, the start
    of their postcode typed with or without its space."""
    value = value.strip()
    if not value:
        return queryset
    compact = re.sub(r"\s+", "", value).upper()
    match = Q(**{f"{prefix}name__icontains": value}) | Q(**{f"{prefix}ods_code__istartswith": compact})
    if postcode:
        spaced = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else compact
        match |= Q(**{f"{prefix}postcode__istartswith": value.upper()}) | Q(
            **{f"{prefix}postcode__istartswith": spaced}
        )
    return queryset.filter(match)


class PracticeFilterSet(django_filters.FilterSet):
    """Practices by name, locality, membership and status. Status and
    membership are those of one day (``on``, the portal's today unless
    given), read from the dates as every count of practices reads them
    (``PracticeQuerySet.with_status_on``, ``members``): a headline that
    links here with the same filters counts exactly these rows."""

    q = django_filters.CharFilter(method="search", label="Name, ODS code or postcode")
    locality = django_filters.ModelChoiceFilter(queryset=visible_localities, empty_label="All localities")
    member = django_filters.ChoiceFilter(
        label="Member of the federation",
        choices=[("yes", "Members"), ("no", "Not members")],
        empty_label="Members or not",
        method="membership",
    )
    status = django_filters.ChoiceFilter(
        choices=PracticeStatus.choices, empty_label="Any status", method="status_on_day"
    )
    is_shareholder = django_filters.BooleanFilter(
        label="Shareholder",
        widget=forms.Select(
            choices=[("", "Either"), ("true", "Shareholders"), ("false", "Not shareholders")]
        ),
    )
    on = django_filters.DateFilter(
        label="Status and membership on", method="on_day", widget=DateInput(), help_text="Today if empty."
    )

    class Meta:
        model = Practice
        fields = ["q", "locality", "member", "status", "is_shareholder", "on"]

    def day(self):
        cleaned = getattr(self.form, "cleaned_data", {}) or {}
        return cleaned.get("on") or today()

    def filter_queryset(self, queryset):
        # The status shown and filtered, and the list size, are the chosen day's.
        day = self.day()
        return super().filter_queryset(queryset.with_status_on(day).list_size_on(day))

    def search(self, queryset, name, value):
        return search_practices(queryset, "", value, postcode=True)

    def membership(self, queryset, name, value):
        members = member_q(self.day())
        return queryset.filter(members) if value == "yes" else queryset.exclude(members)

    def status_on_day(self, queryset, name, value):
        return queryset.filter(status_on=value)

    def on_day(self, queryset, name, value):
        return queryset  # read by day(): it sets when status and membership are read


class LocalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")

    class Meta:
        model = Locality
        fields = ["q"]
