"""Filters of the list of contracts held for practices. The queryset they
filter carries ``status`` as of today (``Contract.objects.with_status``)."""

import django_filters
from django.db.models import Q

from contracts.models import Contract, ContractStatus, Organisation
from contracts.models.held import ENDING_SOON_DAYS
from fedportal import clock
from fedportal.widgets import DateInput
from localities.filters import visible_localities


def _contractors(request):
    """Only contractors of contracts the user can see: a practice user is not
    told who else the federation contracts with."""
    if request is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk__in=Contract.objects.visible_to(request.user).values("contractor"))


class ContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Project, reference or contractor")
    locality = django_filters.ModelChoiceFilter(
        queryset=visible_localities,
        method="covering_locality",
        label="Locality",
        empty_label="All localities",
    )
    status = django_filters.ChoiceFilter(
        choices=ContractStatus.choices, label="Status today", empty_label="Any status"
    )
    contractor = django_filters.ModelChoiceFilter(
        queryset=_contractors, label="Contractor", empty_label="Any contractor"
    )
    ending_before = django_filters.DateFilter(
        field_name="end_date",
        lookup_expr="lt",
        label="Ending before",
        widget=DateInput(),
    )

    attention = django_filters.ChoiceFilter(
        choices=[("yes", f"Ending within {ENDING_SOON_DAYS} days or past their extension decision date")],
        method="needing_attention",
        label="Needs a decision",
        empty_label="Any",
    )

    class Meta:
        model = Contract
        fields = ["q", "locality", "status", "contractor", "ending_before", "attention"]

    def needing_attention(self, queryset, name, value):
        """Signed contracts ending soon (status "ending" today), or still
        running past the day practices were to decide on their extension:
        the staff home page's queue links here."""
        return queryset.filter(
            Q(status=ContractStatus.ENDING)
            | Q(status=ContractStatus.ACTIVE, extension_decision_by__lt=clock.today())
        )

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(title__icontains=value) | Q(reference__icontains=value) | Q(contractor__name__icontains=value)
        )

    def covering_locality(self, queryset, name, locality):
        """Contracts for every locality, for this one, or for one of its
        practices. Subqueries rather than joins, so no row comes twice."""
        if locality is None:
            return queryset
        for_locality = Contract.localities.through.objects.filter(locality=locality)
        for_its_practices = Contract.practices.through.objects.filter(practice__locality=locality)
        return queryset.filter(
            Q(covers_all_localities=True)
            | Q(pk__in=for_locality.values("contract"))
            | Q(pk__in=for_its_practices.values("contract"))
        )
