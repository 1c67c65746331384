"""The finance of ELR GP Federation as of February 2019: the inputs of seed
001's Tables 1 and 2 (the lines, never the totals), seed 000's Appendix 1
(transformation-fund projects and the GPTeamNet split) and its shop rate,
the 25p-per-patient funding, a plan for 2018/19 and 2019/20, and the
January board paper's forecast (recorded history dated 31 January 2019), so
that the variance against plan and the movement since last month show
something real. The plans and the January figures are illustrative: the
seeds do not give them."""

from datetime import date, datetime
from decimal import Decimal

import pghistory
from django.apps import apps
from django.utils import timezone

from contracts.models import Contract, Organisation, OrganisationKind
from finance.models import (
    Basis,
    Figure,
    FinanceSettings,
    Kind,
    Line,
    PerPatientFunding,
    ProjectUpdate,
    Section,
    SharedCost,
    ShopRate,
    TransformationProject,
)
from finance.services import figure_save, shared_cost_publish
from localities.models import Locality

DEMO_TODAY = date(2019, 2, 15)
YEARS = (2016, 2017, 2018, 2019)
# When the January board paper's figures were recorded.
JANUARY_PAPER = datetime(2019, 1, 31, 12, 0)

ELR = "NHS East Leicestershire and Rutland CCG"
LCC = "Leicestershire County Council"
RCC = "Rutland County Council"
NHSE = "NHS England"
WL = "NHS West Leicestershire CCG"
PRACTICES = "ELR GP Federation member practices"
ORGANISATIONS = [
    (ELR, OrganisationKind.COMMISSIONER),
    (LCC, OrganisationKind.LOCAL_AUTHORITY),
    (RCC, OrganisationKind.LOCAL_AUTHORITY),
    (NHSE, OrganisationKind.COMMISSIONER),
    (WL, OrganisationKind.COMMISSIONER),
    (PRACTICES, OrganisationKind.FEDERATION),
]

# (position, name, commissioner, as the tables write it, category).
# Positions keep both tables in the seed's order: a stream in both tables
# (Correspondence management, Purchase Direct, Urgent care) is one line.
INCOME_LINES = [
    (1, "CCG", ELR, "ELR CCG", "grant"),
    (2, "CBS net income", LCC, "LCC", "service"),
    (3, "Winter scheme net income", NHSE, "NHS E", "service"),
    (10, "CBS (Health checks, contraception, alcohol)", LCC, "LCC / RCC", "service"),
    (20, "Vitrucare app", RCC, "RCC", "service"),
    (30, "Clinical support scheme", ELR, "ELR CCG", "scheme"),
    (40, "Winter access scheme", NHSE, "NHS E", "service"),
    (50, "Pharmacists (ELR CCG £2/patient scheme)", ELR, "ELR CCG", "scheme"),
    (60, "Correspondence management", WL, "WL CCG", "service"),
    (70, "Specialist diabetes nurses", WL, "WL CCG", "service"),
    (80, "NHSE pharmacists", NHSE, "NHS E", "scheme"),
    (90, "Demand management", ELR, "ELR CCG", "project"),
    (100, "Purchase Direct", PRACTICES, "Practices", "scheme"),
    (101, "Practice support", PRACTICES, "Practices", "project"),
    (102, "VitruCare", RCC, "RCC", "service"),
    (103, "DSN project", WL, "WL CCG", "project"),
    (104, "CCG projects (inc demand management)", ELR, "ELR CCG", "project"),
    (105, "H Pylori", ELR, "ELR CCG", "service"),
    (106, "DPO", PRACTICES, "Practices", "service"),
    (107, "Localities project support", ELR, "ELR CCG", "project"),
    (110, "Transformation Fund projects", ELR, "ELR CCG", "transformation"),
    (120, "Urgent care", ELR, "ELR CCG", "service"),
    (130, "Other", None, "", "other"),
]

# Seed 001, Table 1: gross contract value secured, 2016/17 to 2019/20, with
# the comments the seed prints ({year: comment}).
GROSS = {
    "CBS (Health checks, contraception, alcohol)": ((0, 200000, 200000, 200000), {}),
    "Vitrucare app": ((0, 49000, 49000, 0), {}),
    "Clinical support scheme": ((0, 102000, 0, 0), {}),
    "Winter access scheme": ((82000, 75000, 0, 0), {}),
    "Pharmacists (ELR CCG £2/patient scheme)": ((0, 8500, 0, 0), {}),
    "Correspondence management": ((0, 33000, 0, 0), {}),
    "Specialist diabetes nurses": ((0, 0, 80000, 0), {}),
    "NHSE pharmacists": ((0, 0, 87000, 60000), {}),
    "Demand management": ((0, 0, 33000, 0), {}),
    "Purchase Direct": ((0, 700, 700, 700), {}),
    "Transformation Fund projects": ((0, 0, 740086, 0), {2018: "Transformation Fund"}),
    "Urgent care": ((0, 0, 0, 50000), {2019: "Fed element only - estimated"}),
}
SAVINGS = {"Purchase Direct scheme": ((109000, 109000, 109000, 0), {})}

# Seed 001, Table 2: the federation's net income.
NET = {
    "CCG": ((98923, 131250, 119827, 0), {2016: "CCG set-up 'grant'"}),
    "CBS net income": ((0, 11892, 10000, 10000), {2017: "LCC contract"}),
    "Winter scheme net income": ((3945, 3608, 0, 0), {}),
    "Correspondence management": ((0, 1388, 0, 0), {}),
    "Purchase Direct": ((0, 790, 790, 790), {}),
    "Practice support": ((0, 4865, 0, 0), {}),
    "VitruCare": ((0, 0, 2100, 2100), {}),
    "DSN project": ((0, 0, 2200, 0), {}),
    "CCG projects (inc demand management)": (
        (0, 0, 33000, 65000),
        {2019: "FY19/20 TBC with CCG (Tim Sacks)(0.25p ex-VAT)"},
    ),
    "H Pylori": ((0, 0, 2000, 4000), {2019: "FY19/20 TBC"}),
    "DPO": ((0, 0, 5100, 2500), {2019: "FY19/20 TBC"}),
    "Localities project support": ((0, 0, 40000, 8000), {2018: "Estimates", 2019: "Estimates"}),
    "Urgent care": ((0, 0, 0, 41000), {2019: "DHU ex-VAT"}),
    "Other": ((3626, 8715, 0, 0), {}),
}
EXPENSES = {"Federation running costs": ((102865, 147092, 168000, 170000), {})}
# Lines whose 2019/20 figure the seed says is still to be confirmed.
TBC_2019 = {"CCG projects (inc demand management)", "H Pylori", "DPO"}

# The board's plan (budget) by year: illustrative.
PLANS = {
    2018: {
        "CCG": 119827,
        "CBS net income": 10000,
        "Purchase Direct": 790,
        "VitruCare": 2100,
        "DSN project": 2200,
        "CCG projects (inc demand management)": 30000,
        "H Pylori": 2000,
        "DPO": 5000,
        "Localities project support": 30000,
        "Federation running costs": 160000,
    },
    2019: {
        "CBS net income": 10000,
        "Purchase Direct": 790,
        "VitruCare": 2100,
        "CCG projects (inc demand management)": 65000,
        "H Pylori": 4000,
        "DPO": 2500,
        "Localities project support": 8000,
        "Urgent care": 50000,
        "Federation running costs": 165000,
    },
}
# The January paper's forecast of 2018/19 where February's differs: (amount then, note now).
JANUARY = {
    "Localities project support": (
        32000,
        "Two more locality projects agreed at the February locality leads' meeting.",
    ),
    "Federation running costs": (
        165000,
        "Locum cover for the COO's leave; professional fees for the DHU joint venture.",
    ),
}

# Seed 000, Appendix 1: (locality, title, TF implementation fee, PM, TF budget, contracts).
PROJECTS = [
    ("Rutland", "Rutland TF implementation", 9715, 7583, 28000, ["GTN-ELR-2019"]),
    ("Oadby & Wigston", "O&W TF implementation", 10737, 5224, 0, ["GTN-ELR-2019", "FCP-OW-2018"]),
    ("North Blaby", "N Blaby TF implementation", 7087, 9000, 10800, ["GTN-ELR-2019"]),
    ("SLAM", "SLAM TF implementation", 9656, 5000, 7000, ["GTN-ELR-2019", "ECP-SLAM-2018"]),
    ("South Blaby", "S Blaby TF implementation", 2204, 15000, 7000, ["GTN-ELR-2019"]),
    ("Harborough", "Harborough TF implementation", 10505, 10000, 3403, ["GTN-ELR-2019", "FCP-HAR-2018"]),
    ("Harborough", "Kibworth merger", 6879, 0, 0, []),
]


def load(context: dict, stdout) -> None:
    staff = context["users"]["demo-staff"]
    organisations = {
        name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in ORGANISATIONS
    }
    FinanceSettings.objects.update_or_create(pk=1, defaults={"movement_threshold": Decimal("2000.00")})
    with pghistory.context(user=staff.pk, command="load_demo"):
        lines = {}
        for position, name, commissioner, label, category in INCOME_LINES:
            lines[name], _ = Line.objects.update_or_create(
                section=Section.INCOME,
                name=name,
                defaults={
                    "position": position,
                    "commissioner": organisations[commissioner] if commissioner else None,
                    "commissioner_label": label,
                    "category": category,
                },
            )
        for section, table in ((Section.SAVING, SAVINGS), (Section.EXPENDITURE, EXPENSES)):
            for name in table:
                lines[name], _ = Line.objects.update_or_create(
                    section=section, name=name, defaults={"position": 1}
                )
        created = []
        for kind, table in (
            (Kind.GROSS, GROSS),
            (Kind.SAVING, SAVINGS),
            (Kind.NET, NET),
            (Kind.EXPENDITURE, EXPENSES),
        ):
            for name, (amounts, comments) in table.items():
                for year, amount in zip(YEARS, amounts, strict=True):
                    if not amount:
                        continue  # the seed's "-": no figure
                    basis = Basis.ACTUAL if year < 2018 else Basis.FORECAST
                    if year == 2019 and name in TBC_2019:
                        basis = Basis.TBC
                    then = JANUARY.get(name, (amount, ""))[0] if year == 2018 else amount
                    figure, made = Figure.objects.get_or_create(
                        line=lines[name],
                        year=year,
                        kind=kind,
                        defaults={
                            "basis": basis,
                            "amount": Decimal(then),
                            "plan": _plan(year, name, kind),
                            "comment": comments.get(year, ""),
                        },
                    )
                    if made:
                        created.append(figure.pk)
        # The figures as the January paper had them were recorded then.
        apps.get_model("finance", "FigureEvent").objects.filter(pgh_obj_id__in=created).update(
            pgh_created_at=timezone.make_aware(JANUARY_PAPER)
        )
    # February's changes, through the service that asks for a note.
    for name, (_, note) in JANUARY.items():
        table = NET if name in NET else EXPENSES
        kind = Kind.NET if name in NET else Kind.EXPENDITURE
        figure = Figure.objects.get(line=lines[name], year=2018, kind=kind)
        now = Decimal(table[name][0][YEARS.index(2018)])
        if figure.amount != now:
            figure_save(
                user=staff,
                line=lines[name],
                figure=figure,
                year=2018,
                kind=kind,
                basis=figure.basis,
                amount=now,
                plan=figure.plan,
                comment=figure.comment,
                movement_note=note,
                today=DEMO_TODAY,
            )

    contracts = {c.reference: c for c in Contract.objects.all()}
    with pghistory.context(user=staff.pk, command="load_demo"):
        for position, (locality_name, title, fee, pm, budget, references) in enumerate(PROJECTS, start=1):
            project, _ = TransformationProject.objects.update_or_create(
                locality=Locality.objects.get(name=locality_name),
                title=title,
                defaults={
                    "fee": Decimal(fee),
                    "project_management": Decimal(pm),
                    "allocation": Decimal(budget),
                    "position": position,
                    "status": "in_progress",
                },
            )
            project.contracts.set([contracts[r] for r in references if r in contracts])
            if not project.updates.exists() and references:
                ProjectUpdate.objects.create(
                    project=project,
                    on=date(2019, 1, 15),
                    text="Quarterly update to the CCG panel: implementation on plan; GPTeamNet live in the locality.",
                    author=staff,
                )
        shared, made = SharedCost.objects.get_or_create(
            title="GPTeamNet",
            defaults={
                "contract": contracts.get("GTN-ELR-2019"),
                "as_at": date(2019, 1, 1),
                "contract_cost": Decimal("26040.00"),
                "fee_percent": Decimal("7.50"),
                "legal": Decimal("420.00"),
                "management": Decimal("5503.42"),
                "management_note": "Based on 4 hours per month",
            },
        )
        ShopRate.objects.update_or_create(
            financial_year=2018,
            defaults={
                "annual_costs": Decimal("166000"),
                "available_hours": 1665,
                "hours_note": "37.5 hrs/week less AL & BH",
                "margin_percent": Decimal("15"),
                "vat_percent": Decimal("20"),
            },
        )
        PerPatientFunding.objects.update_or_create(
            title="PCN and demand-management work",
            defaults={
                "per_patient": Decimal("0.25"),
                "as_at": date(2019, 1, 1),
                "line": lines["CCG projects (inc demand management)"],
                "notes": "Seed 000: 25p per patient, c. £82K.",
            },
        )
    if made:
        shared_cost_publish(user=staff, shared_cost=shared)
    stdout.write(f"  finance: {Line.objects.count()} lines, {Figure.objects.count()} figures")


def _plan(year: int, name: str, kind: str) -> Decimal | None:
    if kind not in (Kind.NET, Kind.EXPENDITURE) or name not in PLANS.get(year, {}):
        return None
    return Decimal(PLANS[year][name])
