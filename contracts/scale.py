"""The contracts part of ``manage.py seed_scale``: the demo's services and
requirements, about one contract held per ten practices, sub-contracts for
most practices (about 2.6 each), ``evidence`` submissions (100,000 at the
default) as yearly renewals with the demo's mix of states, a decision for each
one decided, four quarters of activity returns, and the kept compliance
state of every sub-contract (``contracts.compliance``), computed once at the end.

Synthetic evidence rows name files that do not exist: downloading one gives
"not found", which is all a benchmark needs.
"""

from datetime import date, timedelta
from decimal import Decimal

import pgtrigger
from django.utils import timezone

from contracts.compliance import STATE_TRIGGERS, refresh_requirement_states
from contracts.demo import ORGANISATIONS, SERVICES
from contracts.models import (
    ActivityReturn,
    ActivityReturnLine,
    Contract,
    EvidenceDecision,
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    HeadContract,
    Organisation,
    ReturnStatus,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from contracts.services.returns import tariff_periods
from fedportal.periods import Quarter
from fedportal.scale import step, wipe_app

BATCH_SIZE = 5000
DEFAULT_EVIDENCE = 100_000
PRACTICES_PER_CONTRACT = 10
RETURN_QUARTERS = 4
FITTER_NAMES = ["Dr A Shah", "Dr B Lewis", "Nurse C Green", "Dr D Okafor", "Nurse E Walker", "Dr F Young"]


def seed(*, practices: int, rng, stdout, context: dict) -> None:
    today: date = context["today"]
    staff = context["users"]["staff"]
    practice_ids: list[int] = context["practice_ids"]
    locality_ids: list[int] = context["locality_ids"]
    # 100,000 at the default 7,000 practices, in proportion otherwise.
    evidence_target = context.get("evidence") or round(DEFAULT_EVIDENCE * len(practice_ids) / 7000)
    with step(stdout, "contracts: wiping"):
        wipe_app("contracts")
    with step(stdout, "contracts: organisations, services, tariffs"):
        services = _services(today)
    with step(stdout, f"contracts: {max(1, len(practice_ids) // PRACTICES_PER_CONTRACT):,} contracts held"):
        _contracts(rng, today, practice_ids, locality_ids)
    # The compliance state is computed once, after the bulk loads, rather
    # than by its triggers after each batch (the same rows, a minute sooner).
    with pgtrigger.ignore(*STATE_TRIGGERS):
        with step(stdout, "contracts: sub-contracts"):
            subcontracts = _subcontracts(rng, today, practice_ids, services)
        with step(stdout, "contracts: schedules of clinicians"):
            clinicians = _clinicians(rng, subcontracts, services)
        with step(stdout, f"contracts: {evidence_target:,} evidence submissions and their decisions"):
            _evidence(rng, today, subcontracts, services, clinicians, evidence_target, staff)
    with step(stdout, "contracts: compliance state"):
        refresh_requirement_states()
    with step(stdout, f"contracts: returns for {RETURN_QUARTERS} quarters"):
        _returns(rng, today, subcontracts, services, staff)


def _services(today: date) -> dict[int, tuple[Service, list[EvidenceRequirement], float]]:
    organisations = {name: Organisation.objects.create(name=name, kind=kind) for name, kind in ORGANISATIONS}
    head = HeadContract.objects.create(
        title="Synthetic head contract",
        commissioner=organisations["NHS East Leicestershire and Rutland CCG"],
        start_date=today - timedelta(days=5 * 365),
    )
    services = {}
    for slug, name, _head, unit, price, takes_returns, share, requirement_specs in SERVICES:
        service = Service.objects.create(
            name=name, slug=slug, head_contract=head, unit=unit, takes_returns=takes_returns
        )
        if takes_returns:
            # A tariff rise part way through a recent quarter, as happens.
            rise = Quarter.of(today).previous().start + timedelta(days=45)
            Tariff.objects.create(service=service, effective_from=head.start_date, unit_price=price)
            Tariff.objects.create(service=service, effective_from=rise, unit_price=price * Decimal("1.05"))
        requirements = [
            EvidenceRequirement.objects.create(
                service=service,
                name=req_name,
                has_expiry=expires,
                is_clinician_schedule=schedule,
                description=description,
                position=position,
            )
            for position, (req_name, expires, schedule, description) in enumerate(requirement_specs, start=1)
        ]
        services[service.pk] = (service, requirements, share)
    return services


def _contracts(rng, today, practice_ids, locality_ids) -> None:
    contractor = Organisation.objects.get(name="Jamie Bell Physiotherapy Ltd")
    count = max(1, len(practice_ids) // PRACTICES_PER_CONTRACT)
    contracts = []
    for n in range(count):
        start = today - timedelta(days=rng.randint(0, 700))
        contracts.append(
            Contract(
                reference=f"SYN-{n:05d}",
                title=rng.choice(["First Contact Physio", "ECP", "GPTeamNet", "Care navigation"]),
                contractor=contractor,
                start_date=start,
                end_date=start + timedelta(days=rng.choice([182, 213, 365, 730])),
                value=Decimal(rng.randint(5_000, 60_000)),
                vat_rate=rng.choice([Decimal("0"), Decimal("20")]),
            )
        )
    Contract.objects.bulk_create(contracts, batch_size=BATCH_SIZE)
    through = Contract.localities.through
    through.objects.bulk_create(
        [through(contract_id=c.pk, locality_id=rng.choice(locality_ids)) for c in contracts],
        batch_size=BATCH_SIZE,
    )


def _subcontracts(rng, today, practice_ids, services) -> list[SubContract]:
    start = today - timedelta(days=4 * 365)
    rows = [
        SubContract(practice_id=practice_id, service_id=service.pk, start_date=start)
        for practice_id in practice_ids
        for service, _, share in services.values()
        if rng.random() < share
    ]
    return SubContract.objects.bulk_create(rows, batch_size=BATCH_SIZE)


def _clinicians(rng, subcontracts, services) -> dict[int, list[int]]:
    schedule_services = {
        pk for pk, (_, reqs, _) in services.items() if any(r.is_clinician_schedule for r in reqs)
    }
    rows = [
        ScheduledClinician(
            subcontract_id=s.pk, name=name, role="GP" if name.startswith("Dr") else "Practice nurse"
        )
        for s in subcontracts
        if s.service_id in schedule_services
        for name in rng.sample(FITTER_NAMES, rng.randint(1, 3))
    ]
    ScheduledClinician.objects.bulk_create(rows, batch_size=BATCH_SIZE)
    by_subcontract: dict[int, list[int]] = {}
    for clinician in rows:
        by_subcontract.setdefault(clinician.subcontract_id, []).append(clinician.pk)
    return by_subcontract


def _evidence(rng, today, subcontracts, services, clinicians, target, staff) -> None:
    # Each slot (sub-contract, requirement, clinician) holds a run of yearly
    # versions; versions are spread so the total is ``target``.
    slots = [
        (s.pk, requirement, clinician_id)
        for s in subcontracts
        for requirement in services[s.service_id][1]
        for clinician_id in (clinicians.get(s.pk, []) if requirement.is_clinician_schedule else [None])
    ]
    rng.shuffle(slots)
    per_slot, extra = divmod(target, len(slots)) if slots else (0, 0)
    submitted_at = timezone.now()
    submissions = []
    for index, (subcontract_id, requirement, clinician_id) in enumerate(slots):
        versions = per_slot + (1 if index < extra else 0)
        fate = rng.choices(
            ["valid", "expiring", "expired", "pending", "rejected"], weights=[60, 10, 12, 12, 6]
        )[0]
        latest_to = {
            "valid": today + timedelta(days=rng.randint(31, 330)),
            "expiring": today + timedelta(days=rng.randint(1, 29)),
            "expired": today - timedelta(days=rng.randint(1, 200)),
        }.get(fate, today + timedelta(days=rng.randint(31, 330)))
        for version in range(1, versions + 1):
            last = version == versions
            valid_to = latest_to - timedelta(days=365 * (versions - version))
            status = EvidenceStatus.ACCEPTED
            if last and fate == "pending":
                status = EvidenceStatus.PENDING
            elif last and fate == "rejected":
                status = EvidenceStatus.REJECTED
            submissions.append(
                EvidenceSubmission(
                    subcontract_id=subcontract_id,
                    requirement_id=requirement.pk,
                    clinician_id=clinician_id,
                    version=version,
                    file=f"evidence/synthetic/{subcontract_id}-{requirement.pk}-{version}.pdf",
                    original_name=f"{requirement.name}.pdf",
                    content_type="application/pdf",
                    size=48_213,
                    sha256=f"{index:032x}{version:032x}",
                    description=requirement.name,
                    valid_from=(valid_to - timedelta(days=364)) if requirement.has_expiry else None,
                    valid_to=valid_to if requirement.has_expiry else None,
                    status=status,
                    submitted_by=staff,
                    submitted_at=submitted_at,
                )
            )
    EvidenceSubmission.objects.bulk_create(submissions, batch_size=BATCH_SIZE)
    decisions = [
        EvidenceDecision(
            submission_id=s.pk,
            decision=s.status,
            decided_by=staff,
            reason=""
            if s.status == EvidenceStatus.ACCEPTED
            else "Out of date: please upload the current certificate.",
        )
        for s in submissions
        if s.status != EvidenceStatus.PENDING
    ]
    EvidenceDecision.objects.bulk_create(decisions, batch_size=BATCH_SIZE)


def _returns(rng, today, subcontracts, services, staff) -> None:
    quarters, quarter = [], Quarter.of(today).previous()
    for _ in range(RETURN_QUARTERS):
        quarters.append(quarter)
        quarter = quarter.previous()
    # Sub-contracts began four years ago, so every quarter is whole.
    periods = {
        (service.pk, q): tariff_periods(service, q.start, q.end)
        for service, _, _ in services.values()
        if service.takes_returns
        for q in quarters
    }
    returns, return_periods = [], []
    for subcontract in subcontracts:
        service = services[subcontract.service_id][0]
        if not service.takes_returns:
            continue
        for quarter in quarters:
            waiting = quarter == quarters[0] and rng.random() < 0.3
            returns.append(
                ActivityReturn(
                    subcontract_id=subcontract.pk,
                    year=quarter.year,
                    quarter=quarter.number,
                    submitted_by=staff,
                    status=ReturnStatus.SUBMITTED if waiting else ReturnStatus.APPROVED,
                    decided_by=None if waiting else staff,
                    decided_at=None if waiting else timezone.now(),
                )
            )
            return_periods.append(periods[service.pk, quarter])
    ActivityReturn.objects.bulk_create(returns, batch_size=BATCH_SIZE)
    lines = [
        ActivityReturnLine(
            activity_return_id=activity_return.pk,
            period_start=p.start,
            period_end=p.end,
            unit_price=p.unit_price,
            units=rng.randint(0, 60),
        )
        for activity_return, these in zip(returns, return_periods, strict=True)
        for p in these
    ]
    ActivityReturnLine.objects.bulk_create(lines, batch_size=BATCH_SIZE)
