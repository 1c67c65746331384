"""The contracts of ELR GP Federation in February 2019 (seeds 000 and 001):
the four contracts held for practices, the services practices deliver as
sub-contractors with plausible tariffs, sub-contracts for most practices, a
realistic mix of evidence, and returns up to Q3 2018/19."""

import hashlib
import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from contracts.models import (
    ActivityReturn,
    ActivityReturnLine,
    Contract,
    ContractReviewNote,
    EvidenceDecision,
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    HeadContract,
    Organisation,
    OrganisationKind,
    ReturnStatus,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from contracts.services.returns import return_periods
from fedportal.files import stored_name
from fedportal.periods import Quarter
from localities.models import Locality, Practice

DEMO_TODAY = date(2019, 2, 15)
SEED = 2019

ORGANISATIONS = [
    ("Jamie Bell Physiotherapy Ltd", OrganisationKind.PROVIDER),
    ("DHU Health Care CIC", OrganisationKind.PROVIDER),
    ("Clarity Informatics Ltd", OrganisationKind.PROVIDER),
    ("NHS East Leicestershire and Rutland CCG", OrganisationKind.COMMISSIONER),
    ("Leicestershire County Council", OrganisationKind.LOCAL_AUTHORITY),
    ("LLR Provider Company Ltd", OrganisationKind.FEDERATION),
    ("ELR GP Federation member practices", OrganisationKind.FEDERATION),
]

# Seed 000, (b): "The Federation is now holding the following contracts on
# behalf of practices." Values are plausible (the papers give GPTeamNet's:
# contract cost £26,040); physiotherapy and ECP are VAT-exempt health services.
CONTRACTS = [
    {
        "reference": "FCP-HAR-2018",
        "title": "First Contact Physio",
        "contractor": "Jamie Bell Physiotherapy Ltd",
        "localities": ["harborough"],
        "start": date(2018, 9, 1),
        "end": date(2019, 3, 31),
        "value": Decimal("30450.00"),
        "vat": Decimal("0.00"),
        "decide_by": date(2019, 3, 1),
    },
    {
        "reference": "FCP-OW-2018",
        "title": "First Contact Physio",
        "contractor": "Jamie Bell Physiotherapy Ltd",
        "localities": ["oadby-wigston"],
        "start": date(2018, 10, 1),
        "end": date(2019, 3, 31),
        "value": Decimal("26100.00"),
        "vat": Decimal("0.00"),
        "decide_by": date(2019, 3, 1),
    },
    {
        "reference": "ECP-SLAM-2018",
        "title": "Emergency Care Practitioner (ECP)",
        "contractor": "DHU Health Care CIC",
        "localities": ["slam"],
        "practices": ["C82038", "C82042", "C82078"],
        "start": date(2018, 10, 1),
        "end": date(2019, 3, 31),
        "value": Decimal("27000.00"),
        "vat": Decimal("0.00"),
        "decide_by": date(2019, 3, 1),
    },
    {
        "reference": "GTN-ELR-2019",
        "title": "GPTeamNet",
        "contractor": "Clarity Informatics Ltd",
        "all": True,
        "start": date(2019, 2, 1),
        "end": date(2020, 1, 31),
        "value": Decimal("26040.00"),
        "vat": Decimal("20.00"),
        "decide_by": date(2019, 11, 30),
    },
]
REVIEW_NOTES = {
    "FCP-HAR-2018": [
        (
            date(2019, 1, 22),
            "Project review: clinics fully booked; GP time is being saved. Practices to decide on extension by 1 March.",
        )
    ],
    "FCP-OW-2018": [
        (
            date(2019, 1, 24),
            "Monitoring meeting: progressing well. O&W share the physiotherapist across six practices on a rota.",
        )
    ],
    "ECP-SLAM-2018": [
        (
            date(2019, 1, 29),
            "ECP pilot review with DHU: home visits absorbed from three practices; pilot nearing its conclusion.",
        )
    ],
    "GTN-ELR-2019": [
        (
            date(2019, 1, 17),
            "Locality leads met Clarity Informatics to agree how the tool supports locality and ELR-wide working.",
        )
    ],
}

# Services practices deliver as sub-contractors to the federation.
HEAD_CONTRACTS = {
    "h-pylori": (
        "H. pylori breath testing in ELR",
        "NHS East Leicestershire and Rutland CCG",
        "LLR Provider Company Ltd",
        date(2018, 4, 1),
    ),
    "cbs": (
        "Public health community based services",
        "Leicestershire County Council",
        None,
        date(2017, 4, 1),
    ),
    "dpo": (
        "ELR GDPR data protection officer service",
        "ELR GP Federation member practices",
        None,
        date(2018, 5, 25),
    ),
}
SIGNED = ("Signed sub-contract", False, False, "The sub-contract signed by a partner of the practice.")
INDEMNITY = ("Indemnity certificate", True, False, "The practice's current clinical indemnity certificate.")
SERVICES = [
    # slug, name, head contract, unit, tariff, takes returns, share of practices, requirements
    (
        "h-pylori",
        "H. pylori breath test",
        "h-pylori",
        "breath test",
        Decimal("25.00"),
        True,
        0.8,
        [SIGNED, INDEMNITY],
    ),
    (
        "nhs-health-check",
        "NHS Health Check",
        "cbs",
        "health check",
        Decimal("24.00"),
        True,
        0.45,
        [SIGNED, INDEMNITY],
    ),
    (
        "larc-fitting",
        "Contraception: LARC fitting",
        "cbs",
        "fitting or removal",
        Decimal("43.00"),
        True,
        0.3,
        [
            SIGNED,
            INDEMNITY,
            (
                "Schedule of fitters",
                True,
                True,
                "Each fitter with their current letter of competence (FSRH).",
            ),
        ],
    ),
    (
        "alcohol-brief-intervention",
        "Alcohol brief intervention",
        "cbs",
        "intervention",
        Decimal("12.50"),
        True,
        0.25,
        [SIGNED],
    ),
    (
        "dpo",
        "DPO service",
        "dpo",
        "practice",
        Decimal("0.00"),
        False,
        0.85,
        [
            ("Signed DPO service agreement", False, False, "The service agreement signed by the practice."),
            (
                "DPO self-assessment",
                True,
                False,
                "The completed GDPR self-assessment toolkit, reviewed yearly.",
            ),
        ],
    ),
]
DEMO_PRACTICE = "C82025"
FITTERS = [
    "Dr Sarah Okafor",
    "Dr James Whitfield",
    "Nurse Claire Dunmore",
    "Dr Anita Rao",
    "Nurse Mark Ellis",
]
RETURN_QUARTERS = [Quarter(2018, 1), Quarter(2018, 2), Quarter(2018, 3)]


def evidence_pdf(title: str, practice: str, detail: str) -> bytes:
    """A one-page PDF standing in for a scanned certificate."""
    text = f"BT /F1 16 Tf 72 760 Td ({title}) Tj 0 -28 Td /F1 12 Tf ({practice}) Tj 0 -20 Td ({detail}) Tj ET"
    text = text.replace("&", "and")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(text) + text.encode("latin-1", "replace") + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def load(context: dict, stdout) -> None:
    staff = context["users"]["demo-staff"]
    practice_user = context["users"]["demo-practice"]
    organisations = {
        name: Organisation.objects.get_or_create(name=name, defaults={"kind": kind})[0]
        for name, kind in ORGANISATIONS
    }
    _load_contracts(organisations, staff)
    services = _load_services(organisations)
    practices = list(Practice.objects.filter(is_shareholder=True).order_by("ods_code"))
    for service, share, requirements in services:
        for practice in practices:
            # One generator per practice and service: re-runs make the same choices.
            rng = random.Random(f"{SEED}:{service.slug}:{practice.ods_code}")
            if rng.random() >= share and practice.ods_code != DEMO_PRACTICE:
                continue
            subcontract = _subcontract(practice, service)
            if subcontract.evidence.exists():
                continue
            demo_practice = practice.ods_code == DEMO_PRACTICE
            submitter = practice_user if demo_practice else staff
            for requirement in requirements:
                _load_evidence(rng, subcontract, requirement, submitter, staff, demo_practice)
            if service.takes_returns:
                _load_returns(rng, subcontract, submitter, staff)
    stdout.write(
        f"  contracts: {Contract.objects.count()}, services: {Service.objects.count()}, "
        f"sub-contracts: {SubContract.objects.count()}, evidence: {EvidenceSubmission.objects.count()}, "
        f"returns: {ActivityReturn.objects.count()}"
    )


def _load_contracts(organisations, staff) -> None:
    ccg = organisations["NHS East Leicestershire and Rutland CCG"]
    for spec in CONTRACTS:
        contract, created = Contract.objects.get_or_create(
            reference=spec["reference"],
            defaults={
                "title": spec["title"],
                "contractor": organisations[spec["contractor"]],
                "commissioner": ccg,
                "funding_source": "Transformation Fund 2018/19",
                "covers_all_localities": spec.get("all", False),
                "start_date": spec["start"],
                "end_date": spec["end"],
                "value": spec["value"],
                "vat_rate": spec["vat"],
                "extension_decision_by": spec["decide_by"],
            },
        )
        if not created:
            continue
        localities = Locality.objects.filter(slug__in=spec.get("localities", []))
        contract.localities.set(localities)
        practices = (
            Practice.objects.filter(ods_code__in=spec["practices"])
            if "practices" in spec
            else (
                Practice.objects.filter(locality__in=localities)
                if localities
                else Practice.objects.filter(is_shareholder=True)
            )
        )
        contract.practices.set(practices.exclude(merged_on__lt=spec["start"]))
        for reviewed_on, note in REVIEW_NOTES.get(spec["reference"], []):
            ContractReviewNote.objects.create(
                contract=contract, reviewed_on=reviewed_on, note=note, author=staff
            )


def _load_services(organisations):
    heads = {}
    for key, (title, commissioner, payer, start) in HEAD_CONTRACTS.items():
        heads[key], _ = HeadContract.objects.get_or_create(
            title=title,
            defaults={
                "commissioner": organisations[commissioner],
                "paying_organisation": organisations[payer] if payer else None,
                "start_date": start,
            },
        )
    services = []
    for slug, name, head, unit, price, takes_returns, share, requirement_specs in SERVICES:
        service, created = Service.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "head_contract": heads[head],
                "unit": unit,
                "takes_returns": takes_returns,
            },
        )
        if created and takes_returns:
            Tariff.objects.create(service=service, effective_from=heads[head].start_date, unit_price=price)
        requirements = []
        for position, (req_name, expires, schedule, description) in enumerate(requirement_specs, start=1):
            requirement, _ = EvidenceRequirement.objects.get_or_create(
                service=service,
                name=req_name,
                defaults={
                    "has_expiry": expires,
                    "is_clinician_schedule": schedule,
                    "description": description,
                    "position": position,
                },
            )
            requirements.append(requirement)
        services.append((service, share, requirements))
    return services


def _subcontract(practice, service) -> SubContract:
    start = max(service.head_contract.start_date, date(2018, 4, 1))
    end = practice.merged_on - timedelta(days=1) if practice.merged_on else None
    subcontract, _ = SubContract.objects.get_or_create(
        practice=practice, service=service, defaults={"start_date": start, "end_date": end}
    )
    return subcontract


def _load_evidence(rng, subcontract, requirement, submitter, staff, demo_practice) -> None:
    if requirement.is_clinician_schedule:
        count = rng.randint(1, 3)
        for name in rng.sample(FITTERS, count):
            clinician = ScheduledClinician.objects.create(
                subcontract=subcontract, name=name, role="Practice nurse" if "Nurse" in name else "GP"
            )
            _evidence(rng, subcontract, requirement, submitter, staff, clinician=clinician)
        return
    # The demo practice's indemnity certificate runs out soon: the walk-through
    # has its practice manager upload the renewal and staff accept it.
    fate = ("expiring" if requirement.name == "Indemnity certificate" else "valid") if demo_practice else None
    if demo_practice and requirement.name == "DPO self-assessment":
        return  # "Practices now need chasing to complete the self-survey."
    _evidence(rng, subcontract, requirement, submitter, staff, fate=fate)


def _evidence(rng, subcontract, requirement, submitter, staff, *, clinician=None, fate=None) -> None:
    fate = (
        fate
        or rng.choices(
            ["valid", "expiring", "expired", "pending", "rejected", "missing"], weights=[55, 10, 10, 8, 4, 13]
        )[0]
    )
    if fate == "missing":
        return
    if not requirement.has_expiry:
        valid_from, valid_to = subcontract.start_date, None
    elif fate == "expiring":
        valid_to = DEMO_TODAY + timedelta(days=rng.randint(5, 28))
        valid_from = valid_to - timedelta(days=364)
    elif fate == "expired":
        valid_to = DEMO_TODAY - timedelta(days=rng.randint(5, 60))
        valid_from = valid_to - timedelta(days=364)
    else:
        valid_from = DEMO_TODAY - timedelta(days=rng.randint(30, 300))
        valid_to = valid_from + timedelta(days=364)
    who = clinician.name if clinician else subcontract.practice.name
    title = f"{requirement.name}: {clinician.name}" if clinician else requirement.name
    detail = (
        f"Valid {valid_from:%d/%m/%Y} to {valid_to:%d/%m/%Y}" if valid_to else f"Signed {valid_from:%d/%m/%Y}"
    )
    content = evidence_pdf(title, who, detail)
    submission = EvidenceSubmission(
        subcontract=subcontract,
        requirement=requirement,
        clinician=clinician,
        version=1,
        original_name=f"{requirement.name.lower().replace(' ', '-')}.pdf",
        content_type="application/pdf",
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        description=f"{requirement.name} {valid_from:%Y}" if valid_to else requirement.name,
        valid_from=valid_from,
        valid_to=valid_to,
        submitted_by=submitter,
        status={"pending": EvidenceStatus.PENDING, "rejected": EvidenceStatus.REJECTED}.get(
            fate, EvidenceStatus.ACCEPTED
        ),
    )
    submission.file.save(stored_name(".pdf"), ContentFile(content), save=False)
    submission.save()
    EvidenceSubmission.objects.filter(pk=submission.pk).update(
        submitted_at=_at(valid_from + timedelta(days=3))
    )
    if submission.status != EvidenceStatus.PENDING:
        reason = (
            "The certificate is for another practice; please upload your own." if fate == "rejected" else ""
        )
        decision = EvidenceDecision.objects.create(
            submission=submission, decision=submission.status, reason=reason, decided_by=staff
        )
        EvidenceDecision.objects.filter(pk=decision.pk).update(decided_at=_at(valid_from + timedelta(days=6)))


def _load_returns(rng, subcontract, submitter, staff) -> None:
    for quarter in RETURN_QUARTERS:
        periods = return_periods(subcontract, quarter)
        if not periods or subcontract.returns.filter(year=quarter.year, quarter=quarter.number).exists():
            continue
        # Q3 returns "are now being collated": most approved, some still waiting.
        waiting = quarter == Quarter(2018, 3) and rng.random() < 0.25
        activity_return = ActivityReturn.objects.create(
            subcontract=subcontract, year=quarter.year, quarter=quarter.number, submitted_by=submitter
        )
        submitted = ActivityReturn.objects.filter(pk=activity_return.pk)
        submitted.update(submitted_at=_at(quarter.end + timedelta(days=rng.randint(5, 15))))
        ActivityReturnLine.objects.bulk_create(
            ActivityReturnLine(
                activity_return=activity_return,
                period_start=p.start,
                period_end=p.end,
                unit_price=p.unit_price,
                units=rng.randint(4, 45),
            )
            for p in periods
        )
        if not waiting:
            # Decided last: once approved, the database refuses any change.
            submitted.update(
                status=ReturnStatus.APPROVED,
                decided_by=staff,
                decided_at=_at(quarter.end + timedelta(days=rng.randint(20, 40))),
            )
