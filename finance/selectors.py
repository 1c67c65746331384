"""Reads of the finance app, each a keyword-only function taking the user so
that what it returns is in their scope (practice users: nothing).

Every table the board reads is computed here from the lines' figures, never
from stored totals: seed 001's Table 1 (income streams, gross contract value
secured, with cost savings below) and Table 2 (net income and expenses, with
the surplus or deficit), the overview of the current and next financial
year against plan, the forecast outturn and its movement since the previous
month's board paper (read from the figures' recorded history), a shared
cost's split across localities, and the transformation-fund fees table."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from fractions import Fraction

from django.apps import apps
from django.db.models import BooleanField, DateField, ExpressionWrapper, F, Max, Min, Q, Sum, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from fedportal.money import apportion
from fedportal.periods import financial_year_label, financial_year_of
from finance.models import (
    Basis,
    Figure,
    FinanceImport,
    FinanceSettings,
    Kind,
    Line,
    PerPatientFunding,
    SharedCost,
    SharedCostPart,
    ShopRate,
    TransformationProject,
)
from localities.models import Locality

ZERO = Decimal("0.00")
ALL_BASES = tuple(Basis.values)


# Filters ------------------------------------------------------------------------


@dataclass(frozen=True)
class TableFilter:
    """What a summary table shows: a range of financial years and the bases
    of the figures counted (actual, forecast, to be confirmed), optionally
    one commissioner's lines."""

    first_year: int | None = None
    last_year: int | None = None
    bases: tuple[str, ...] = ALL_BASES
    commissioner_id: int | None = None

    def describe(self, years: list[int], commissioner_name: str = "") -> list[tuple[str, str]]:
        """The filters in words, as the page and the workbook write them above the table."""
        described = [
            ("Financial years", f"{financial_year_label(years[0])} to {financial_year_label(years[-1])}")
            if years
            else ("Financial years", "none"),
            ("Basis", ", ".join(str(Basis(b).label) for b in self.bases)),
        ]
        if commissioner_name:
            described.append(("Commissioner", commissioner_name))
        return described


# Summary tables (seed 001, Tables 1 and 2) ----------------------------------------------


@dataclass
class Row:
    """One line of a summary table: an amount per year (None where it has no
    figure), its total, and the comments of its figures."""

    line: Line
    amounts: list[Decimal | None]
    comment: str = ""

    @property
    def total(self) -> Decimal:
        return sum((a for a in self.amounts if a is not None), ZERO)

    @property
    def label(self) -> str:
        return self.line.name

    @property
    def commissioner(self) -> str:
        return self.line.commissioner_display

    @property
    def url(self) -> str:
        return self.line.get_absolute_url()


@dataclass
class Block:
    """Rows of one kind of figure with their column totals."""

    title: str
    total_label: str
    rows: list[Row]
    years: list[int]

    @property
    def totals(self) -> list[Decimal]:
        return [sum((r.amounts[i] or ZERO for r in self.rows), ZERO) for i in range(len(self.years))]

    @property
    def total(self) -> Decimal:
        return sum(self.totals, ZERO)


@dataclass
class SummaryTable:
    years: list[int]
    blocks: list[Block]
    filters: list[tuple[str, str]]

    @property
    def year_labels(self) -> list[str]:
        return [financial_year_label(y) for y in self.years]


def _years(figures: list[Figure], table_filter: TableFilter) -> list[int]:
    """The columns: the filter's range, or from the first year with a
    figure to the last."""
    seen = [f.year for f in figures]
    first = table_filter.first_year if table_filter.first_year is not None else min(seen, default=None)
    last = table_filter.last_year if table_filter.last_year is not None else max(seen, default=None)
    if first is None or last is None or last < first:
        return []
    return list(range(first, last + 1))


def _block(title: str, total_label: str, figures: list[Figure], years: list[int]) -> Block:
    by_line: dict[int, Row] = {}
    comments: dict[int, list[str]] = defaultdict(list)
    index = {year: i for i, year in enumerate(years)}
    for figure in sorted(figures, key=lambda f: (f.line.position, f.line.name, f.year)):
        if figure.year not in index:
            continue
        row = by_line.get(figure.line_id)
        if row is None:
            row = by_line[figure.line_id] = Row(figure.line, [None] * len(years))
        row.amounts[index[figure.year]] = figure.amount
        if figure.comment and figure.comment not in comments[figure.line_id]:
            comments[figure.line_id].append(figure.comment)
    for line_id, row in by_line.items():
        row.comment = "; ".join(comments[line_id])
    return Block(title, total_label, list(by_line.values()), years)


def _figures(*, user, kinds, table_filter: TableFilter) -> list[Figure]:
    figures = (
        Figure.objects.visible_to(user)
        .for_tables()
        .filter(kind__in=kinds, basis__in=table_filter.bases, line__archived=False)
    )
    if table_filter.first_year is not None:
        figures = figures.filter(year__gte=table_filter.first_year)
    if table_filter.last_year is not None:
        figures = figures.filter(year__lte=table_filter.last_year)
    if table_filter.commissioner_id is not None:
        figures = figures.filter(line__commissioner_id=table_filter.commissioner_id)
    return list(figures)


def income_streams_table(*, user, table_filter: TableFilter = TableFilter()) -> SummaryTable:
    """Seed 001, Table 1: the income streams secured (gross contract value)
    by commissioner and year with their subtotal, and the cost savings below
    with theirs. One query."""
    figures = _figures(user=user, kinds=[Kind.GROSS, Kind.SAVING], table_filter=table_filter)
    years = _years(figures, table_filter)
    streams = _block(
        "Secured income streams", "Sub total", [f for f in figures if f.kind == Kind.GROSS], years
    )
    savings = _block("Cost savings", "Sub total", [f for f in figures if f.kind == Kind.SAVING], years)
    return SummaryTable(
        years, [streams, savings], table_filter.describe(years, _commissioner_name(figures, table_filter))
    )


@dataclass
class IncomeAndExpenditure(SummaryTable):
    @property
    def income(self) -> Block:
        return self.blocks[0]

    @property
    def expenses(self) -> Block:
        return self.blocks[1]

    @property
    def surplus(self) -> list[Decimal]:
        return [i - e for i, e in zip(self.income.totals, self.expenses.totals, strict=True)]

    @property
    def surplus_total(self) -> Decimal:
        return self.income.total - self.expenses.total


def income_and_expenditure_table(*, user, table_filter: TableFilter = TableFilter()) -> IncomeAndExpenditure:
    """Seed 001, Table 2: the federation's net income by line and year with
    comments, the total, the expenses and the surplus or deficit. One query.
    A commissioner filter narrows the income lines (expenses have none)."""
    figures = _figures(user=user, kinds=[Kind.NET], table_filter=table_filter)
    expense_filter = TableFilter(table_filter.first_year, table_filter.last_year, table_filter.bases)
    spending = (
        []
        if table_filter.commissioner_id is not None
        else _figures(user=user, kinds=[Kind.EXPENDITURE], table_filter=expense_filter)
    )
    years = _years(figures + spending, table_filter)
    income = _block("Income", "Total", figures, years)
    expenses = _block("Expenses", "Expenses", spending, years)
    return IncomeAndExpenditure(
        years, [income, expenses], table_filter.describe(years, _commissioner_name(figures, table_filter))
    )


def _commissioner_name(figures: list[Figure], table_filter: TableFilter) -> str:
    if table_filter.commissioner_id is None:
        return ""
    for figure in figures:
        if figure.line.commissioner_id == table_filter.commissioner_id:
            return figure.line.commissioner.name
    return "(none with figures)"


def figure_years(*, user) -> tuple[int | None, int | None]:
    """The first and last financial year with any figure, for the filters' choices."""
    found = Figure.objects.visible_to(user).aggregate(first=Min("year"), last=Max("year"))
    return found["first"], found["last"]


# The overview: current and next year against plan, the outturn and its movement ---------


def month_start(day: date):
    """Midnight (local time) at the start of ``day``'s month: the cut-off of
    the previous month's board paper."""
    return timezone.make_aware(datetime.combine(day.replace(day=1), time.min))


@dataclass
class Movement:
    """A current-year figure's movement since the previous month's paper."""

    line: Line
    kind: str
    previous: Decimal
    current: Decimal
    note: str
    needs_note: bool

    @property
    def change(self) -> Decimal:
        return self.current - self.previous


@dataclass
class YearSummary:
    year: int
    income: Decimal = ZERO
    expenditure: Decimal = ZERO
    income_plan: Decimal = ZERO
    expenditure_plan: Decimal = ZERO
    by_commissioner: list[tuple[str, int | None, Decimal]] = field(default_factory=list)
    by_stream: list[tuple[Line, Decimal, Decimal | None]] = field(default_factory=list)
    by_expenditure: list[tuple[Line, Decimal, Decimal | None]] = field(default_factory=list)

    @property
    def label(self) -> str:
        return financial_year_label(self.year)

    @property
    def surplus(self) -> Decimal:
        return self.income - self.expenditure

    @property
    def surplus_plan(self) -> Decimal:
        return self.income_plan - self.expenditure_plan

    @property
    def variance(self) -> Decimal:
        """Surplus against plan: positive is better than planned."""
        return self.surplus - self.surplus_plan


@dataclass
class Overview:
    today: date
    years: list[YearSummary]
    movements: list[Movement]
    previous_outturn: Decimal | None
    threshold: Decimal
    history: list[tuple[int, Decimal, Decimal]]  # (year, income, expenditure) for the charts
    # Net income by commissioner: {name: {year: amount}}, for the stacked chart.
    income_by_commissioner: dict[str, dict[int, Decimal]] = field(default_factory=dict)

    @property
    def current(self) -> YearSummary:
        return self.years[0]

    @property
    def outturn(self) -> Decimal:
        return self.current.surplus

    @property
    def outturn_movement(self) -> Decimal | None:
        return None if self.previous_outturn is None else self.outturn - self.previous_outturn

    @property
    def paper_month(self) -> date:
        """The month of the previous board paper whose figures the movement is measured from."""
        start = self.today.replace(day=1)
        return (
            start.replace(year=start.year - 1, month=12)
            if start.month == 1
            else start.replace(month=start.month - 1)
        )


def previous_month_amounts(*, user, year: int, before) -> dict[int, tuple[str, Decimal]]:
    """Each figure's kind and amount as the history recorded them before
    ``before`` (the start of this month): {figure id: (kind, amount)}, for the
    net income and expenditure figures of
    ``year`` that then existed. One query on the figures' event table."""
    if not user.is_authenticated or not user.sees_every_practice:
        return {}
    return previous_month_amounts_of(year=year, before=before)


def previous_month_events(*, year: int, before):
    """Each figure of ``year``'s last recorded event before ``before``."""
    events = apps.get_model("finance", "FigureEvent").objects
    return (
        events.filter(pgh_created_at__lt=before, year=year)
        .order_by("pgh_obj_id", "-pgh_created_at", "-pgh_id")
        .distinct("pgh_obj_id")
    )


def amounts_of_events(rows) -> dict[int, tuple[str, Decimal]]:
    """{figure id: (kind, amount)} from (figure id, label, amount, kind) rows
    of ``previous_month_events``: the figures that then existed."""
    return {
        obj_id: (kind, amount)
        for obj_id, label, amount, kind in rows
        if label != "delete" and kind in (Kind.NET, Kind.EXPENDITURE)
    }


def previous_month_amounts_of(*, year: int, before) -> dict[int, tuple[str, Decimal]]:
    """``previous_month_amounts`` for the portal itself (an import run by a
    command has no user): not a read for a page."""
    return amounts_of_events(
        previous_month_events(year=year, before=before).values_list(
            "pgh_obj_id", "pgh_label", "amount", "kind"
        )
    )


def movement_threshold() -> Decimal:
    """The settings' threshold, or its default while no one has saved them:
    a read, never a write on a GET."""
    saved = FinanceSettings.objects.filter(pk=1).values_list("movement_threshold", flat=True).first()
    return FinanceSettings._meta.get_field("movement_threshold").default if saved is None else saved


def overview(
    *,
    user,
    today: date,
    charts: bool = True,
    previous: dict[int, tuple[str, Decimal]] | None = None,
    threshold: Decimal | None = None,
) -> Overview:
    """The current and next financial year at a glance (net income by
    commissioner and by line, expenditure, surplus against plan), the current
    year's forecast outturn and its movement since the previous month's board
    paper, and every year's income and expenditure for the charts. Four
    queries; fewer when the caller has read ``previous`` (its
    ``previous_month_amounts``) and ``threshold`` with its own records."""
    current = financial_year_of(today)
    years = {y: YearSummary(y) for y in (current, current + 1)}
    figures = list(
        Figure.objects.visible_to(user)
        .for_tables()
        .filter(year__in=list(years), kind__in=[Kind.NET, Kind.EXPENDITURE], line__archived=False)
        .order_by("line__position", "line__name")
    )
    commissioners: dict[int, dict] = {year: {} for year in years}
    for figure in figures:
        summary = years[figure.year]
        plan = figure.plan or ZERO
        if figure.kind == Kind.NET:
            summary.income += figure.amount
            summary.income_plan += plan
            summary.by_stream.append((figure.line, figure.amount, figure.plan))
            key = figure.line.commissioner_id
            name = figure.line.commissioner.name if key else "Several or none"
            entry = commissioners[figure.year].setdefault(key, [name, key, ZERO])
            entry[2] += figure.amount
        else:
            summary.expenditure += figure.amount
            summary.expenditure_plan += plan
            summary.by_expenditure.append((figure.line, figure.amount, figure.plan))
    for year, summary in years.items():
        summary.by_commissioner = sorted(
            (tuple(entry) for entry in commissioners[year].values()), key=lambda e: (-e[2], e[0])
        )

    # A read, never a write on a GET: the settings row may not exist yet.
    if not user.sees_every_practice:
        threshold = ZERO
    elif threshold is None:
        threshold = movement_threshold()
    if previous is None:
        previous = previous_month_amounts(user=user, year=current, before=month_start(today))
    movements = []
    for figure in figures:
        if figure.year != current:
            continue
        before = previous.get(figure.pk, (figure.kind, ZERO))[1]
        if before != figure.amount:
            moved = abs(figure.amount - before)
            movements.append(
                Movement(
                    figure.line,
                    figure.kind,
                    before,
                    figure.amount,
                    figure.movement_note,
                    moved > threshold and not figure.movement_note.strip(),
                )
            )
    # The outturn as the previous paper had it (a figure deleted since then
    # counted as it was; figures are never deleted by the services).
    previous_outturn = None
    if previous:
        previous_outturn = sum(
            (amount if kind == Kind.NET else -amount for kind, amount in previous.values()), ZERO
        )

    # A paper printing the tables alone (the COO report) does without the charts' query.
    totals, by_commissioner = _totals_by_year(user=user) if charts else ({}, {})
    history = [
        (year, sums.get(Kind.NET, ZERO), sums.get(Kind.EXPENDITURE, ZERO))
        for year, sums in sorted(totals.items())
    ]
    return Overview(
        today, list(years.values()), movements, previous_outturn, threshold, history, by_commissioner
    )


# The commissioners the stacked chart names; the rest are "Others".
CHART_COMMISSIONERS = 5


def _totals_by_year(*, user) -> tuple[dict[int, dict[str, Decimal]], dict[str, dict[int, Decimal]]]:
    """Net income and expenditure by year, and net income by commissioner by
    year (the largest few by name, the rest as "Others"): one query."""
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    income: dict[str, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    rows = (
        Figure.objects.visible_to(user)
        .filter(kind__in=[Kind.NET, Kind.EXPENDITURE], line__archived=False)
        .values("year", "kind", "line__commissioner__name")
        .annotate(total=Sum("amount"))
        .order_by("year")
    )
    for row in rows:
        year, kind = row["year"], row["kind"]
        totals[year][kind] = totals[year].get(kind, ZERO) + row["total"]
        if kind == Kind.NET:
            income[row["line__commissioner__name"] or "Several or none"][year] += row["total"]
    ranked = sorted(income, key=lambda name: (-sum(income[name].values()), name))
    by_commissioner = {name: dict(income[name]) for name in ranked[:CHART_COMMISSIONERS]}
    if len(ranked) > CHART_COMMISSIONERS:
        others: dict[int, Decimal] = defaultdict(lambda: ZERO)
        for name in ranked[CHART_COMMISSIONERS:]:
            for year, amount in income[name].items():
                others[year] += amount
        by_commissioner["Others"] = dict(others)
    return totals, by_commissioner


def table_url(name: str, **params) -> str:
    """A summary table's address with its filters."""
    query = urlencode({k: v for k, v in params.items() if v is not None}, doseq=True)
    return reverse(f"finance:{name}") + (f"?{query}" if query else "")


# A shared cost's split ----------------------------------------------------------------------


COLUMNS = ("contract", "fee", "legal", "management")


@dataclass
class SplitRow:
    locality: Locality | None
    name: str
    patients: int
    contract: Decimal
    fee: Decimal
    legal: Decimal
    management: Decimal
    exact_share: Fraction = Fraction(0)

    @property
    def total(self) -> Decimal:
        return self.contract + self.fee + self.legal + self.management

    @property
    def share_percent(self) -> Decimal:
        return Decimal(self.exact_share.numerator * 100) / Decimal(self.exact_share.denominator)


@dataclass
class Split:
    shared_cost: SharedCost
    rows: list[SplitRow]
    frozen: bool
    error: str = ""

    @property
    def patients(self) -> int:
        return sum(r.patients for r in self.rows)

    def column_total(self, name: str) -> Decimal:
        return sum((getattr(r, name) for r in self.rows), ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        return {name: self.column_total(name) for name in (*COLUMNS, "total")}


def shared_cost_split(*, user, shared_cost: SharedCost) -> Split:
    """The split of a shared cost across localities by registered patients:
    a published cost's frozen rows as the board was given them; a draft's
    computed now from the list sizes at its date, each column split to the
    penny by ``fedportal.money.apportion`` so every column adds up to its
    amount and every row's total is the sum of its parts. One query."""
    if shared_cost.is_published:
        parts = list(SharedCostPart.objects.visible_to(user).filter(shared_cost=shared_cost))
        patients = sum(p.patients for p in parts) or 1
        rows = [
            SplitRow(
                None,
                p.locality_name,
                p.patients,
                p.contract,
                p.fee,
                p.legal,
                p.management,
                Fraction(p.patients, patients),
            )
            for p in parts
        ]
        return Split(shared_cost, rows, frozen=True)
    return compute_split(shared_cost=shared_cost, user=user)


def compute_split(*, shared_cost: SharedCost, user) -> Split:
    """The split as the list sizes stand today (for a draft, and for publishing)."""
    localities = [
        loc
        for loc in Locality.objects.with_population(shared_cost.as_at, user=user).order_by("name")
        if loc.population
    ]
    weights = [loc.population for loc in localities]
    if not weights:
        return Split(
            shared_cost, [], frozen=False, error="No patients are registered in any locality at that date."
        )
    columns = {
        "contract": apportion(shared_cost.contract_cost, weights),
        "fee": apportion(shared_cost.fee, weights),
        "legal": apportion(shared_cost.legal, weights),
        "management": apportion(shared_cost.management, weights),
    }
    patients = sum(weights)
    rows = [
        SplitRow(
            loc,
            loc.name,
            loc.population,
            columns["contract"][i],
            columns["fee"][i],
            columns["legal"][i],
            columns["management"][i],
            Fraction(loc.population, patients),
        )
        for i, loc in enumerate(localities)
    ]
    return Split(shared_cost, rows, frozen=False)


def shared_costs(*, user):
    return SharedCost.objects.visible_to(user).select_related("contract").order_by("-as_at", "title")


# The transformation fund's fees (seed 000, Appendix 1) ------------------------------------------


@dataclass
class FeeRow:
    project: TransformationProject
    split: SplitRow | None

    @property
    def pm(self) -> Decimal:
        return self.project.project_management


@dataclass
class FeesTable:
    rows: list[FeeRow]
    split: Split | None

    def total(self, name: str) -> Decimal:
        return sum((getattr(r.project, name) for r in self.rows), ZERO)

    @property
    def patients(self) -> int:
        return sum(r.split.patients for r in self.rows if r.split)

    def split_total(self, name: str) -> Decimal:
        return sum((getattr(r.split, name) for r in self.rows if r.split), ZERO)

    @property
    def totals(self) -> dict:
        """The bottom row: the projects' columns, and the split's as shown."""
        return {
            "fee": self.total("fee"),
            "project_management": self.total("project_management"),
            "allocation": self.total("allocation"),
            "patients": self.patients,
            **{f"split_{name}": self.split_total(name) for name in (*COLUMNS, "total")},
        }


def transformation_fees(*, user, shared_cost: SharedCost | None = None) -> FeesTable:
    """The fees table of seed 000's Appendix 1: each project's TF
    implementation fee, project management and TF budget, with its
    locality's patients and share of ``shared_cost`` (GPTeamNet) on the
    first project row of each locality. Two or three queries."""
    projects = list(
        TransformationProject.objects.visible_to(user)
        .select_related("locality")
        .order_by("position", "title")
    )
    split = shared_cost_split(user=user, shared_cost=shared_cost) if shared_cost is not None else None
    by_name = {row.name: row for row in split.rows} if split else {}
    seen = set()
    rows = []
    for project in projects:
        row_split = None
        if project.locality_id not in seen:
            seen.add(project.locality_id)
            row_split = by_name.get(project.locality.name)
        rows.append(FeeRow(project, row_split))
    return FeesTable(rows, split)


def default_shared_cost(*, user) -> SharedCost | None:
    """The shared cost the fees table shows: the latest published, else the latest."""
    return default_shared_costs(user=user).first()


def default_shared_costs(*, user):
    """The shared costs in the order ``default_shared_cost`` prefers them:
    published first (newest published), then the latest drafted."""
    published = ExpressionWrapper(Q(status="published"), output_field=BooleanField())
    return (
        SharedCost.objects.visible_to(user)
        .annotate(is_published_first=published)
        .order_by("-is_published_first", F("published_at").desc(nulls_last=True), "-as_at")
    )


# The shop rate and per-patient funding --------------------------------------------------------


def shop_rates(*, user):
    return ShopRate.objects.visible_to(user).order_by("-financial_year")


@dataclass
class PerPatientRow:
    funding: PerPatientFunding
    population: int

    @property
    def amount(self) -> Decimal:
        return (self.funding.per_patient * self.population).quantize(Decimal("0.01"))


def per_patient_funding(*, user) -> list[PerPatientRow]:
    """Each per-patient funding applied to the registered population at its
    date, by the localities app's one rule (``Locality.with_population``: "the
    list size"). Two queries whatever the number of fundings and dates: the
    fundings, then every date's localities in one UNION ALL."""
    fundings = list(PerPatientFunding.objects.visible_to(user).select_related("line"))
    days = sorted({f.as_at for f in fundings})
    populations = dict.fromkeys(days, 0)
    if days:
        per_day = [
            Locality.objects.with_population(day, user=user)
            .order_by()
            .annotate(day=Value(day, output_field=DateField()))
            .values_list("day", "population")
            for day in days
        ]
        for day, population in per_day[0].union(*per_day[1:], all=True):
            populations[day] += population
    return [PerPatientRow(f, populations[f.as_at]) for f in fundings]


def finance_imports(*, user):
    """The finance workbooks uploaded, newest first."""
    return FinanceImport.objects.visible_to(user).select_related("uploaded_by").order_by("-uploaded_at")
