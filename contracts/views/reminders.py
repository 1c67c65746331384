"""The list of reminder emails the mail server refused: staff's work queue
links here, so that a practice whose address is wrong is not left untold."""

from contracts.filters.reminders import ReminderFailureFilterSet
from contracts.models import ReminderFailure
from contracts.permissions import can_review_evidence
from contracts.tables.reminders import ReminderFailureTable
from fedportal.lists import FilteredListView
from fedportal.permissions import RuleRequiredMixin


class ReminderFailureListView(RuleRequiredMixin, FilteredListView):
    # Whoever reviews practices' evidence is who chases their reminders.
    rule = staticmethod(can_review_evidence)
    filterset_class = ReminderFailureFilterSet
    table_class = ReminderFailureTable
    title = "Reminders that failed to send"
    intro = (
        "Emails from send_reminders that the mail server refused. Each is tried again on the next run; "
        "one still not sent usually means a wrong or full mailbox: check the person's email address."
    )

    def get_queryset(self):
        return ReminderFailure.objects.for_table()
