"""Reads that span models: a CCG's coverage by registered networks."""

from dataclasses import dataclass

from django.db.models import OuterRef, Subquery

from localities.models import ListSize, Practice
from pcn.models import DECIDED, PCN, ContractYear, Membership, Registration, RegistrationStatus


@dataclass
class Coverage:
    ccg_code: str
    contract_year: ContractYear
    practices: list  # every open practice of the CCG, annotated
    outside: list  # those not in a registered (approved) network
    population: int
    population_covered: int

    @property
    def covered_count(self) -> int:
        return len(self.practices) - len(self.outside)

    @property
    def percent_covered(self) -> str:
        if not self.population:
            return "–"
        return f"{100 * self.population_covered / self.population:.1f}%"


def coverage_for(*, ccg_code: str, contract_year: ContractYear, user) -> Coverage:
    """The CCG's practices open when the year goes live, each with its network
    on that day and that network's registration status, and their list sizes
    at the reference date (one query). A practice is covered when its network's
    registration is approved (with or without an exception)."""
    day = contract_year.live_from
    membership = Membership.objects.on(day).filter(practice=OuterRef("pk"))
    registration = Registration.objects.filter(pcn=OuterRef("network_id"), contract_year=contract_year)
    practices = list(
        Practice.objects.visible_to(user)
        .filter(commissioner_code=ccg_code)
        .open_on(day)
        .annotate(
            network_id=Subquery(membership.values("pcn")[:1]),
            network_name=Subquery(membership.values("pcn__name")[:1]),
            network_code=Subquery(membership.values("pcn__code")[:1]),
            registration_status=Subquery(registration.values("status")[:1]),
            list_size=Subquery(ListSize.latest_on(contract_year.reference_date)),
        )
        .order_by("name")
    )
    labels = dict(RegistrationStatus.choices)
    for practice in practices:
        practice.registration_label = labels.get(practice.registration_status, "Not started")
    outside = [p for p in practices if p.registration_status not in DECIDED]
    population = sum(p.list_size or 0 for p in practices)
    covered = population - sum(p.list_size or 0 for p in outside)
    return Coverage(ccg_code, contract_year, practices, outside, population, covered)


def default_ccg(user) -> str:
    """The CCG most of the networks the user sees report to."""
    from django.db.models import Count

    row = (
        PCN.objects.visible_to(user)
        .values("ccg_code")
        .annotate(n=Count("pk"))
        .order_by("-n", "ccg_code")
        .first()
    )
    return row["ccg_code"] if row else ""
