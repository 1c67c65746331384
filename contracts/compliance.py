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


def _rule_sql(select: str, which: str, tail: str = "") -> str:
    """The rule's one query: each sub-contract ``s`` that ``which`` (a
    condition on ``s.id``) picks, joined to each active requirement ``r`` of
    its service, each current clinician ``c`` on a schedule, and ``ev``, the
    best accepted evidence and any upload pending for that requirement (and
    clinician). ``select`` and ``tail`` (GROUP BY / ORDER BY) shape the
    answer: one row per requirement, or one rank per sub-contract. The
    evidence is read in one pass over the picked sub-contracts' rows."""
    return f"""
        WITH ev AS (
            SELECT e.subcontract_id, e.requirement_id, e.clinician_id,
                MAX(CASE WHEN e.status = 'accepted' THEN COALESCE(e.valid_to, 'infinity'::date) END) AS best,
                BOOL_OR(e.status = 'pending') AS pending
            FROM contracts_evidencesubmission e
            WHERE e.subcontract_id {which}
            GROUP BY 1, 2, 3
        )
        SELECT {select}
        FROM contracts_subcontract s
        LEFT JOIN contracts_evidencerequirement r ON r.service_id = s.service_id AND r.active
        LEFT JOIN contracts_scheduledclinician c
            ON r.is_clinician_schedule AND c.subcontract_id = s.id AND c.removed_on IS NULL
        LEFT JOIN ev ON ev.subcontract_id = s.id AND ev.requirement_id = r.id
            AND ev.clinician_id IS NOT DISTINCT FROM (CASE WHEN r.is_clinician_schedule THEN c.id END)
        WHERE s.id {which}
        {tail}
    """


# A sub-contract is as bad as its worst requirement; with none it is compliant.
_RANK = f"COALESCE(MAX(CASE WHEN r.id IS NULL THEN {RANKS[Compliance.COMPLIANT]} ELSE {_STATE_CASE} END), 0)"


def _bounds(today: date) -> list[date]:
    return [today + timedelta(days=EXPIRING_WITHIN_DAYS), today]


def _ids_sql(subcontracts) -> tuple[str, list] | None:
    """``IN (…)`` selecting the queryset's ids, or None when it is empty (.none())."""
    try:
        sql, params = subcontracts.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None
    return f"IN ({sql})", list(params)


def annotate_compliance(queryset, today: date):
    """Annotate sub-contracts with ``compliance_rank``; ``SubContract.compliance``
    reads its label. (A CASE turning the rank into the label in SQL would make
    PostgreSQL run the rule once per branch.)"""
    # Correlated on the outer row: the rule runs for the rows shown, not all.
    # Only module constants are interpolated; dates go in as parameters.
    sql = _rule_sql(_RANK, "= contracts_subcontract.id", "GROUP BY s.id")
    return queryset.annotate(compliance_rank=RawSQL(sql, _bounds(today), output_field=IntegerField()))


def filter_compliance(queryset, compliance: str, today: date):
    """Only the sub-contracts of ``queryset`` whose compliance on ``today`` is
    ``compliance``: judged all at once, faster than filtering on the annotation."""
    ids = _ids_sql(queryset)
    if ids is None:
        return queryset
    which, params = ids
    sql = _rule_sql("s.id", which, f"GROUP BY s.id HAVING {_RANK} = %s")
    return queryset.filter(pk__in=RawSQL(sql, [*params, *params, *_bounds(today), RANKS[compliance]]))


def compliance_counts(subcontracts, today: date) -> dict[str, int]:
    """How many of ``subcontracts`` are in each state on ``today``."""
    ids = _ids_sql(subcontracts)
    if ids is None:
        return {}
    which, params = ids
    sql = f"SELECT rank, COUNT(*) FROM ({_rule_sql(f'{_RANK} AS rank', which, 'GROUP BY s.id')}) ranked GROUP BY rank"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *_bounds(today), *params])
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
    select = f"""s.id, r.id, r.name, c.id, c.name,
        CASE WHEN ev.best = 'infinity'::date THEN NULL ELSE ev.best END,
        COALESCE(ev.pending, false), {_STATE_CASE}"""
    sql = _rule_sql(select, "= ANY(%s)", "AND r.id IS NOT NULL ORDER BY s.id, r.position, r.name, c.name")
    ids = list(subcontract_ids)
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, *_bounds(today), ids])
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
