"""Sub-contract compliance, derived from evidence: the one rule, written once
in SQL and used by every list, the dashboard matrix and the detail page.

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
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connection, models
from django.db.models import IntegerField
from django.db.models.expressions import RawSQL

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

# The rank of one requirement (one clinician, for a schedule), from the
# aggregate ``ev`` (best accepted valid_to, any pending) and the clinician ``c``.
_STATE_CASE = """
    CASE
        WHEN r.is_clinician_schedule AND c.id IS NULL THEN {missing}
        WHEN ev.best > %s THEN {compliant}
        WHEN ev.pending THEN {awaiting}
        WHEN ev.best >= %s THEN {expiring}
        WHEN ev.best IS NULL THEN {missing}
        ELSE {expired}
    END
""".format(
    missing=RANKS[Compliance.MISSING],
    compliant=RANKS[Compliance.COMPLIANT],
    awaiting=RANKS[Compliance.AWAITING_REVIEW],
    expiring=RANKS[Compliance.EXPIRING],
    expired=RANKS[Compliance.EXPIRED],
)

# Per requirement row ``r`` of sub-contract ``{sub}``: its clinicians ``c``
# (schedules only) and the aggregate of their evidence ``ev``.
_EVIDENCE_JOINS = """
    LEFT JOIN contracts_scheduledclinician c
        ON r.is_clinician_schedule AND c.subcontract_id = {sub}.id AND c.removed_on IS NULL
    CROSS JOIN LATERAL (
        SELECT
            MAX(CASE WHEN e.status = 'accepted' THEN COALESCE(e.valid_to, 'infinity'::date) END) AS best,
            COALESCE(BOOL_OR(e.status = 'pending'), false) AS pending
        FROM contracts_evidencesubmission e
        WHERE e.subcontract_id = {sub}.id
          AND e.requirement_id = r.id
          AND (NOT r.is_clinician_schedule OR e.clinician_id = c.id)
    ) ev
"""


def _bounds(today: date) -> list[date]:
    return [today + timedelta(days=EXPIRING_WITHIN_DAYS), today]


def annotate_compliance(queryset, today: date):
    """Annotate sub-contracts with ``compliance_rank``; ``SubContract.compliance``
    reads its label. (A CASE turning the rank into the label in SQL would make
    PostgreSQL run the rule once per branch.)"""
    # Only module constants are interpolated; dates go in as parameters.
    sql = f"""
        SELECT COALESCE(MAX({_STATE_CASE}), 0)
        FROM contracts_evidencerequirement r
        {_EVIDENCE_JOINS.format(sub="contracts_subcontract")}
        WHERE r.service_id = contracts_subcontract.service_id AND r.active
    """
    return queryset.annotate(compliance_rank=RawSQL(sql, _bounds(today), output_field=IntegerField()))


def _ranked_sql(ids_sql: str | None) -> str:
    """The same rule, set-based: ``(id, rank)`` of every sub-contract (of
    those ``ids_sql`` selects, when given). One pass over the evidence instead
    of a lookup per requirement: the faster way to judge many at once."""
    only = f"WHERE {{column}} IN ({ids_sql})" if ids_sql else ""
    return f"""
        WITH ev AS (
            SELECT e.subcontract_id, e.requirement_id, e.clinician_id,
                MAX(CASE WHEN e.status = 'accepted' THEN COALESCE(e.valid_to, 'infinity'::date) END) AS best,
                BOOL_OR(e.status = 'pending') AS pending
            FROM contracts_evidencesubmission e
            {only.format(column="e.subcontract_id")}
            GROUP BY 1, 2, 3
        )
        SELECT s.id, COALESCE(MAX(CASE WHEN r.id IS NULL THEN 0 ELSE {_STATE_CASE} END), 0) AS rank
        FROM contracts_subcontract s
        LEFT JOIN contracts_evidencerequirement r ON r.service_id = s.service_id AND r.active
        LEFT JOIN contracts_scheduledclinician c
            ON r.is_clinician_schedule AND c.subcontract_id = s.id AND c.removed_on IS NULL
        LEFT JOIN ev ON ev.subcontract_id = s.id AND ev.requirement_id = r.id
            AND ev.clinician_id IS NOT DISTINCT FROM (CASE WHEN r.is_clinician_schedule THEN c.id END)
        {only.format(column="s.id")}
        GROUP BY s.id
    """


def filter_compliance(queryset, compliance: str, today: date):
    """Only the sub-contracts whose compliance on ``today`` is ``compliance``."""
    sql = f"SELECT ranked.id FROM ({_ranked_sql(None)}) ranked WHERE ranked.rank = %s"
    return queryset.filter(pk__in=RawSQL(sql, [*_bounds(today), RANKS[compliance]]))


def compliance_counts(subcontracts, today: date) -> dict[str, int]:
    """How many of ``subcontracts`` are in each state on ``today``."""
    try:
        ids_sql, ids_params = subcontracts.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:  # .none(): e.g. a filter that did not validate
        return {}
    sql = f"SELECT ranked.rank, COUNT(*) FROM ({_ranked_sql(ids_sql)}) ranked GROUP BY ranked.rank"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids_params, *_bounds(today), *ids_params])
        return {BY_RANK[rank]: count for rank, count in cursor.fetchall()}


@dataclass
class RequirementState:
    requirement_id: int
    requirement: str
    clinician_id: int | None
    clinician: str | None
    best_valid_to: date | None
    pending: bool
    compliance: str

    @property
    def label(self) -> str:
        return Compliance(self.compliance).label

    @property
    def tag(self) -> str:
        return TAGS[self.compliance]


def requirement_states(subcontract, today: date) -> list[RequirementState]:
    """Each requirement (and scheduled clinician) of one sub-contract with its state."""
    return requirement_states_of([subcontract.pk], today).get(subcontract.pk, [])


def requirement_states_of(subcontract_ids, today: date) -> dict[int, list[RequirementState]]:
    """The requirement states of many sub-contracts in one query, by sub-contract id."""
    sql = f"""
        SELECT s.id, r.id, r.name, c.id, c.name,
               CASE WHEN ev.best = 'infinity'::date THEN NULL ELSE ev.best END,
               ev.pending, {_STATE_CASE}
        FROM contracts_subcontract s
        JOIN contracts_evidencerequirement r ON r.service_id = s.service_id AND r.active
        {_EVIDENCE_JOINS.format(sub="s")}
        WHERE s.id = ANY(%s)
        ORDER BY s.id, r.position, r.name, c.name
    """
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_bounds(today), list(subcontract_ids)])
        rows = cursor.fetchall()
    states: dict[int, list[RequirementState]] = {}
    for row in rows:
        states.setdefault(row[0], []).append(
            RequirementState(
                requirement_id=row[1],
                requirement=row[2],
                clinician_id=row[3],
                clinician=row[4],
                best_valid_to=row[5],
                pending=row[6],
                compliance=BY_RANK[row[7]],
            )
        )
    return states


def compliance_label(value: str) -> str:
    return Compliance(value).label if value in RANKS else value
