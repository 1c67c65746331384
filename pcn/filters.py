"""Filters of the list of networks. The queryset carries
``registration_status`` for the contract year shown (``PCN.objects.for_table``)."""

import django_filters
from django.db.models import Q

from pcn.models import PCN, Membership, RegistrationStatus

NO_REGISTRATION = "none"


class PCNFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Name, PCN code or member practice")
    ccg_code = django_filters.CharFilter(label="CCG code", method="by_ccg")
    registration = django_filters.ChoiceFilter(
        choices=[(NO_REGISTRATION, "Not started"), *RegistrationStatus.choices],
        method="by_registration",
        label="Registration",
        empty_label="Any",
    )

    class Meta:
        model = PCN
        fields = ["q", "ccg_code", "registration"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(code__istartswith=value)
            | Q(
                pk__in=Membership.objects.filter(
                    Q(practice__name__icontains=value) | Q(practice__ods_code__istartswith=value)
                ).values("pcn")
            )
        )

    def by_ccg(self, queryset, name, value):
        return queryset.filter(ccg_code=value.strip().upper()) if value.strip() else queryset

    def by_registration(self, queryset, name, value):
        if value == NO_REGISTRATION:
            return queryset.filter(registration_status__isnull=True)
        return queryset.filter(registration_status=value)
