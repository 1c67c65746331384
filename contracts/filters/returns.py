"""Filters of the activity returns list."""

import django_filters

from contracts.models import ActivityReturn, ReturnStatus, Service
from fedportal.periods import Quarter
from localities.filters import search_practices, visible_localities


def _services(request):
    return Service.objects.filter(takes_returns=True)


class ReturnFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Practice name or ODS code")
    service = django_filters.ModelChoiceFilter(
        field_name="subcontract__service", queryset=_services, label="Service", empty_label="All services"
    )
    quarter = django_filters.ChoiceFilter(
        method="filter_quarter", choices=[], label="Quarter", empty_label="Any quarter"
    )
    status = django_filters.ChoiceFilter(
        choices=ReturnStatus.choices, label="Status", empty_label="Any status"
    )
    locality = django_filters.ModelChoiceFilter(
        field_name="subcontract__practice__locality",
        queryset=visible_localities,
        label="Locality",
        empty_label="All localities",
    )

    class Meta:
        model = ActivityReturn
        fields = ["q", "service", "quarter", "status", "locality"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The quarters that have returns (one query), newest first, as 2018-Q3.
        visible = ActivityReturn.objects.none()
        if self.request is not None:
            visible = ActivityReturn.objects.visible_to(self.request.user)
        pairs = visible.order_by("-year", "-quarter").values_list("year", "quarter").distinct()
        self.filters["quarter"].extra["choices"] = [
            (Quarter(year, number).key, str(Quarter(year, number))) for year, number in pairs
        ]

    def search(self, queryset, name, value):
        return search_practices(queryset, "subcontract__practice__", value)

    def filter_quarter(self, queryset, name, value):
        return queryset.for_quarter(Quarter.parse(value))
