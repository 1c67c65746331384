"""Sub-contract compliance: the one rule, written once, used by every list,
the dashboard matrix, the detail page and the reminders.

For each requirement of the sub-contract's service (and, for a schedule of
clinicians, for each clinician on the schedule), the best accepted evidence is
the one valid longest (evidence that does not expire is valid for ever):

- compliant: it is valid for more than 30 days yet;
- awaiting review: otherwise, when an upload is waiting for staff;
- expiring: it is still valid but ends within 30 days;
- missing: nothing accepted (or no clinician on a schedule);
- expired: only evidence that has run out.

A sub-contract is as bad as its worst requirement; with no requirements it is
compliant.

What does not depend on the day is kept: ``RequirementState`` holds, per
sub-contract, active requirement and current clinician, the best accepted
evidence and its ``valid_to`` (``'infinity'`` when it does not expire, NULL
when nothing was accepted) and whether an upload is pending. PostgreSQL
triggers keep it, in the transaction of every write that can change it
(evidence uploaded, decided, corrected or deleted; clinicians added or
removed; requirements added, stopped, restarted or made a schedule;
sub-contracts added or moved to another service). Triggers rather than calls
in the services, because the state must never be stale and not every write
goes through a service: the admin saves models, the demo and scale loaders
and the tests bulk create, a fix in psql is raw SQL, and the next write path
someone adds would be one more place to remember. A trigger sees all of them;
being statement-level, it refreshes each sub-contract once per bulk write.
The refresh (``contracts_requirement_state_refresh``, migration 0006) first
locks the sub-contracts it recomputes, so that two transactions deciding
evidence of one sub-contract at once both count. The scale seeder sets the
triggers aside (``STATE_TRIGGERS``) and refreshes everything once at the end.
``tests/contracts/test_compliance_state.py`` holds the rule as it was derived
from the evidence directly, and checks the kept state against it after
random writes of every kind.

What depends on the day is the rule itself, ``_rule``: an ordered list of
date comparisons on a kept row, read as a rank (``requirement_rank``, a
CASE): each requirement's line on a sub-contract's page, and the reminders.

A sub-contract is as bad as its worst requirement, and a requirement only
gets worse as the days pass without a write (valid, then expiring or awaiting
review, then expired), so the sub-contract's compliance on any day is kept
whole too: ``SubContractCompliance`` holds the first day on which it is in
each state or a worse one, the rule solved for the day (migration 0007),
written by the same refresh in the same transaction. Today's compliance is
then a comparison of its dates with today: ``compliance_rank`` reads it as a
rank (a CASE over the sub-contract's row, joined through whatever alias the
query gives the sub-contract, so it can be used in any query: an annotation,
a filter, or inside another query's subquery, e.g. practices with an expired
sub-contract), ``compliance_in`` as plain date conditions that PostgreSQL
indexes (the filters: "expired" is ``expired_from <= today``), and
``compliance_counts`` counts by it. The portal's today moving on (a pinned
date changed, midnight) needs no write: the same row answers every day.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection, models
from django.db.models import Count, IntegerField, Q

from contracts.models.subcontracts import RequirementState, SubContract

# (Also solved for in SQL, in the kept first days of migration 0007: a
# change here needs a migration that rewrites them.)
EXPIRING_WITHIN_DAYS = 30


class Compliance(models.TextChoices):
    # Ordered from best to worst: the rank is the position.
    COMPLIANT = "compliant", "Compliant"
    EXPIRING = "expiring", f"Expiring within {EXPIRING_WITHIN_DAYS} days"
    AWAITING_REVIEW = "awaiting_review", "Awaiting review"
    MISSING = "missing", "Missing"
    EXPIRED = "expired", "Expired"


RANKS = {choice: rank for rank, choice in enumerate(Compliance.values)}
BY_RANK = dict(enumerate(Compliance.values))
TAGS = {
    Compliance.COMPLIANT: "nhsuk-tag--green",
    Compliance.EXPIRING: "nhsuk-tag--yellow",
    Compliance.AWAITING_REVIEW: "nhsuk-tag--blue",
    Compliance.MISSING: "nhsuk-tag--orange",
    Compliance.EXPIRED: "nhsuk-tag--red",
}


def _rule(today: date, via: str) -> list[tuple[str, Q]]:
    """The rule, in order: a requirement's state on ``today`` is the first
    whose condition holds for its ``RequirementState`` row (reached through
    ``via``, e.g. ``"requirement_states__"`` from a sub-contract). A schedule
    with nobody on it is a row with no clinician and nothing accepted: missing."""

    def row(**condition) -> Q:
        return Q(**{via + name: value for name, value in condition.items()})

    return [
        (Compliance.COMPLIANT, row(best_valid_to__gt=today + timedelta(days=EXPIRING_WITHIN_DAYS))),
        (Compliance.AWAITING_REVIEW, row(pending=True)),
        (Compliance.EXPIRING, row(best_valid_to__gte=today)),
        (Compliance.MISSING, row(best_valid_to__isnull=True)),
        (Compliance.EXPIRED, Q()),  # only evidence that has run out
    ]


def requirement_rank(today: date, via: str = "") -> models.Case:
    """The rank on ``today`` of a ``RequirementState`` row, by ``_rule``."""
    *conditions, (otherwise, _) = _rule(today, via)
    return models.Case(
        *[models.When(condition, then=RANKS[state]) for state, condition in conditions],
        default=RANKS[otherwise],
        output_field=IntegerField(),
    )


# The kept first day of each state worse than compliant, or a worse one
# (``SubContractCompliance``), by state, best to worst.
FIRST_DAYS = {
    Compliance.EXPIRING: "expiring_or_worse_from",
    Compliance.AWAITING_REVIEW: "awaiting_review_or_worse_from",
    Compliance.MISSING: "missing_or_worse_from",
    Compliance.EXPIRED: "expired_from",
}
KEPT = "kept_compliance__"  # from a sub-contract to its kept row


def compliance_rank(today: date) -> models.Case:
    """The rank on ``today`` of each sub-contract of the query it is used in:
    the worst state whose first day has come. Read through the query's own
    alias of the sub-contract, so it can be an annotation, a filter, or part
    of another query's subquery."""
    return models.Case(
        *[
            models.When(Q(**{f"{KEPT}{column}__lte": today}), then=RANKS[state])
            for state, column in reversed(FIRST_DAYS.items())
        ],
        default=RANKS[Compliance.COMPLIANT],
        output_field=IntegerField(),
    )


# Named for what it gives: each sub-contract as bad as its worst requirement.
worst_rank = compliance_rank


def compliance_in(state: str, today: date) -> Q:
    """The sub-contracts (of a query over them) whose compliance on ``today``
    is ``state``: its first day has come, and the next worse one's has not.
    Plain comparisons of indexed dates, which PostgreSQL estimates well."""
    rank = RANKS[state]
    condition = Q()
    if rank > RANKS[Compliance.COMPLIANT]:
        condition &= Q(**{f"{KEPT}{FIRST_DAYS[state]}__lte": today})
    if rank < RANKS[Compliance.EXPIRED]:
        condition &= Q(**{f"{KEPT}{FIRST_DAYS[BY_RANK[rank + 1]]}__gt": today})
    return condition


def annotate_compliance(queryset, today: date):
    """Annotate sub-contracts with ``compliance_rank``; ``SubContract.compliance``
    reads its label."""
    return queryset.annotate(compliance_rank=compliance_rank(today))


def filter_compliance(queryset, compliance: str, today: date):
    """Only the sub-contracts of ``queryset`` whose compliance on ``today`` is
    ``compliance``."""
    return queryset.filter(compliance_in(compliance, today))


def compliance_counts(subcontracts, today: date) -> dict[str, int]:
    """How many of ``subcontracts`` are in each state on ``today`` (states
    with none left out): one GROUP BY over their kept rows."""
    ranked = subcontracts.order_by().annotate(rank=compliance_rank(today)).values("rank")
    return {BY_RANK[row["rank"]]: row["n"] for row in ranked.annotate(n=Count("pk"))}


@dataclass
class RequirementCompliance:
    """One requirement (one clinician, for a schedule) of a sub-contract, and
    its compliance on a day."""

    requirement_id: int
    requirement: str
    clinician_id: int | None
    clinician: str | None
    best_valid_to: date | None  # None: nothing accepted, or it does not expire
    pending: bool
    compliance: str

    @property
    def label(self) -> str:
        return Compliance(self.compliance).label

    @property
    def tag(self) -> str:
        return TAGS[self.compliance]


def requirement_states(subcontract, today: date) -> list[RequirementCompliance]:
    """Each requirement (and scheduled clinician) of one sub-contract with its state."""
    return requirement_states_of([subcontract.pk], today).get(subcontract.pk, [])


def requirement_states_of(subcontract_ids, today: date) -> dict[int, list[RequirementCompliance]]:
    """The requirement states of many sub-contracts in one query, by sub-contract id."""
    rows = (
        RequirementState.objects.filter(subcontract_id__in=list(subcontract_ids))
        .annotate(rank=requirement_rank(today))
        .order_by("subcontract_id", "requirement__position", "requirement__name", "clinician__name")
        .values_list(
            "subcontract_id",
            "requirement_id",
            "requirement__name",
            "clinician_id",
            "clinician__name",
            "best_valid_to",
            "pending",
            "rank",
        )
    )
    states: dict[int, list[RequirementCompliance]] = {}
    for subcontract_id, requirement_id, requirement, clinician_id, clinician, best, pending, rank in rows:
        states.setdefault(subcontract_id, []).append(
            RequirementCompliance(
                requirement_id=requirement_id,
                requirement=requirement,
                clinician_id=clinician_id,
                clinician=clinician,
                # psycopg2 reads 'infinity' as date.max (no plausible date is).
                best_valid_to=None if best == date.max else best,
                pending=pending,
                compliance=BY_RANK[rank],
            )
        )
    return states


# The triggers that keep RequirementState, as pgtrigger names them: a bulk
# loader may set them aside (``pgtrigger.ignore``) and refresh once after.
STATE_TRIGGERS = [
    f"contracts.{model}:requirement_state_{operation}"
    for model, operations in (
        ("SubContract", ("insert", "update")),
        ("EvidenceRequirement", ("insert", "update")),
        ("ScheduledClinician", ("insert", "update", "delete")),
        ("EvidenceSubmission", ("insert", "update", "delete")),
    )
    for operation in operations
]


def refresh_requirement_states(subcontracts=None) -> None:
    """Recompute the kept state of ``subcontracts`` (a queryset; every
    sub-contract by default) from their evidence, as the triggers do after
    each write: for a bulk load that set the triggers aside, or a repair."""
    subcontracts = SubContract.objects.all() if subcontracts is None else subcontracts
    sql, params = subcontracts.order_by().values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT contracts_requirement_state_refresh(ARRAY({sql}))", params)


def compliance_label(value: str) -> str:
    return Compliance(value).label if value in RANKS else value
