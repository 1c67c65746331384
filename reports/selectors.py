"""The COO report of a month, composed from the other apps' selectors (never
by reaching into their models from a template): contracts held for
practices, sub-contract evidence compliance by service, PCN registration
status and coverage, the transformation fund's fees, income and expenditure
against plan, and, from this app, key risks with their trend, milestones due
or late, open actions, the month's workstream updates, and what changed
since last month (from the dates and the recorded history).

Every figure is computed as at the report's last day (``CooReport.as_at``),
so the COO writes the narrative and never retypes a number."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
from django.db.models import BooleanField, CharField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, JSONObject
from django.utils import timezone

from contracts.compliance import RANKS, Compliance, compliance_rank
from contracts.models import SubContract
from contracts.models.subcontracts import RequirementState
from contracts.selectors import contract_list
from fedportal.periods import financial_year_of
from finance import selectors as finance
from finance.models import FinanceSettings, SharedCost
from pcn.models import PCN, ContractYear, RegistrationStatus, current_year
from pcn.selectors import Coverage, coverage_for
from reports.markdown import render_markdown
from reports.models import (
    ActionStatus,
    BoardAction,
    BoardMeeting,
    CooReport,
    Milestone,
    MilestoneStatus,
    PublishedVersion,
    Risk,
    RiskStatus,
    Workstream,
    WorkstreamUpdate,
)

ZERO = Decimal("0.00")
# Milestones falling due within this many days of the report's date are listed with the late ones.
MILESTONES_AHEAD_DAYS = 31


def _local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _letter(index: int) -> str:
    return (
        chr(ord("a") + index)
        if index < 26
        else f"{chr(ord('a') + index // 26 - 1)}{chr(ord('a') + index % 26)}"
    )


@dataclass
class Section:
    """One lettered narrative section: a workstream's update for the month."""

    letter: str
    update: WorkstreamUpdate
    html: str

    @property
    def workstream(self):
        return self.update.workstream


@dataclass
class ComplianceRow:
    service: str
    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def compliant_percent(self) -> str:
        return f"{100 * self.counts.get(Compliance.COMPLIANT, 0) / self.total:.0f}%" if self.total else "–"

    def cells(self) -> list[int]:
        return [self.counts.get(state, 0) for state in Compliance.values]


@dataclass
class RiskRow:
    risk: Risk
    previous_score: int | None  # None: not on the register at last month's report

    @property
    def trend(self) -> str:
        if self.previous_score is None:
            return "New"
        if self.risk.score > self.previous_score:
            return "Rising"
        if self.risk.score < self.previous_score:
            return "Falling"
        return "Unchanged"


@dataclass
class MilestoneRow:
    milestone: Milestone
    status: str

    @property
    def label(self) -> str:
        return MilestoneStatus(self.status).label


@dataclass
class StatusChange:
    pcn: str
    before: str
    after: str


@dataclass
class Changes:
    """What changed since last month's report, as the COO would list it."""

    contracts_started: list = field(default_factory=list)
    contracts_ending: list = field(default_factory=list)
    evidence_expired: list[tuple[str, str, str, date]] = field(default_factory=list)
    registration_changes: list[StatusChange] = field(default_factory=list)
    finance_moved: list = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not any(
            (
                self.contracts_started,
                self.contracts_ending,
                self.evidence_expired,
                self.registration_changes,
                self.finance_moved,
            )
        )


@dataclass
class PcnStatus:
    contract_year: ContractYear | None
    networks: list
    coverage: Coverage | None

    def count(self, status: str | None) -> int:
        return sum(1 for n in self.networks if n.registration_status == status)

    @property
    def population(self) -> int:
        return sum(n.population for n in self.networks)


@dataclass
class ReportData:
    report: CooReport
    as_at: date
    sections: list[Section]
    contracts: list
    compliance: list[ComplianceRow]
    pcns: PcnStatus
    fees: finance.FeesTable
    finance: finance.Overview
    risks: list[RiskRow]
    milestones: list[MilestoneRow]
    actions: list[BoardAction]
    changes: Changes

    @property
    def contracts_total(self) -> Decimal:
        return sum((c.value for c in self.contracts), ZERO)

    @property
    def compliance_states(self) -> list[str]:
        return [str(Compliance(state).label) for state in Compliance.values]

    @property
    def compliance_totals(self) -> list[int]:
        return [sum(row.cells()[i] for row in self.compliance) for i in range(len(Compliance.values))]

    @property
    def compliance_total(self) -> int:
        return sum(row.total for row in self.compliance)


def _contracts(*, user, month: date, as_at: date) -> tuple[list, list, list]:
    """Held on ``as_at``; started in the month; ending in it or the next.
    One query for the three."""
    horizon = as_at + timedelta(days=MILESTONES_AHEAD_DAYS)
    rows = list(
        contract_list(user=user, today=as_at)
        .filter(is_draft=False, start_date__lte=as_at, end_date__gte=month)
        .order_by("covered_localities", "contractor__name", "title")
    )
    held = [c for c in rows if c.end_date >= as_at]
    started = [c for c in rows if c.start_date >= month]
    ending = [c for c in rows if c.end_date <= horizon]
    return held, started, ending


def _json(**fields) -> JSONObject:
    """A row as a JSON object: ``name=path`` (a field path or an expression)."""
    return JSONObject(**{name: F(path) if isinstance(path, str) else path for name, path in fields.items()})


def _fields(model, prefix: str = "") -> dict:
    return {f.attname: f"{prefix}{f.attname}" for f in model._meta.concrete_fields}


def _instance(model, row: dict, **related):
    """A model instance from the JSON object of ``_fields`` (its dates come
    back as text), with its already-read related objects."""
    fields = {f.attname: f for f in model._meta.concrete_fields}
    obj = model(**{name: fields[name].to_python(value) for name, value in row.items() if name in fields})
    # Read from the database, as Model.from_db would mark it (a save updates, never inserts).
    obj._state.adding, obj._state.db = False, "default"
    for name, related_model in related.items():
        setattr(obj, name, _instance(related_model, row[name]))
    return obj


def records_of(*, user, month: date) -> dict:
    """The report's own records and the month's history, as annotations of
    the report's row: each part an array of JSON objects (PostgreSQL's ARRAY
    of a subquery), so that one query reads them all whatever the rows.

    Parts: the month's workstream updates, open key risks with their score
    at the start of the month, milestones due or late, open actions, active
    sub-contracts' compliance, evidence that expired in the month, the
    networks' registration events up to the month's end, the finance
    figures as the previous month's paper had them (and the threshold of a
    movement), the contract years, and the shared cost the fees table splits."""
    as_at = CooReport(month=month).as_at
    horizon = as_at + timedelta(days=MILESTONES_AHEAD_DAYS)
    start, end = _local_midnight(month), _local_midnight(as_at + timedelta(days=1))
    workstream = _json(**_fields(Workstream, "workstream__"))

    updates = (
        WorkstreamUpdate.objects.visible_to(user)
        .filter(month=month, workstream__archived=False)
        .order_by("workstream__position", "workstream__title")
        .values(j=_json(**_fields(WorkstreamUpdate), workstream=workstream))
    )
    risk_events = apps.get_model("reports", "RiskEvent").objects
    before = risk_events.filter(pgh_obj=OuterRef("pk"), pgh_created_at__lt=start).order_by(
        "-pgh_created_at", "-pgh_id"
    )
    risks = (
        Risk.objects.visible_to(user)
        .filter(status=RiskStatus.OPEN, is_key=True)
        .order_by("pk")
        .values(
            j=_json(
                **_fields(Risk),
                previous_score=Subquery(
                    before.annotate(score=F("likelihood") * F("impact")).values("score")[:1]
                ),
            )
        )
    )
    milestones = (
        Milestone.objects.visible_to(user)
        .filter(workstream__archived=False)
        .filter(
            Q(completed_on__isnull=True, due_date__lte=horizon)
            | Q(completed_on__gte=month, completed_on__lte=as_at)
            | Q(completed_on__gt=as_at, due_date__lte=horizon)
        )
        .order_by("due_date", "code")
        .values(j=_json(**_fields(Milestone), workstream=workstream))
    )
    actions = (
        BoardAction.objects.visible_to(user)
        .filter(status=ActionStatus.OPEN, raised_at__held_on__lte=as_at)
        .order_by("due_date", "pk")
        .values(j=_json(**_fields(BoardAction), raised_at=_json(**_fields(BoardMeeting, "raised_at__"))))
    )
    active = SubContract.objects.visible_to(user).active_on(as_at)
    compliance = active.order_by("pk").values(j=_json(service="service__name", rank=compliance_rank(as_at)))
    expired = (
        RequirementState.objects.filter(
            subcontract__in=active.values("pk"), best_valid_to__gte=month, best_valid_to__lt=as_at
        )
        .order_by("best_valid_to", "subcontract__service__name")
        .values(
            j=_json(
                service="subcontract__service__name",
                practice="subcontract__practice__name",
                requirement="requirement__name",
                day="best_valid_to",
            )
        )
    )
    registrations = (
        apps.get_model("pcn", "RegistrationEvent")
        .objects.filter(pcn__in=PCN.objects.visible_to(user).values("pk"), pgh_created_at__lt=end)
        .order_by("pgh_obj_id", "pgh_created_at", "pgh_id")
        .values(
            j=_json(
                pcn="pgh_obj_id",
                status="status",
                name="pcn__name",
                before=ExpressionWrapper(Q(pgh_created_at__lt=start), output_field=BooleanField()),
            )
        )
    )
    figures_before = finance.previous_month_events(
        year=financial_year_of(as_at), before=finance.month_start(as_at)
    ).values(j=_json(figure="pgh_obj_id", label="pgh_label", amount=Cast("amount", CharField()), kind="kind"))
    years = ContractYear.objects.order_by("start").values(j=_json(**_fields(ContractYear)))
    shared_cost = finance.default_shared_costs(user=user).values(j=_json(**_fields(SharedCost)))[:1]
    parts = {
        "figures_before": figures_before,
        "years": years,
        "shared_cost": shared_cost,
        "updates": updates,
        "risks": risks,
        "milestones": milestones,
        "actions": actions,
        "compliance": compliance,
        "expired": expired,
        "registrations": registrations,
    }
    threshold = FinanceSettings.objects.filter(pk=1).values("movement_threshold")
    return {name: ArraySubquery(qs) for name, qs in parts.items()} | {"threshold": Subquery(threshold)}


RECORD_PREFIX = "records_"


def with_records(reports, *, user, month: date):
    """``reports`` (the month's) with their records (``records_of``) and
    their published versions (``report_versions``) read in the same query:
    for the page that shows one."""
    author = _json(
        id="published_by__id",
        username="published_by__username",
        first_name="published_by__first_name",
        last_name="published_by__last_name",
    )
    versions = (
        published_versions(user=user)
        .filter(report=OuterRef("pk"))
        .values(j=_json(**_fields(PublishedVersion), superseded="superseded", published_by=author))
    )
    return reports.annotate(
        **{RECORD_PREFIX + name: value for name, value in records_of(user=user, month=month).items()},
        published_versions=ArraySubquery(versions),
    )


def report_versions(*, user, report: CooReport) -> list[PublishedVersion]:
    """The report's published versions, newest first, each with
    ``superseded``: read with the report if it came through ``with_records``."""
    rows = getattr(report, "published_versions", None)
    if rows is None:
        return list(published_versions(user=user).filter(report=report))
    versions = []
    for row in rows:
        version = _instance(PublishedVersion, row, published_by=get_user_model())
        version.superseded = row["superseded"]
        versions.append(version)
    return versions


def _records(*, user, report: CooReport) -> dict:
    """The report's records, read now unless ``report`` came through
    ``with_records`` for the same user (one query)."""
    parts = records_of(user=user, month=report.month)
    if all(hasattr(report, RECORD_PREFIX + name) for name in parts):
        row = {name: getattr(report, RECORD_PREFIX + name) for name in parts}
    else:
        row = CooReport.objects.filter(pk=report.pk).values(**parts).get()
    return {name: (value if name == "threshold" else value or []) for name, value in row.items()}


def _compliance(rows: list[dict]) -> list[ComplianceRow]:
    """Active sub-contracts counted by service and compliance."""
    states = {rank: state for state, rank in RANKS.items()}
    counted: dict[str, ComplianceRow] = {}
    for row in rows:
        entry = counted.setdefault(row["service"], ComplianceRow(row["service"], {}))
        state = states[row["rank"]]
        entry.counts[state] = entry.counts.get(state, 0) + 1
    return [counted[name] for name in sorted(counted)]


def _previous_amounts(*, user, rows: list[dict]) -> dict[int, tuple[str, Decimal]]:
    """``finance.previous_month_amounts`` from the events read with the records."""
    if not user.sees_every_practice:
        return {}
    return finance.amounts_of_events(
        (row["figure"], row["label"], Decimal(row["amount"]), row["kind"]) for row in rows
    )


def _shared_cost(rows: list[dict]) -> SharedCost | None:
    return _instance(SharedCost, rows[0]) if rows else None


def _pcns(*, user, as_at: date, years: list[dict]) -> PcnStatus:
    """Each network's members, population and registration status for the
    contract year current at ``as_at`` (of ``years``, read with the records),
    and the coverage of the CCG most of them report to. Two queries."""
    year = current_year([_instance(ContractYear, row) for row in years], as_at)
    networks = list(PCN.objects.visible_to(user).for_table(year, as_at).order_by("name"))
    labels = dict(RegistrationStatus.choices)
    for network in networks:
        network.registration_label = labels.get(network.registration_status, "Not started")
    coverage = None
    if year is not None and networks:
        ccg = Counter(n.ccg_code for n in networks).most_common(1)[0][0]
        coverage = coverage_for(ccg_code=ccg, contract_year=year, user=user)
    return PcnStatus(year, networks, coverage)


def _risks(rows: list[dict]) -> list[RiskRow]:
    """Open key risks, highest score first, with the score the history had
    at the start of the month."""
    risks = [RiskRow(_instance(Risk, row), row["previous_score"]) for row in rows]
    return sorted(risks, key=lambda row: (-row.risk.score, row.risk.title))


def _sections(rows: list[dict]) -> list[Section]:
    updates = [_instance(WorkstreamUpdate, row, workstream=Workstream) for row in rows]
    return [Section(_letter(i), u, render_markdown(u.body)) for i, u in enumerate(updates)]


def _evidence_expired(rows: list[dict]) -> list[tuple[str, str, str, date]]:
    """(service, practice, requirement, expired on) for evidence whose best
    accepted copy ran out during the month."""
    return [(r["service"], r["practice"], r["requirement"], date.fromisoformat(r["day"])) for r in rows]


def _registration_changes(rows: list[dict]) -> list[StatusChange]:
    """Networks whose registration status differs between the start of the
    month and its end, as the registrations' history recorded them."""
    labels = dict(RegistrationStatus.choices)
    before: dict[int, str | None] = {}
    after: dict[int, tuple[str, str]] = {}
    for row in rows:
        if row["before"]:
            before[row["pcn"]] = row["status"]
        after[row["pcn"]] = (row["status"], row["name"])
    changes = []
    for obj_id, (status, name) in sorted(after.items(), key=lambda item: item[1][1]):
        was = before.get(obj_id)
        if was != status:
            changes.append(StatusChange(name, labels.get(was, "Not started"), labels.get(status, status)))
    return changes


def coo_report_data(*, user, report: CooReport) -> ReportData:
    """Everything the COO report of ``report.month`` prints, as at its last
    day, in a fixed number of queries whatever the rows (the page and the
    PDF read the same)."""
    month, as_at = report.month, report.as_at
    records = _records(user=user, report=report)
    held, started, ending = _contracts(user=user, month=month, as_at=as_at)
    overview = finance.overview(
        user=user,
        today=as_at,
        charts=False,
        previous=_previous_amounts(user=user, rows=records["figures_before"]),
        # The settings' default while no one has saved them (an unsaved row holds it).
        threshold=FinanceSettings().movement_threshold
        if records["threshold"] is None
        else records["threshold"],
    )
    changes = Changes(
        contracts_started=started,
        contracts_ending=ending,
        evidence_expired=_evidence_expired(records["expired"]),
        registration_changes=_registration_changes(records["registrations"]),
        # A figure new this month moved from nothing: it is in the I&E table,
        # not listed as a movement.
        finance_moved=[m for m in overview.movements if m.previous],
    )
    return ReportData(
        report=report,
        as_at=as_at,
        sections=_sections(records["updates"]),
        contracts=held,
        compliance=_compliance(records["compliance"]),
        pcns=_pcns(user=user, as_at=as_at, years=records["years"]),
        fees=finance.transformation_fees(user=user, shared_cost=_shared_cost(records["shared_cost"])),
        finance=overview,
        risks=_risks(records["risks"]),
        milestones=[
            MilestoneRow(m, m.status_on(as_at))
            for m in (_instance(Milestone, row, workstream=Workstream) for row in records["milestones"])
        ],
        actions=[_instance(BoardAction, row, raised_at=BoardMeeting) for row in records["actions"]],
        changes=changes,
    )


# Published reports --------------------------------------------------------------------


def report_months(*, user):
    """The months' reports the user sees, newest first, with their versions."""
    return CooReport.objects.visible_to(user).prefetch_related("versions").order_by("-month")


def published_versions(*, user):
    """Every published version the user may download, newest report first,
    each annotated ``is_latest`` (older versions of a report are superseded)."""
    return _with_superseded(PublishedVersion.objects.visible_to(user))


def _with_superseded(versions):
    # NULL never equals NULL: a report's versions match on the report, a pack's on the pack.
    newer = PublishedVersion.objects.filter(
        Q(report=OuterRef("report")) | Q(pack=OuterRef("pack")), version__gt=OuterRef("version")
    )
    return (
        versions.select_related("report", "pack__meeting", "published_by")
        .annotate(superseded=Exists(newer), dated=Coalesce("report__month", "pack__meeting__held_on"))
        .order_by("-dated", "report", "-version")
    )


def version_with_hash(*, sha256: str) -> PublishedVersion | None:
    """The published version whose PDF has this SHA-256, if any, with
    ``superseded``. Not scoped: any signed-in user may check a file they
    already hold, and learns only which published version it is."""
    return _with_superseded(PublishedVersion.objects.filter(sha256=sha256)).first()
