"""Filters of the sub-contract, evidence and service lists, and of the
compliance dashboard's matrix."""

import django_filters
from django import forms

from contracts.compliance import Compliance, filter_compliance
from contracts.models import EvidenceStatus, EvidenceSubmission, HeadContract, Service, SubContract
from fedportal.clock import today as portal_today
from fedportal.widgets import DateInput
from localities.filters import search_practices, visible_localities

DATE_WIDGET = DateInput()
YES_NO = [("", "Either"), ("true", "Yes"), ("false", "No")]


def _services(request):
    return Service.objects.all()


class SubContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Practice name or ODS code")
    locality = django_filters.ModelChoiceFilter(
        field_name="practice__locality", queryset=visible_localities, empty_label="All localities"
    )
    service = django_filters.ModelChoiceFilter(queryset=_services, empty_label="All services")
    compliance = django_filters.ChoiceFilter(
        choices=Compliance.choices,
        method="filter_compliance",
        empty_label="Any compliance",
        label="Compliance",
    )
    active = django_filters.BooleanFilter(
        label="Active today", method="filter_active", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = SubContract
        fields = ["q", "locality", "service", "compliance", "active"]

    def search(self, queryset, name, value):
        return search_practices(queryset, "practice__", value)

    def filter_compliance(self, queryset, name, value):
        return filter_compliance(queryset, value, portal_today())

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        today = portal_today()
        if value:
            return queryset.active_on(today)
        return queryset.exclude(pk__in=SubContract.objects.active_on(today).values("pk"))


class ComplianceMatrixFilterSet(django_filters.FilterSet):
    """The dashboard's filter: which localities' practices (rows) and which
    services (columns). Applied to the active sub-contracts it counts."""

    locality = django_filters.ModelChoiceFilter(
        field_name="practice__locality", queryset=visible_localities, empty_label="All localities"
    )
    service = django_filters.ModelChoiceFilter(queryset=_services, empty_label="All services")

    class Meta:
        model = SubContract
        fields = ["locality", "service"]


class EvidenceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Practice name or ODS code")
    status = django_filters.ChoiceFilter(choices=EvidenceStatus.choices, empty_label="Any status")
    service = django_filters.ModelChoiceFilter(
        field_name="subcontract__service", queryset=_services, empty_label="All services"
    )
    requirement = django_filters.CharFilter(
        field_name="requirement__name", lookup_expr="icontains", label="Evidence (e.g. indemnity)"
    )
    locality = django_filters.ModelChoiceFilter(
        field_name="subcontract__practice__locality",
        queryset=visible_localities,
        empty_label="All localities",
    )
    valid_to_before = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="lte", label="Valid to on or before", widget=DATE_WIDGET
    )
    expiring = django_filters.ChoiceFilter(
        choices=[("yes", "Expiring within 30 days, not yet replaced")],
        method="filter_expiring",
        empty_label="Any",
        label="Expiring",
    )

    class Meta:
        model = EvidenceSubmission
        fields = ["q", "status", "service", "requirement", "locality", "valid_to_before", "expiring"]

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_unreplaced(portal_today()) if value == "yes" else queryset

    def search(self, queryset, name, value):
        return search_practices(queryset, "subcontract__practice__", value)


class ServiceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    head_contract = django_filters.ModelChoiceFilter(
        queryset=HeadContract.objects.select_related("commissioner"), empty_label="All head contracts"
    )
    archived = django_filters.BooleanFilter(label="Archived", widget=forms.Select(choices=YES_NO))

    class Meta:
        model = Service
        fields = ["q", "head_contract", "archived"]
