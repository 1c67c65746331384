"""The finance part of ``manage.py seed_scale``: ten financial years (seven
past, the current, two ahead) of income streams, cost savings and
expenditure, about one income stream per locality plus the region's own
(230 streams at the default 200 localities) across 30 commissioners, with a
plan beside every net-income and expenditure figure; a transformation-fund
project or two per locality with quarterly progress updates; a shared cost
split over every locality (a draft, computed at each read, and the same
published, frozen); the shop rate; per-patient funding at three dates.

Runs after the contracts seeder, whose wipe (CASCADE) empties these tables
too, and whose organisations it uses as commissioners beside its own."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError

from contracts.models import Organisation, OrganisationKind
from fedportal.periods import financial_year_of
from fedportal.scale import step, wipe_app
from finance.models import (
    Basis,
    Figure,
    FinanceSettings,
    Kind,
    Line,
    PerPatientFunding,
    ProjectStatus,
    ProjectUpdate,
    Section,
    SharedCost,
    ShopRate,
    TransformationProject,
)
from finance.services import shared_cost_publish
from localities.models import Locality

YEARS_BACK, YEARS_AHEAD = 7, 2
COMMISSIONERS = 30
REGIONAL_STREAMS = 30
SAVINGS = 10
EXPENDITURE = 40
BATCH_SIZE = 5000
CATEGORIES = ["service", "transformation", "grant", "project", "scheme", "other"]
EXPENSE_NAMES = ["Staff", "Premises", "IT", "Legal", "Insurance", "Training", "Travel", "Audit"]


def seed(*, practices: int, rng, stdout, context: dict) -> None:
    today: date = context["today"]
    staff = context["users"]["staff"]
    current = financial_year_of(today)
    years = list(range(current - YEARS_BACK, current + YEARS_AHEAD + 1))
    with step(stdout, "finance: wiping"):
        wipe_app("finance")
    localities = list(Locality.objects.order_by("pk").values_list("pk", "name"))
    with step(stdout, f"finance: {COMMISSIONERS} commissioners, lines"):
        commissioners = _commissioners()
        lines = _lines(rng, localities, commissioners)
    with step(stdout, f"finance: figures for {len(years)} years"):
        figures = _figures(rng, lines, years, current)
    stdout.write(f" ({len(lines):,} lines, {figures:,} figures)", ending="")
    with step(stdout, "finance: transformation-fund projects and updates"):
        _projects(rng, localities, today, staff)
    with step(stdout, f"finance: shared cost over {len(localities)} localities, published and draft"):
        as_at = today - timedelta(days=30)
        shared = [
            SharedCost.objects.create(
                title=title,
                as_at=as_at,
                contract_cost=Decimal("1250000.00"),
                fee_percent=Decimal("7.50"),
                legal=Decimal("12500.00"),
                management=Decimal("83415.27"),
                management_note="Based on 4 hours per month per locality",
            )
            for title in ("GPTeamNet (region)", "GPTeamNet (region, draft)")
        ]
        try:
            shared_cost_publish(user=staff, shared_cost=shared[0])
        except ValidationError as refusal:  # no list sizes at that date: say so, keep going
            stdout.write(f" (not published: {' '.join(refusal.messages)})", ending="")
    with step(stdout, "finance: shop rate, per-patient funding, settings"):
        ShopRate.objects.bulk_create(
            ShopRate(
                financial_year=year,
                annual_costs=Decimal(166000 + 4000 * n),
                available_hours=1665,
                hours_note="37.5 hrs/week less AL & BH",
                margin_percent=Decimal("15"),
                vat_percent=Decimal("20"),
            )
            for n, year in enumerate(years)
        )
        PerPatientFunding.objects.bulk_create(
            PerPatientFunding(
                title=f"Per-patient scheme {n + 1}",
                per_patient=Decimal(rate),
                as_at=today - timedelta(days=days),
            )
            for n, (rate, days) in enumerate([("0.25", 30), ("1.50", 400), ("0.75", 800)])
        )
        FinanceSettings.objects.create(pk=1, movement_threshold=Decimal("5000"))


def _commissioners() -> list[Organisation]:
    existing = list(Organisation.objects.order_by("pk")[:10])
    made = Organisation.objects.bulk_create(
        Organisation(name=f"Synthetic commissioner {n + 1}", kind=OrganisationKind.COMMISSIONER)
        for n in range(COMMISSIONERS - len(existing))
    )
    return existing + made


def _lines(rng, localities, commissioners) -> list[Line]:
    rows = [
        Line(
            section=Section.INCOME,
            name=f"{name} locality support",
            commissioner=rng.choice(commissioners),
            category=rng.choice(CATEGORIES),
            position=n,
        )
        for n, (_, name) in enumerate(localities)
    ]
    rows += [
        Line(
            section=Section.INCOME,
            name=f"Regional stream {n + 1}",
            commissioner=rng.choice(commissioners),
            category=rng.choice(CATEGORIES),
            position=len(localities) + n,
        )
        for n in range(REGIONAL_STREAMS)
    ]
    rows += [
        Line(section=Section.SAVING, name=f"Purchasing scheme {n + 1}", position=n) for n in range(SAVINGS)
    ]
    rows += [
        Line(section=Section.EXPENDITURE, name=f"{EXPENSE_NAMES[n % len(EXPENSE_NAMES)]} {n + 1}", position=n)
        for n in range(EXPENDITURE)
    ]
    return Line.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _figures(rng, lines, years, current) -> int:
    rows = []
    for line in lines:
        kinds = {
            Section.INCOME: (Kind.GROSS, Kind.NET),
            Section.SAVING: (Kind.SAVING,),
            Section.EXPENDITURE: (Kind.EXPENDITURE,),
        }[line.section]
        size = rng.randint(5, 400) * 1000
        for year in years:
            if rng.random() < 0.15:  # not every line runs every year
                continue
            basis = (
                Basis.ACTUAL if year < current else rng.choice([Basis.FORECAST, Basis.FORECAST, Basis.TBC])
            )
            for kind in kinds:
                amount = Decimal(size * (10 if kind == Kind.GROSS else 1) * rng.uniform(0.8, 1.2)).quantize(
                    Decimal("0.01")
                )
                plan = None
                if kind in (Kind.NET, Kind.EXPENDITURE) and year >= current - 1:
                    plan = (amount * Decimal(rng.uniform(0.9, 1.1))).quantize(Decimal("0.01"))
                rows.append(
                    Figure(
                        line=line,
                        year=year,
                        kind=kind,
                        basis=basis,
                        amount=amount,
                        plan=plan,
                        comment="Estimates" if basis == Basis.TBC else "",
                    )
                )
    Figure.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    return len(rows)


def _projects(rng, localities, today, staff) -> None:
    projects = []
    for n, (pk, name) in enumerate(localities):
        for k in range(rng.choice([1, 1, 2])):
            projects.append(
                TransformationProject(
                    locality_id=pk,
                    title=f"{name} {['care navigation', 'physio first contact', 'extended access'][k]}",
                    allocation=Decimal(rng.randint(20, 200) * 1000),
                    fee=Decimal(rng.randint(1, 10) * 500),
                    project_management=Decimal(rng.randint(0, 6) * 1000),
                    status=rng.choice(ProjectStatus.values),
                    position=n,
                )
            )
    TransformationProject.objects.bulk_create(projects, batch_size=BATCH_SIZE)
    ProjectUpdate.objects.bulk_create(
        (
            ProjectUpdate(
                project=project,
                on=today - timedelta(days=91 * q),
                text=f"Quarterly update {4 - q}: on track.",
                author=staff,
            )
            for project in projects
            for q in range(4)
        ),
        batch_size=BATCH_SIZE,
    )
