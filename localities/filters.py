import re

import django_filters
from django import forms
from django.db.models import Q

from localities.models import Locality, Practice, PracticeStatus


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
    q = django_filters.CharFilter(method="search", label="Name, ODS code or postcode")
    locality = django_filters.ModelChoiceFilter(queryset=visible_localities, empty_label="All localities")
    status = django_filters.ChoiceFilter(choices=PracticeStatus.choices, empty_label="Any status")
    is_shareholder = django_filters.BooleanFilter(
        label="Shareholder",
        widget=forms.Select(
            choices=[("", "Either"), ("true", "Shareholders"), ("false", "Not shareholders")]
        ),
    )

    class Meta:
        model = Practice
        fields = ["q", "locality", "status", "is_shareholder"]

    def search(self, queryset, name, value):
        return search_practices(queryset, "", value, postcode=True)


class LocalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")

    class Meta:
        model = Locality
        fields = ["q"]
