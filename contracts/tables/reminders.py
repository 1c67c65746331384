"""The table of reminder emails that failed to send."""

import django_tables2 as tables

from contracts.models import ReminderFailure
from fedportal.tables import WhenColumn, tag


class ReminderFailureTable(tables.Table):
    failed_at = WhenColumn("When")
    recipient = tables.Column("To", accessor="recipient__email", order_by=("recipient__email",))
    subject = tables.Column("Email")
    summary = tables.Column("What it listed", orderable=False)
    error = tables.Column("Why it failed", orderable=False)
    resolved = tables.Column("Since then", orderable=False)

    class Meta:
        model = ReminderFailure
        fields = ["failed_at", "recipient", "subject", "summary", "error", "resolved"]
        order_by = ("-failed_at",)

    def render_resolved(self, value):
        return tag("nhsuk-tag--green", "Sent since") if value else tag("nhsuk-tag--red", "Not yet sent")
