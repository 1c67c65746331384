"""What a network is owed for a contract year, from the rates kept as data:
each rate per patient a year, paid monthly over its period (a part year is
pro-rated by whole months), on the list size at the reference date.
Decimal throughout, each month rounded to the penny, the year being the sum
of its months, with the working shown; payments received are reconciled
month by month, and the network's core funding is split between members by
the method its agreement names."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from fedportal.money import apportion, to_pennies
from pcn.models import ContractYear, Payment, Rate

MONTHS_IN_YEAR = Decimal(12)


def months_of(year: ContractYear) -> list[date]:
    """The first day of each month of the contract year."""
    months, day = [], year.start.replace(day=1)
    while day <= year.end:
        months.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return months


@dataclass
class Entitlement:
    rate: Rate
    list_size: int
    months: list[date]
    monthly: Decimal

    @property
    def total(self) -> Decimal:
        return self.monthly * len(self.months)

    @property
    def working(self) -> str:
        per_year = self.rate.per_patient_per_year.normalize()
        return (
            f"{self.list_size:,} patients × £{per_year} a year ÷ 12 = £{self.monthly:,.2f} a month; "
            f"× {len(self.months)} month{'s' if len(self.months) != 1 else ''} "
            f"({self.months[0]:%b %Y} to {self.months[-1]:%b %Y}) = £{self.total:,.2f}"
            if self.months
            else "Not paid in this year."
        )


@dataclass
class ScheduleMonth:
    month: date
    expected: Decimal = Decimal("0.00")
    received: Decimal = Decimal("0.00")
    lines: dict = field(default_factory=dict)

    @property
    def difference(self) -> Decimal:
        return self.received - self.expected

    @property
    def shortfall(self) -> bool:
        return self.received < self.expected


def entitlements(year: ContractYear, rates: list[Rate], list_size: int) -> list[Entitlement]:
    """Each rate's entitlement: the months of the year its period covers."""
    result = []
    for rate in rates:
        # A month is paid when the rate is in force on its first day: a period
        # starting mid-month starts with the next month.
        months = [m for m in months_of(year) if rate.starts <= m <= rate.ends]
        monthly = to_pennies(Decimal(list_size) * rate.per_patient_per_year / MONTHS_IN_YEAR)
        result.append(Entitlement(rate, list_size, months, monthly))
    return result


def schedule(year: ContractYear, owed: list[Entitlement], payments: list[Payment]) -> list[ScheduleMonth]:
    """Expected and received for each month of the year."""
    rows = {m: ScheduleMonth(m) for m in months_of(year)}
    for entitlement in owed:
        for month in entitlement.months:
            rows[month].expected += entitlement.monthly
            rows[month].lines[entitlement.rate.kind] = entitlement.monthly
    for payment in payments:
        month = payment.month.replace(day=1)
        if month in rows:
            rows[month].received += payment.amount
    return list(rows.values())


def member_split(total: Decimal, members: list, method: str) -> dict:
    """Split ``total`` between members (rows with ``ods_code``, ``list_size``
    and ``share``) to the penny, adding up exactly: equally, by list size, or
    by the fixed shares the network agreement names."""
    if method == "list_size":
        weights = {m.ods_code: m.list_size or 0 for m in members}
    elif method == "fixed":
        weights = {m.ods_code: m.share or Decimal(0) for m in members}
    else:
        weights = {m.ods_code: 1 for m in members}
    return apportion(total, weights)
