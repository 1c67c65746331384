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
from django.db.models import Count, Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from contracts.compliance import RANKS, Compliance, compliance_rank
from contracts.models import SubContract
from contracts.models.subcontracts import RequirementState
from contracts.selectors import contract_list
from finance import selectors as finance
from pcn.models import PCN, ContractYear, RegistrationStatus
from pcn.selectors import Coverage, coverage_for
from reports.markdown import render_markdown
from reports.models import (
    ActionStatus,
    BoardAction,
    CooReport,
    Milestone,
    MilestoneStatus,
    PublishedVersion,
    Risk,
    RiskStatus,
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


def _compliance(*, user, as_at: date) -> list[ComplianceRow]:
    """Active sub-contracts by service and compliance on ``as_at``. One query."""
    counted = (
        SubContract.objects.visible_to(user)
        .active_on(as_at)
        .annotate(rank=compliance_rank(as_at))
        .order_by()
        .values("service__name", "rank")
        .annotate(n=Count("pk"))
    )
    states = {rank: state for state, rank in RANKS.items()}
    rows: dict[str, ComplianceRow] = {}
    for row in counted:
        entry = rows.setdefault(row["service__name"], ComplianceRow(row["service__name"], {}))
        entry.counts[states[row["rank"]]] = row["n"]
    return [rows[name] for name in sorted(rows)]


def _pcns(*, user, as_at: date) -> PcnStatus:
    """Each network's members, population and registration status for the
    contract year current at ``as_at``, and the coverage of the CCG most of
    them report to. Three queries."""
    year = ContractYear.objects.current(as_at)
    networks = list(PCN.objects.visible_to(user).for_table(year, as_at).order_by("name"))
    labels = dict(RegistrationStatus.choices)
    for network in networks:
        network.registration_label = labels.get(network.registration_status, "Not started")
    coverage = None
    if year is not None and networks:
        ccg = Counter(n.ccg_code for n in networks).most_common(1)[0][0]
        coverage = coverage_for(ccg_code=ccg, contract_year=year, user=user)
    return PcnStatus(year, networks, coverage)


def _risks(*, user, month: date) -> list[RiskRow]:
    """Open key risks, highest score first, each with its score as the
    history had it at the start of the month (read in the same query)."""
    events = apps.get_model("reports", "RiskEvent").objects
    before = events.filter(pgh_obj=OuterRef("pk"), pgh_created_at__lt=_local_midnight(month)).order_by(
        "-pgh_created_at", "-pgh_id"
    )
    risks = (
        Risk.objects.visible_to(user)
        .filter(status=RiskStatus.OPEN, is_key=True)
        .annotate(
            previous_score=Subquery(before.annotate(score=F("likelihood") * F("impact")).values("score")[:1])
        )
    )
    rows = [RiskRow(risk, risk.previous_score) for risk in risks]
    return sorted(rows, key=lambda row: (-row.risk.score, row.risk.title))


def _milestones(*, user, as_at: date, month: date) -> list[MilestoneRow]:
    """Milestones late or due within a month of ``as_at``, and those completed
    in the month. One query."""
    horizon = as_at + timedelta(days=MILESTONES_AHEAD_DAYS)
    rows = (
        Milestone.objects.visible_to(user)
        .filter(workstream__archived=False)
        .filter(
            Q(completed_on__isnull=True, due_date__lte=horizon)
            | Q(completed_on__gte=month, completed_on__lte=as_at)
            | Q(completed_on__gt=as_at, due_date__lte=horizon)
        )
        .select_related("workstream")
        .order_by("due_date", "code")
    )
    return [MilestoneRow(m, m.status_on(as_at)) for m in rows]


def _actions(*, user, as_at: date) -> list[BoardAction]:
    """Actions open at the report's date, oldest due first. One query."""
    return list(
        BoardAction.objects.visible_to(user)
        .filter(status=ActionStatus.OPEN, raised_at__held_on__lte=as_at)
        .select_related("raised_at")
        .order_by("due_date", "pk")
    )


def _sections(*, user, month: date) -> list[Section]:
    updates = (
        WorkstreamUpdate.objects.visible_to(user)
        .filter(month=month, workstream__archived=False)
        .select_related("workstream")
        .order_by("workstream__position", "workstream__title")
    )
    return [Section(_letter(i), u, render_markdown(u.body)) for i, u in enumerate(updates)]


def _evidence_expired(*, user, month: date, as_at: date) -> list[tuple[str, str, str, date]]:
    """(service, practice, requirement, expired on) for evidence whose best
    accepted copy ran out during the month. One query."""
    rows = (
        RequirementState.objects.filter(
            subcontract__in=SubContract.objects.visible_to(user).active_on(as_at),
            best_valid_to__gte=month,
            best_valid_to__lt=as_at,
        )
        .order_by("best_valid_to", "subcontract__service__name")
        .values_list(
            "subcontract__service__name", "subcontract__practice__name", "requirement__name", "best_valid_to"
        )
    )
    return list(rows)


def _registration_changes(*, user, month: date, as_at: date) -> list[StatusChange]:
    """Networks whose registration status differs between the start of the
    month and its end, as the registrations' history recorded them. One query."""
    start, end = _local_midnight(month), _local_midnight(as_at + timedelta(days=1))
    events = (
        apps.get_model("pcn", "RegistrationEvent")
        .objects.filter(pcn__in=PCN.objects.visible_to(user), pgh_created_at__lt=end)
        .order_by("pgh_obj_id", "pgh_created_at", "pgh_id")
        .values_list("pgh_obj_id", "pgh_created_at", "status", "pcn__name")
    )
    labels = dict(RegistrationStatus.choices)
    before: dict[int, str | None] = {}
    after: dict[int, tuple[str, str]] = {}
    for obj_id, created, status, name in events:
        if created < start:
            before[obj_id] = status
        after[obj_id] = (status, name)
    changes = []
    for obj_id, (status, name) in sorted(after.items(), key=lambda item: item[1][1]):
        was = before.get(obj_id)
        if was != status:
            changes.append(StatusChange(name, labels.get(was, "Not started"), labels.get(status, status)))
    return changes


def coo_report_data(*, user, report: CooReport) -> ReportData:
    """Everything the COO report of ``report.month`` prints, as at its last day."""
    month, as_at = report.month, report.as_at
    held, started, ending = _contracts(user=user, month=month, as_at=as_at)
    overview = finance.overview(user=user, today=as_at)
    changes = Changes(
        contracts_started=started,
        contracts_ending=ending,
        evidence_expired=_evidence_expired(user=user, month=month, as_at=as_at),
        registration_changes=_registration_changes(user=user, month=month, as_at=as_at),
        # A figure new this month moved from nothing: it is in the I&E table,
        # not listed as a movement.
        finance_moved=[m for m in overview.movements if m.previous],
    )
    return ReportData(
        report=report,
        as_at=as_at,
        sections=_sections(user=user, month=month),
        contracts=held,
        compliance=_compliance(user=user, as_at=as_at),
        pcns=_pcns(user=user, as_at=as_at),
        fees=finance.transformation_fees(user=user, shared_cost=finance.default_shared_cost(user=user)),
        finance=overview,
        risks=_risks(user=user, month=month),
        milestones=_milestones(user=user, as_at=as_at, month=month),
        actions=_actions(user=user, as_at=as_at),
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
