"""The payment schedule of a service for a quarter: what the paying
organisation (LLR PCL for H. pylori) pays each practice, from the approved
returns in force. "Q3 returns are now being collated and passed to PCL for
payment" (seed 000): this is that file.

An approved amendment replaces the return it amends, so each practice is
paid once, on its latest approved figures (``ActivityReturnQuerySet.current``),
and a return enters a schedule once its quarter has ended, unless staff
accepted it early (``ActivityReturnQuerySet.payable``).
One row per return line: a quarter whose tariff changed part way through
gives a practice two rows, one per tariff.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from contracts.models import ActivityReturn, ActivityReturnLine, Service
from contracts.models.returns import line_amount
from fedportal import clock, formats
from fedportal.exports import ExportColumn, write_xlsx
from fedportal.periods import Quarter


@dataclass(frozen=True)
class PaymentRow:
    """One line of an approved return in force: units at one tariff."""

    practice: str
    ods_code: str
    period_start: date
    period_end: date
    units: int
    unit_price: Decimal
    return_id: int
    amends_id: int | None
    amount: Decimal  # contracts.models.returns.line_amount

    @property
    def reference(self) -> str:
        return f"R{self.return_id} (amends R{self.amends_id})" if self.amends_id else f"R{self.return_id}"


COLUMNS = [
    ExportColumn("Practice", "practice", width=40),
    ExportColumn("ODS code", "ods_code", width=10),
    ExportColumn("Period from", "period_start", "date"),
    ExportColumn("Period to", "period_end", "date"),
    ExportColumn("Units", "units", "int", width=10),
    ExportColumn("Tariff", "unit_price", "money"),
    ExportColumn("Amount", "amount", "money", width=14),
    ExportColumn("Return", "reference", width=22),
]
# Rows above the table: title, paying organisation, commissioner, quarter,
# when it was produced, then a blank row.
HEADER_ROW = 7


def payment_schedule_rows(service: Service, quarter: Quarter, today: date | None = None) -> list[PaymentRow]:
    """The lines of the service's approved returns in force for the quarter,
    ordered by practice and period: none for a quarter that has not ended by
    ``today`` (the portal's), but those staff accepted early."""
    in_force = (
        ActivityReturn.objects.filter(subcontract__service=service)
        .for_quarter(quarter)
        .payable(today or clock.today())
    )
    lines = (
        ActivityReturnLine.objects.filter(activity_return__in=in_force)
        .annotate(amount=line_amount())
        .order_by(
            "activity_return__subcontract__practice__name",
            "activity_return__subcontract__practice__ods_code",
            "period_start",
        )
        .values_list(
            "activity_return__subcontract__practice__name",
            "activity_return__subcontract__practice__ods_code",
            "period_start",
            "period_end",
            "units",
            "unit_price",
            "activity_return_id",
            "activity_return__amends_id",
            "amount",
        )
    )
    return [PaymentRow(*values) for values in lines.iterator(chunk_size=2000)]


def payment_schedule_totals(rows: list[PaymentRow]) -> tuple[int, Decimal]:
    """Total units and amount, added up as Decimals."""
    return sum((row.units for row in rows), 0), sum((row.amount for row in rows), Decimal("0.00"))


def payment_schedule_title(service: Service, quarter: Quarter) -> str:
    return f"{service.name} payment schedule {quarter}"


def payment_schedule_filename(service: Service, quarter: Quarter) -> str:
    return f"{service.slug}-payment-schedule-{quarter.key}"


def payment_schedule_xlsx(service: Service, quarter: Quarter, rows: list[PaymentRow] | None = None):
    """The schedule as an xlsx workbook in a temporary file at its start: a
    heading naming the service, quarter and paying organisation, one row per
    return line, and a totals row whose units and amount are values (not
    formulas) equal to the Decimal sums, so that the file reads the same in
    any program."""
    if rows is None:
        rows = payment_schedule_rows(service, quarter)
    head = service.head_contract
    preamble = [
        [payment_schedule_title(service, quarter)],
        ["Paying organisation", str(head.payer)],
        ["Commissioner", f"{head.commissioner} ({head.title})"],
        ["Quarter", f"{quarter}: {quarter.start:%-d %B %Y} to {quarter.end:%-d %B %Y}"],
        ["Produced", f"{formats.when(clock.now())}, from the approved returns in force"],
        [],
    ]
    units, amount = payment_schedule_totals(rows)
    return write_xlsx(
        ([getattr(row, column.path) for column in COLUMNS] for row in rows),
        COLUMNS,
        title=str(quarter),
        totals=["Total", None, None, None, units, None, amount, f"{len(rows)} lines"],
        preamble=preamble,
    )
