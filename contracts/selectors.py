"""Reads of the contracts app that span models: keyword-only functions that
take the user and start from each model's ``visible_to(user)``, for the
app's pages and for ``reports/selectors.py`` to compose. (Reads of one model
are its QuerySet's methods: ``for_table``, ``with_claim``, ...)"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Case, Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, JSONObject
from django.db.models.lookups import GreaterThan

from contracts.compliance import (
    RANKS,
    Compliance,
    RequirementCompliance,
    compliance_rank,
    requirement_states,
)
from contracts.models import (
    ActivityReturn,
    ActivityReturnLine,
    Contract,
    EvidenceRequirement,
    EvidenceSubmission,
    ReturnStatus,
    ScheduledClinician,
    Service,
    SubContract,
)
from contracts.models.returns import line_amount, tariff_in_force
from fedportal import clock
from fedportal.periods import Quarter
from localities.models import Locality, Practice, PracticeStatus

# Contracts held -----------------------------------------------------------------
# (Reconstructed from the former contracts/views/held.py contract_rows: this
# section's owner's first version of this file was overwritten by mistake.)


def contract_list(*, user, today: date):
    """``Contract.objects.visible_to(user).for_table(today)``, plus what the
    table and the exports show beyond it, in the same query: the localities
    covered as text ("All", or the names of those the user may see), and the
    period as [start, end]."""
    names = (
        Contract.localities.through.objects.filter(
            contract=OuterRef("pk"), locality__in=Locality.objects.visible_to(user)
        )
        .order_by()
        .values("contract")
        .annotate(names=StringAgg("locality__name", ", ", order_by="locality__name"))
        .values("names")
    )
    return (
        Contract.objects.visible_to(user)
        .for_table(today)
        .annotate(
            covered_localities=Case(
                When(covers_all_localities=True, then=Value("All")),
                default=Subquery(names),
                output_field=models.TextField(),
            ),
            period=models.Func(
                F("start_date"),
                F("end_date"),
                template="ARRAY[%(expressions)s]",
                output_field=ArrayField(models.DateField()),
            ),
        )
    )


# Services, sub-contracts and evidence -------------------------------------------


def services_with_figures(*, user, today: date):
    """Services with their head contract and commissioner, annotated with the
    tariff in force on ``today`` (``tariff_in_force_id`` and its
    ``unit_price``) and ``active_subcontracts``: how many of the sub-contracts
    the user sees are active that day."""
    in_force = tariff_in_force(today)
    active = (
        SubContract.objects.visible_to(user)
        .active_on(today)
        .filter(service=OuterRef("pk"))
        .order_by()
        .values("service")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Service.objects.select_related("head_contract__commissioner").annotate(
        tariff_in_force_id=Subquery(in_force.values("pk")),
        unit_price=Subquery(in_force.values("unit_price")),
        active_subcontracts=Coalesce(Subquery(active, output_field=IntegerField()), 0),
    )


@dataclass
class RequirementRow:
    """One line of a sub-contract's "evidence required": the state of a
    requirement (of a clinician, for a schedule) and the requirement."""

    state: RequirementCompliance
    requirement: EvidenceRequirement


@dataclass
class SubContractEvidence:
    """What a sub-contract's page shows of its evidence, compliance included."""

    compliance: str
    requirements: list[RequirementRow]
    has_schedule: bool
    clinicians: list[ScheduledClinician]
    submissions: list[EvidenceSubmission]


def subcontracts_for_page():
    """Sub-contracts with what their page shows beside them, read in the same
    query: the practice and its locality, the service and its head contract,
    the service's active requirements (``requirement_rows``) and the schedule
    of clinicians, removed ones last (``clinician_rows``). For
    ``get_visible_or_404``, which scopes it to the user."""
    requirements = (
        EvidenceRequirement.objects.filter(service=OuterRef("service"), active=True)
        .order_by("position", "name")
        .annotate(
            row=JSONObject(
                id="pk", name="name", description="description", is_clinician_schedule="is_clinician_schedule"
            )
        )
        .values("row")
    )
    clinicians = (
        ScheduledClinician.objects.filter(subcontract=OuterRef("pk"))
        .order_by("removed_on", "name")
        .annotate(
            row=JSONObject(
                id="pk",
                name="name",
                role="role",
                registration="registration",
                added_on="added_on",
                removed_on="removed_on",
            )
        )
        .values("row")
    )
    return SubContract.objects.select_related(
        "practice__locality", "service__head_contract__commissioner"
    ).annotate(requirement_rows=ArraySubquery(requirements), clinician_rows=ArraySubquery(clinicians))


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def subcontract_evidence(*, user, subcontract: SubContract, today: date) -> SubContractEvidence:
    """The state of each requirement of ``subcontract`` (fetched from
    ``subcontracts_for_page``) on ``today``, its compliance, its schedule of
    clinicians and every upload the user may see, newest version first for
    each requirement.

    The compliance is derived from the requirement states, not computed a
    second time: as ``contracts.compliance`` has it, a sub-contract is as bad
    as its worst requirement, and compliant with none."""
    states = requirement_states(subcontract, today)
    requirements = {row["id"]: EvidenceRequirement(**row) for row in subcontract.requirement_rows}
    clinicians = [
        ScheduledClinician(
            subcontract=subcontract,
            **{**row, "added_on": _day(row["added_on"]), "removed_on": _day(row["removed_on"])},
        )
        for row in subcontract.clinician_rows
    ]
    submissions = (
        EvidenceSubmission.objects.visible_to(user)
        .filter(subcontract=subcontract)
        .select_related("requirement", "clinician", "submitted_by", "decision__decided_by")
        .order_by("requirement__position", "requirement__name", "clinician__name", "-version")
    )
    return SubContractEvidence(
        compliance=max(
            (state.compliance for state in states), key=RANKS.__getitem__, default=Compliance.COMPLIANT
        ),
        requirements=[RequirementRow(state, requirements[state.requirement_id]) for state in states],
        has_schedule=any(r.is_clinician_schedule for r in requirements.values()),
        clinicians=clinicians,
        submissions=list(submissions),
    )


def evidence_versions(*, user, submission: EvidenceSubmission) -> list[EvidenceSubmission]:
    """Every version of the evidence ``submission`` is one of (the same
    sub-contract, requirement and clinician) the user may see, newest first."""
    return list(
        EvidenceSubmission.objects.visible_to(user)
        .filter(
            subcontract=submission.subcontract_id,
            requirement=submission.requirement_id,
            clinician=submission.clinician_id,
        )
        .select_related("submitted_by")
        .order_by("-version")
    )


# The compliance dashboard ---------------------------------------------------------


def dashboard_services(*, active, subcontracts, today: date, service: Service | None = None) -> list[Service]:
    """The dashboard's columns: services not archived, and any archived one
    with one of the ``active`` sub-contracts (only ``service``, when one is
    chosen), each with ``compliance_counts``: how many of ``subcontracts``
    (the active ones, filtered) for it are in each state on ``today``
    (``{rank: n}``), which the headlines add up. One query."""
    services = Service.objects.filter(Q(archived=False) | Q(pk__in=active.values("service")))
    if service:
        services = services.filter(pk=service.pk)
    # Counted in one pass over the sub-contracts, not once for each service:
    # the subquery names no column of the outer query, so PostgreSQL runs it
    # once, and each row brings the counts of them all.
    counts = ArraySubquery(
        subcontracts.order_by()
        .annotate(rank=compliance_rank(today))
        .values("service", "rank")
        .annotate(n=Count("pk"))
        .values(count=JSONObject(service="service", rank="rank", n="n"))
    )
    services = list(services.annotate(all_counts=counts))
    # (None when the sub-contracts are none at all: a filter's error.)
    all_counts = (services[0].all_counts if services else None) or []
    by_service: dict[int, dict[int, int]] = {}
    for count in all_counts:
        by_service.setdefault(count["service"], {})[count["rank"]] = count["n"]
    for column in services:
        del column.all_counts
        column.compliance_counts = by_service.get(column.pk, {})
    return services


def dashboard_practices(*, user, active, locality: Locality | None = None):
    """The dashboard's rows: the open practices the user sees, and any
    practice with one of the ``active`` sub-contracts, by locality and name."""
    # Most practices are open: the sub-contracts are looked at only for the
    # others, an index probe each. (A scalar subquery: PostgreSQL would turn
    # an IN or EXISTS into a hash of every active sub-contract first.)
    active_here = active.filter(practice=OuterRef("pk")).order_by().values("practice").annotate(n=Count("pk"))
    practices = (
        Practice.objects.visible_to(user)
        .filter(Q(status=PracticeStatus.OPEN) | GreaterThan(Subquery(active_here.values("n")), 0))
        .select_related("locality")
        .order_by("locality__name", "name")
    )
    return practices.filter(locality=locality) if locality else practices


# Activity returns and payment schedules ---------------------------------------


def returnable_subcontracts(*, user, today: date) -> list[SubContract]:
    """The sub-contracts the user sees, active on ``today``, whose service
    takes quarterly returns: what a practice user makes returns for."""
    return list(
        SubContract.objects.visible_to(user)
        .active_on(today)
        .filter(service__takes_returns=True)
        .select_related("practice", "service")
    )


def quarter_returns(*, user, subcontract: SubContract, quarter: Quarter) -> list[ActivityReturn]:
    """The returns made for one sub-contract's quarter (returns sent back,
    made again, approved and amended), oldest first, each with its claim
    (``units_total``, ``claim_value``) and whether it is ``in_force``."""
    return list(
        ActivityReturn.objects.visible_to(user)
        .filter(subcontract=subcontract)
        .for_quarter(quarter)
        .with_claim()
        .with_in_force()
        .select_related("submitted_by", "decided_by")
        .order_by("submitted_at", "pk")
    )


def payment_schedule_figures(*, user, quarters: list[Quarter]) -> list[tuple[Service, list[dict]]]:
    """For each service taking returns, and each of ``quarters`` (newest
    first, consecutive): how many approved returns are in force, how many
    await approval, and the value in force (None when nothing is). Three
    queries, whatever the number of returns."""
    oldest = quarters[-1]
    in_window = Q(year__gt=oldest.year) | Q(year=oldest.year, quarter__gte=oldest.number)
    returns = ActivityReturn.objects.visible_to(user).filter(in_window)
    counts = {
        (row["subcontract__service"], row["year"], row["quarter"]): row
        for row in returns.with_in_force()
        .order_by()
        .values("subcontract__service", "year", "quarter")
        .annotate(
            approved=Count("pk", filter=Q(in_force=True)),
            awaiting=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)),
        )
    }
    via = "activity_return__"
    values: dict[tuple, Decimal] = {
        (row[f"{via}subcontract__service"], row[f"{via}year"], row[f"{via}quarter"]): row["value"]
        for row in ActivityReturnLine.objects.filter(activity_return__in=returns.payable(clock.today()))
        .order_by()
        .values(f"{via}subcontract__service", f"{via}year", f"{via}quarter")
        .annotate(value=Sum(line_amount()))
    }
    services = Service.objects.filter(takes_returns=True).select_related(
        "head_contract__commissioner", "head_contract__paying_organisation"
    )
    rows = []
    for service in services:
        cells = []
        for quarter in quarters:
            key = (service.pk, quarter.year, quarter.number)
            row = counts.get(key, {})
            cells.append(
                {
                    "quarter": quarter,
                    "approved": row.get("approved", 0),
                    "awaiting": row.get("awaiting", 0),
                    "value": values.get(key),
                }
            )
        rows.append((service, cells))
    return rows
