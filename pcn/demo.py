"""The seven ELR networks of 2019 and their 30 member practices, as NHS
Digital's ePCN workbook of December 2019 has them (Stackyard and
Woolsthorpe, C83653, of NHS South West Lincolnshire CCG, belongs to Melton,
Syston and Vale PCN), with made-up clinical directors, payees and bank
details, and registrations for 2019/20 in different states.

Memberships start on 1 July 2019, when the Network Contract DES went live
(the December 2019 workbook records 1 October 2019 for every ELR member, a
date of its own refresh). Boundaries are rough made-up outlines around each
network's towns, not the real maps."""

import math
from datetime import date, datetime, time
from decimal import Decimal

import pghistory
from django.utils import timezone

from localities.models import ListSize, Practice
from pcn.models import (
    MATURITY_DOMAINS,
    PCN,
    AgreementSignature,
    ContractYear,
    MaturityAssessment,
    Membership,
    Payment,
    Rate,
    RateKind,
    Registration,
    RegistrationStatus,
    RoleReimbursement,
    StaffRole,
)
from pcn.services import (
    registration_decide,
    registration_start,
    registration_submit,
    reimbursement_claim_record,
    workforce_post_add,
)

CCG_CODE, CCG_NAME = "03W", "NHS East Leicestershire and Rutland CCG"
LIVE_FROM = date(2019, 7, 1)
STACKYARD = ("C83653", "Stackyard and Woolsthorpe Surgery", "04Q")
# Not in the localities demo (another CCG's practice): a made-up figure.
STACKYARD_LIST_SIZE = 4918

# code: (name, members, clinical director, director's practice, payee
# (practice code or another provider), bank (account name, sort code,
# account number: all fictitious), centre (longitude, latitude), state).
NETWORKS = {
    "U12169": ("North Blaby PCN", ["C82039", "C82055", "C82056", "C82066", "C82631"],
               "Dr Rachel Okafor", "C82056", "C82631", ("North Blaby PCN", "30-96-11", "10293847"), (-1.21, 52.60), "approved"),
    "U09521": ("Oadby & Wigston PCN", ["C82013", "C82021", "C82048", "C82071", "C82079", "C82112"],
               "Dr Imran Shah", "C82013", "ELR GP Federation Ltd", ("ELR GP Federation Ltd re O&W PCN", "20-45-77", "55667788"), (-1.09, 52.58), "submitted"),
    "U25294": ("Melton, Syston and Vale PCN", ["C82016", "C82038", "C82042", "C82078", "C83653"],
               "Dr Joanna Fraser", "C82038", "C82038", ("Latham House Medical Practice", "40-12-34", "71234590"), (-0.92, 52.76), "draft"),
    "U71931": ("South Blaby & Lutterworth PCN", ["C82002", "C82025", "C82068", "C82098", "C82611"],
               "Dr Tom Naylor", "C82068", "C82025", ("South Blaby and Lutterworth PCN", "30-96-26", "12345678"), (-1.19, 52.48), "ready_but_wycliffe"),
    "U50165": ("Market Harborough & Bosworth PCN", ["C82009", "C82109"],
               "Dr Anna Hill", "C82009", "C82009", ("Market Harborough Medical Centre", "60-83-71", "23456781"), (-0.97, 52.47), "returned"),
    "U30213": ("Cross Counties PCN", ["C82001", "C82022", "C82067"],
               "Dr Sanjay Patel", "C82067", "C82001", ("Cross Counties PCN", "09-01-29", "34567812"), (-0.98, 52.55), "approved_exception"),
    "U67590": ("Rutland Health PCN", ["C82010", "C82044", "C82077", "C82649"],
               "Dr Helen Wright", "C82010", "C82010", ("Oakham Medical Practice", "20-00-00", "45678123"), (-0.70, 52.64), "no_map"),
}  # fmt: skip
RURAL_EXCEPTION = (
    "Rural: the three practices cover a sparse area across the county border; the nearest "
    "neighbouring networks are already over 50,000."
)
# 2019/20 rates (the issue; seed 003 rounds the director's to £0.51 and extended hours to £1.09).
RATES = [
    (RateKind.CORE, "1.5000", "Core PCN funding: £1.50 per patient a year (£0.125 a month), CCG allocations"),
    (
        RateKind.CLINICAL_DIRECTOR,
        "0.5140",
        "Clinical director contribution: £0.514 per patient, July 2019 to March 2020",
    ),
    (RateKind.EXTENDED_HOURS, "1.0990", "Extended hours access: £1.099 per patient, July 2019 to March 2020"),
    (
        RateKind.PARTICIPATION,
        "1.7640",
        "Network participation payment: £0.147 per weighted patient a month, to each practice",
    ),
]


# 2019/20 additional roles reimbursement (the issue): share of costs, cap a year.
REIMBURSEMENTS = [
    (StaffRole.CLINICAL_PHARMACIST, "70", "37810"),
    (StaffRole.SOCIAL_PRESCRIBER, "100", "34113"),
]
# Two dated self-assessments of each network as it formed (levels of the
# matrix's five rows: 0 foundations, 1 to 3 steps), the second showing progress.
MATURITY = {
    "U12169": ((1, 0, 0, 1, 0), (1, 1, 1, 1, 1)),
    "U09521": ((1, 1, 0, 0, 0), (2, 1, 1, 1, 1)),
    "U25294": ((0, 0, 0, 0, 0), (1, 0, 1, 0, 0)),
    "U71931": ((0, 1, 0, 0, 0), (1, 1, 0, 1, 0)),
    "U50165": ((0, 0, 0, 0, 0), (0, 1, 0, 0, 0)),
    "U30213": ((1, 0, 1, 0, 0), (1, 1, 1, 1, 0)),
    "U67590": ((0, 0, 0, 1, 0), (1, 0, 1, 1, 1)),
}
MATURITY_DATES = (date(2018, 12, 14), date(2019, 2, 8))


def _boundary(centre: tuple[float, float], seed: int) -> dict:
    """A made-up irregular outline of about 8 km around ``centre``."""
    points = []
    for i in range(10):
        angle = 2 * math.pi * i / 10
        radius = 0.07 * (1 + 0.25 * math.sin(seed + i * 1.7))
        points.append(
            [
                round(centre[0] + radius * math.cos(angle) / 0.6, 5),
                round(centre[1] + radius * math.sin(angle), 5),
            ]
        )
    points.append(points[0])
    return {"type": "Polygon", "coordinates": [points]}


def _contract_year() -> ContractYear:
    year, _ = ContractYear.objects.get_or_create(
        start=date(2019, 4, 1),
        defaults={
            "end": date(2020, 3, 31),
            "reference_date": date(2019, 1, 1),
            "live_from": LIVE_FROM,
            "submission_due": date(2019, 5, 15),
            "approval_due": date(2019, 5, 31),
        },
    )
    for kind, amount, note in RATES:
        Rate.objects.get_or_create(
            contract_year=year,
            kind=kind,
            defaults={
                "per_patient_per_year": Decimal(amount),
                "starts": LIVE_FROM,
                "ends": year.end,
                "note": note,
            },
        )
    return year


def _stackyard() -> Practice:
    code, name, ccg = STACKYARD
    practice, _ = Practice.objects.get_or_create(
        ods_code=code, defaults={"name": name, "commissioner_code": ccg}
    )
    ListSize.objects.get_or_create(
        practice=practice,
        as_at=date(2019, 1, 1),
        defaults={"registered_patients": STACKYARD_LIST_SIZE, "source": "Demo: made-up figure"},
    )
    return practice


def _at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load(context: dict, stdout) -> None:
    staff = context["users"]["demo-staff"]
    practice_user = context["users"].get("demo-practice")
    year = _contract_year()
    _stackyard()
    codes = [code for network in NETWORKS.values() for code in network[1]]
    practices = Practice.objects.in_bulk(codes, field_name="ods_code")
    with pghistory.context(user=staff.pk, command="load_demo"):
        for index, (code, (name, members, director, director_at, payee, bank, centre, state)) in enumerate(
            NETWORKS.items()
        ):
            payee_practice = practices.get(payee)
            pcn, _ = PCN.objects.update_or_create(
                code=code,
                defaults={
                    "name": name,
                    "ccg_code": CCG_CODE,
                    "ccg_name": CCG_NAME,
                    "open_date": LIVE_FROM,
                    "clinical_director_name": director,
                    "clinical_director_contact": f"{director.split()[-1].lower()}@example.nhs.uk",
                    "clinical_director_practice": practices[director_at],
                    "clinical_director_from": LIVE_FROM,
                    "payee_practice": payee_practice,
                    "payee_other": "" if payee_practice else payee,
                    "bank_account_name": bank[0],
                    "bank_sort_code": bank[1],
                    "bank_account_number": bank[2],
                    "boundary": None if state == "no_map" else _boundary(centre, index),
                    "boundary_file_name": "" if state == "no_map" else f"{code}-demo-outline.geojson",
                },
            )
            for member in members:
                practice = practices[member]
                Membership.objects.get_or_create(
                    practice=practice,
                    pcn=pcn,
                    defaults={
                        "start_date": LIVE_FROM,
                        "other_ccg": practice.commissioner_code != CCG_CODE,
                        "practice_ccg_code": practice.commissioner_code,
                    },
                )
            if not Registration.objects.filter(pcn=pcn, contract_year=year).exists():
                _registration(pcn, year, members, practices, state, staff, practice_user)
        _payments(year)
        _workforce(year, staff)
        _maturity(staff)
    counts = {s: Registration.objects.filter(status=s).count() for s in RegistrationStatus.values}
    stdout.write(
        f"  networks: {PCN.objects.count()}, memberships: {Membership.objects.count()}, registrations: "
        + ", ".join(f"{n} {s}" for s, n in counts.items() if n)
    )


def _registration(pcn, year, members, practices, state, staff, practice_user) -> None:
    registration = registration_start(pcn=pcn, contract_year=year, user=staff)
    unsigned = {"C82025"} if state == "ready_but_wycliffe" else set()
    if state in ("draft", "no_map"):
        unsigned = set(members[len(members) // 2 :])  # half have signed so far
    for code in members:
        if code not in unsigned:
            AgreementSignature.objects.create(
                registration=registration,
                practice=practices[code],
                practice_name=practices[code].name,
                signed_by=staff,
                signatory=f"Dr {code[-3:]} (partner)",
                recorded_by_staff=True,
            )
    # Signed in the weeks before the deadline of 15 May 2019.
    AgreementSignature.objects.filter(registration=registration).update(signed_at=_at(date(2019, 5, 3)))
    if state == "approved_exception":
        registration.population_exception = RURAL_EXCEPTION
        registration.save(update_fields=["population_exception"])
    if state == "returned":
        registration.population_exception = "Market towns: the two practices want to stay together."
        registration.save(update_fields=["population_exception"])
    if state in ("approved", "submitted", "approved_exception", "returned"):
        registration_submit(registration=registration, user=staff)
        Registration.objects.filter(pk=registration.pk).update(submitted_at=_at(date(2019, 5, 10)))
    decisions = {
        "approved": ("approve", "Approved at the CCG panel of 16 May 2019."),
        "approved_exception": (
            "approve_exception",
            "Approved with the rural exception at the panel of 16 May 2019.",
        ),
        "returned": (
            "return",
            "Returned by the panel of 17 May 2019: 25,079 patients and no agreed exception; "
            "discuss joining Cross Counties PCN or a rural case.",
        ),
    }
    if state in decisions:
        decision, notes = decisions[state]
        registration_decide(registration=registration, decision=decision, panel_notes=notes, user=staff)
        Registration.objects.filter(pk=registration.pk).update(decided_at=_at(date(2019, 5, 17), 15))


def _payments(year: ContractYear) -> None:
    """Core funding received by the two approved networks for July to
    September 2019: North Blaby's September payment came in short."""
    from pcn.entitlements import entitlements

    core = list(year.rates.filter(kind=RateKind.CORE))
    for code in ("U12169", "U30213"):
        registration = Registration.objects.get(pcn__code=code, contract_year=year)
        if registration.pcn.payments.exists():
            continue
        [owed] = entitlements(year, core, registration.total_list_size or 0)
        for month in owed.months[:3]:
            amount = owed.monthly
            if code == "U12169" and month.month == 9:
                amount -= Decimal("500.00")
            Payment.objects.create(
                pcn=registration.pcn,
                month=month,
                kind=RateKind.CORE,
                amount=amount,
                received_on=month.replace(day=28),
                reference=f"CCG {month:%b %Y}",
            )


def _workforce(year: ContractYear, staff) -> None:
    """Each network's 2019 plan as seed 003 has it: one clinical pharmacist
    and one social prescribing link worker, and North Blaby's claims for
    July to September 2019 (its pharmacist's costs £4,100 a month)."""
    for role, percent, cap in REIMBURSEMENTS:
        RoleReimbursement.objects.get_or_create(
            contract_year=year, role=role, defaults={"percent": Decimal(percent), "annual_cap": Decimal(cap)}
        )
    for pcn in PCN.objects.filter(code__in=NETWORKS):
        if pcn.workforce_posts.exists():
            continue
        posts = [
            workforce_post_add(
                pcn=pcn,
                contract_year=year,
                role=role,
                wte=Decimal("1"),
                starts=starts,
                employer="ELR GP Federation Ltd",
                user=staff,
            )
            for role, starts in (
                (StaffRole.CLINICAL_PHARMACIST, LIVE_FROM),
                (StaffRole.SOCIAL_PRESCRIBER, date(2019, 9, 1)),
            )
        ]
        if pcn.code == "U12169":
            for month in (7, 8, 9):
                reimbursement_claim_record(
                    post=posts[0], month=date(2019, month, 1), costs=Decimal("4100.00"), user=staff
                )


def _maturity(staff) -> None:
    names = [name for name, _ in MATURITY_DOMAINS]
    for pcn in PCN.objects.filter(code__in=MATURITY):
        for day, levels in zip(MATURITY_DATES, MATURITY[pcn.code], strict=True):
            MaturityAssessment.objects.get_or_create(
                pcn=pcn,
                assessed_on=day,
                defaults={"assessed_by": staff, **dict(zip(names, levels, strict=True))},
            )
