"""Filters of the list of reminder emails that failed to send."""

import django_filters

from contracts.models import ReminderFailure

OUTCOMES = [("yes", "Not yet sent since"), ("no", "Sent since")]


class ReminderFailureFilterSet(django_filters.FilterSet):
    unresolved = django_filters.ChoiceFilter(
        method="filter_unresolved", choices=OUTCOMES, label="Since then", empty_label="Any"
    )

    class Meta:
        model = ReminderFailure
        fields = ["unresolved"]

    def filter_unresolved(self, queryset, name, value):
        return queryset.filter(resolved=value != "yes")
