"""What a registration lists and whether it is ready: its member practices
with their list sizes at the reference date (live while a draft, frozen once
submitted), and the checks shown before submission, each with its reason."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from localities.models import ListSize, Practice
from pcn.models import AgreementSignature, Membership, Registration

MINIMUM_POPULATION = 30_000


@dataclass
class MemberRow:
    """One member practice as the registration page and PDF show it."""

    practice: Practice
    ods_code: str
    name: str
    list_size: int | None
    is_open: bool
    other_ccg: bool
    signature: AgreementSignature | None = None
    share: object = None  # the membership's fixed share of funding, if any


@dataclass(frozen=True)
class Check:
    """One condition of submission: met or not, and why."""

    key: str
    label: str
    passed: bool
    reason: str


def current_members(registration: Registration) -> list[MemberRow]:
    """The network's members on the day the contract year goes live, with
    their list sizes at its reference date, read now (one query)."""
    year = registration.contract_year
    latest = ListSize.latest_on(year.reference_date, practice=OuterRef("practice"))
    is_open = Practice.objects.open_on(year.live_from).filter(pk=OuterRef("practice"))
    memberships = (
        Membership.objects.on(year.live_from)
        .filter(pcn_id=registration.pcn_id)
        .select_related("practice")
        .annotate(size=Subquery(latest), practice_open=Exists(is_open))
        .order_by("practice__name")
    )
    return [
        MemberRow(
            m.practice,
            m.practice.ods_code,
            m.practice.name,
            m.size,
            m.practice_open,
            m.other_ccg,
            share=m.share,
        )
        for m in memberships
    ]


def listed_members(registration: Registration) -> list[MemberRow]:
    """The members as listed: frozen rows once submitted, else current (one query)."""
    if registration.is_frozen:
        return [
            MemberRow(m.practice, m.ods_code, m.practice_name, m.list_size, True, m.other_ccg)
            for m in registration.members.select_related("practice")
        ]
    return current_members(registration)


def registration_members(registration: Registration) -> list[MemberRow]:
    """Frozen rows once submitted; the network's current members while a
    draft (or returned). Each with its signature of the network agreement,
    if any (two queries in all)."""
    rows = listed_members(registration)
    signatures = {s.practice_id: s for s in registration.signatures.select_related("signed_by")}
    for row in rows:
        row.signature = signatures.get(row.practice.pk)
    return rows


def total_list_size(members: list[MemberRow]) -> int:
    return sum(m.list_size or 0 for m in members)


def registration_checks(registration: Registration, members: list[MemberRow]) -> list[Check]:
    """Every condition the DES sets for a submission, in the form's order."""
    pcn = registration.pcn
    total = total_list_size(members)
    exception = registration.population_exception.strip()
    missing_sizes = [m.ods_code for m in members if m.list_size is None]
    closed = [m.ods_code for m in members if not m.is_open]
    unsigned = [m.ods_code for m in members if m.signature is None]
    year = registration.contract_year
    if not members:
        population = Check(
            "population",
            "Population of at least 30,000",
            False,
            f"The network has no member practices on {year.live_from:%-d %B %Y}.",
        )
    elif total >= MINIMUM_POPULATION:
        population = Check(
            "population",
            "Population of at least 30,000",
            True,
            f"{total:,} patients at {year.reference_date:%-d %B %Y}.",
        )
    elif exception:
        population = Check(
            "population",
            "Population of at least 30,000",
            True,
            f"{total:,} patients, under 30,000 with an exception: {exception}",
        )
    else:
        population = Check(
            "population",
            "Population of at least 30,000",
            False,
            f"{total:,} patients at {year.reference_date:%-d %B %Y}: under 30,000, and no exception is given.",
        )
    if missing_sizes and population.passed:
        population = Check(
            "population",
            population.label,
            False,
            f"No list size at {year.reference_date:%-d %B %Y} for {', '.join(missing_sizes)}.",
        )
    return [
        population,
        Check(
            "members_open",
            "All members are open practices",
            bool(members) and not closed,
            f"Not open on {year.live_from:%-d %B %Y}: {', '.join(closed)}."
            if closed
            else ("Every member practice is open." if members else "No member practices."),
        ),
        Check(
            "signed",
            "Every member has signed the network agreement",
            bool(members) and not unsigned,
            f"Not yet signed by {', '.join(unsigned)}."
            if unsigned
            else ("Every member practice has signed." if members else "No member practices."),
        ),
        Check(
            "clinical_director",
            "Clinical director named",
            bool(pcn.clinical_director_name.strip()),
            pcn.clinical_director_name or "No clinical director is named.",
        ),
        Check(
            "payee",
            "Nominated payee named",
            bool(pcn.payee_name.strip()),
            pcn.payee_name or "No nominated payee is named.",
        ),
        Check(
            "bank",
            "Bank details complete",
            pcn.bank_details_complete,
            "Account name, sort code and account number are given."
            if pcn.bank_details_complete
            else "Give the account name, sort code and account number.",
        ),
        Check(
            "map",
            "Map of the network area",
            bool(pcn.boundary),
            "A boundary is uploaded." if pcn.boundary else "Upload the network's boundary (GeoJSON).",
        ),
    ]


def failing(checks: list[Check]) -> list[Check]:
    return [c for c in checks if not c.passed]
