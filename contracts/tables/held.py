"""The table of contracts held for practices. Its rows come from
``ContractListView.get_queryset``: contractor joined, status as of today,
VAT and inc-VAT amounts and the localities covered annotated, so the
query count does not grow with the rows."""

import django_tables2 as tables

from contracts.models import Contract, ContractStatus
from fedportal.tables import MoneyColumn, tag

STATUS_TAGS = {
    ContractStatus.DRAFT: "nhsuk-tag--blue",
    ContractStatus.ACTIVE: "nhsuk-tag--green",
    ContractStatus.ENDING: "nhsuk-tag--orange",
    ContractStatus.ENDED: "nhsuk-tag--grey",
}
STATUS_LABELS = dict(ContractStatus.choices)
# Eleven columns: a smaller type keeps them all on a laptop screen.
SMALL = {"td": {"class": "nhsuk-u-font-size-16"}, "th": {"class": "nhsuk-u-font-size-16"}}
SMALL_NUMERIC = {
    "td": {"class": "fp-numeric nhsuk-u-font-size-16"},
    "th": {"class": "fp-numeric nhsuk-u-font-size-16"},
}


def contract_status_tag(status: str) -> str:
    return tag(STATUS_TAGS.get(status, ""), STATUS_LABELS.get(status, status))


class ContractTable(tables.Table):
    reference = tables.Column(attrs=SMALL)
    title = tables.Column("Project", linkify=True, attrs=SMALL)
    contractor = tables.Column(order_by=("contractor__name",), attrs=SMALL)
    covered_localities = tables.Column("Localities", orderable=False, default="—", attrs=SMALL)
    start_date = tables.DateColumn(verbose_name="Start", short=True, attrs=SMALL)
    end_date = tables.DateColumn(verbose_name="End", short=True, attrs=SMALL)
    duration = tables.Column(
        "Months", accessor="duration_months", orderable=False, attrs=SMALL_NUMERIC, empty_values=()
    )
    value = MoneyColumn("Value ex-VAT", attrs=SMALL_NUMERIC)
    vat = MoneyColumn("VAT", accessor="vat_amount", attrs=SMALL_NUMERIC)
    value_inc_vat = MoneyColumn("Value inc VAT", accessor="value_inc_vat_amount", attrs=SMALL_NUMERIC)
    status = tables.Column(order_by=("status", "end_date"), attrs=SMALL)

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "contractor",
            "covered_localities",
            "start_date",
            "end_date",
            "duration",
            "value",
            "vat",
            "value_inc_vat",
            "status",
        ]
        order_by = ("end_date",)
        empty_text = "No contracts match these filters."

    def render_status(self, value):
        return contract_status_tag(value)
