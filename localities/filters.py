import re

import django_filters
from django import forms
from django.db.models import Q

from localities.models import Locality, Practice, PracticeStatus


def _localities(request):
    if request is None:
        return Locality.objects.none()
    return Locality.objects.visible_to(request.user)


class PracticeFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, ODS code or postcode")
    locality = django_filters.ModelChoiceFilter(queryset=_localities, empty_label="All localities")
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
        value = value.strip()
        if not value:
            return queryset
        compact = re.sub(r"\s+", "", value).upper()
        return queryset.filter(
            Q(name__icontains=value)
            | Q(ods_code__istartswith=compact)
            | Q(postcode__istartswith=value.upper())
            | Q(postcode__istartswith=f"{compact[:-3]} {compact[-3:]}" if len(compact) > 4 else compact)
        )


class LocalityFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")

    class Meta:
        model = Locality
        fields = ["q"]
