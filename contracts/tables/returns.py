"""The activity returns table."""

import django_tables2 as tables
from django.utils.html import format_html_join

from contracts.models import ActivityReturn, ReturnStatus
from fedportal.tables import MoneyColumn, NumberColumn, tag

RETURN_TAGS = {
    ReturnStatus.SUBMITTED: "nhsuk-tag--blue",
    ReturnStatus.APPROVED: "nhsuk-tag--green",
    ReturnStatus.REJECTED: "nhsuk-tag--red",
}


def return_status_tag(activity_return: ActivityReturn) -> str:
    return tag(RETURN_TAGS.get(activity_return.status, ""), activity_return.get_status_display())


class ReturnTable(tables.Table):
    practice = tables.Column(
        "Practice",
        accessor="subcontract__practice__name",
        order_by=("subcontract__practice__name",),
        linkify=lambda record: record.get_absolute_url(),
    )
    ods_code = tables.Column("ODS code", accessor="subcontract__practice__ods_code")
    service = tables.Column("Service", accessor="subcontract__service__name")
    quarter = tables.Column("Quarter", accessor="period", order_by=("year", "quarter"))
    units_total = NumberColumn("Units")
    claim_value = MoneyColumn("Claim value")
    status = tables.Column("Status")
    amendment = tables.Column("Amendment", accessor="amends_id", orderable=False, empty_values=())
    submitted_at = tables.DateTimeColumn(verbose_name="Submitted", format="DATE_FORMAT")

    class Meta:
        model = ActivityReturn
        fields = [
            "practice",
            "ods_code",
            "service",
            "quarter",
            "units_total",
            "claim_value",
            "status",
            "amendment",
            "submitted_at",
        ]
        order_by = ("-quarter", "practice")
        empty_text = "No returns match these filters."

    def render_status(self, record):
        return return_status_tag(record)

    def render_amendment(self, record):
        # ``replaced`` is annotated by ``for_table()``: an approved return
        # whose approved amendment is now the one paid.
        tags = []
        if record.amends_id:
            tags.append(("nhsuk-tag--purple", "Amendment"))
        if getattr(record, "replaced", False):
            tags.append(("nhsuk-tag--grey", "Replaced by an amendment"))
        if not tags:
            return "—"
        return format_html_join(" ", "{}", ((tag(*t),) for t in tags))
