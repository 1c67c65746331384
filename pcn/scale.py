"""The PCN part of ``manage.py seed_scale``: about one network per five or
six practices (1,300 at the default 7,000), memberships from 1 July 2019,
some practices moving network on 1 April 2020 (their old membership ends
the day before), the 2019/20 contract year and a registration per network
in a spread of states, each network's 2019 workforce plan (a clinical
pharmacist and a social prescriber) with claims for its first months, and
two dated maturity assessments."""

from datetime import date, timedelta
from decimal import Decimal

from fedportal.scale import step, wipe_app
from localities.models import Practice
from pcn.demo import MATURITY_DATES, RATES, REIMBURSEMENTS
from pcn.models import (
    MATURITY_DOMAINS,
    PCN,
    ContractYear,
    MaturityAssessment,
    Membership,
    Rate,
    Registration,
    RegistrationStatus,
    ReimbursementClaim,
    RoleReimbursement,
    WorkforcePost,
)

PRACTICES_PER_PCN = 5.4
MOVE_SHARE = 0.03
LIVE_FROM = date(2019, 7, 1)
MOVED_ON = date(2020, 4, 1)
BATCH_SIZE = 5000
STATES = [
    RegistrationStatus.APPROVED,
    RegistrationStatus.APPROVED,
    RegistrationStatus.APPROVED_WITH_EXCEPTION,
    RegistrationStatus.SUBMITTED,
    RegistrationStatus.RETURNED,
    RegistrationStatus.DRAFT,
]


def seed(*, practices: int, rng, stdout, context: dict) -> None:
    with step(stdout, "wipe pcn tables"):
        wipe_app("pcn")
    practice_rows = list(Practice.objects.order_by("pk").values_list("pk", "commissioner_code"))
    count = max(1, round(len(practice_rows) / PRACTICES_PER_PCN))
    with step(stdout, f"{count:,} networks"):
        year = ContractYear.objects.create(
            start=date(2019, 4, 1),
            end=date(2020, 3, 31),
            reference_date=date(2019, 1, 1),
            live_from=LIVE_FROM,
            submission_due=date(2019, 5, 15),
            approval_due=date(2019, 5, 31),
        )
        Rate.objects.bulk_create(
            Rate(
                contract_year=year,
                kind=kind,
                per_patient_per_year=amount,
                starts=LIVE_FROM,
                ends=year.end,
                note=note,
            )
            for kind, amount, note in RATES
        )
        pcns = [
            PCN(
                code=f"U{10000 + index * 7 % 90000:05d}",
                name=f"Synthetic Network {index + 1} PCN",
                ccg_code=(
                    practice_rows[min(int(index * PRACTICES_PER_PCN), len(practice_rows) - 1)][1] or "00X"
                )[:5],
                open_date=LIVE_FROM,
                clinical_director_name=f"Dr Director {index + 1}",
                payee_other=f"Synthetic Network {index + 1} PCN",
                bank_account_name=f"Synthetic Network {index + 1}",
                bank_sort_code=f"{index % 90 + 10:02d}-{index % 77 + 10:02d}-{index % 53 + 10:02d}",
                bank_account_number=f"{10000000 + index * 7919 % 89999999:08d}",
            )
            for index in range(count)
        ]
        PCN.objects.bulk_create(pcns, batch_size=BATCH_SIZE)
    with step(stdout, f"{len(practice_rows):,} memberships and moves"):
        memberships, moved = [], 0
        for index, (practice_id, commissioner) in enumerate(practice_rows):
            pcn = pcns[min(int(index / PRACTICES_PER_PCN), count - 1)]
            if rng.random() < MOVE_SHARE and count > 1:
                other = pcns[(pcns.index(pcn) + 1) % count]
                memberships.append(
                    Membership(
                        practice_id=practice_id,
                        pcn=pcn,
                        start_date=LIVE_FROM,
                        end_date=MOVED_ON - timedelta(days=1),
                    )
                )
                memberships.append(Membership(practice_id=practice_id, pcn=other, start_date=MOVED_ON))
                moved += 1
            else:
                memberships.append(
                    Membership(
                        practice_id=practice_id,
                        pcn=pcn,
                        start_date=LIVE_FROM,
                        other_ccg=bool(commissioner) and commissioner != pcn.ccg_code,
                        practice_ccg_code=commissioner or "",
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=BATCH_SIZE)
    with step(stdout, "registrations"):
        Registration.objects.bulk_create(
            (
                Registration(pcn=pcn, contract_year=year, status=STATES[i % len(STATES)])
                for i, pcn in enumerate(pcns)
            ),
            batch_size=BATCH_SIZE,
        )
    with step(stdout, "workforce plans, claims and maturity assessments"):
        _workforce_and_maturity(pcns, year, rng, context["users"]["staff"])
    stdout.write(f"  networks: {count:,}, memberships: {len(memberships):,} ({moved:,} practices moved)")


def _workforce_and_maturity(pcns: list[PCN], year: ContractYear, rng, staff) -> None:
    RoleReimbursement.objects.bulk_create(
        RoleReimbursement(contract_year=year, role=role, percent=Decimal(percent), annual_cap=Decimal(cap))
        for role, percent, cap in REIMBURSEMENTS
    )
    posts = WorkforcePost.objects.bulk_create(
        (
            WorkforcePost(
                pcn=pcn,
                contract_year=year,
                role=role,
                title=f"{role.label} ({pcn.name})",
                wte=Decimal("1"),
                starts=LIVE_FROM,
                created_by=staff,
            )
            for pcn in pcns
            for role, _, _ in REIMBURSEMENTS
        ),
        batch_size=BATCH_SIZE,
    )
    # July to September at £2,800 a month: far below either cap.
    ReimbursementClaim.objects.bulk_create(
        (
            ReimbursementClaim(
                post=post,
                month=date(2019, month, 1),
                costs=Decimal("2800.00"),
                amount=Decimal("2800.00") * (Decimal("0.7") if index % 2 == 0 else Decimal("1")),
                claimed_by=staff,
            )
            for index, post in enumerate(posts)
            for month in (7, 8, 9)
        ),
        batch_size=BATCH_SIZE,
    )
    names = [name for name, _ in MATURITY_DOMAINS]
    MaturityAssessment.objects.bulk_create(
        (
            MaturityAssessment(
                pcn=pcn,
                assessed_on=day,
                assessed_by=staff,
                **{name: min(3, rng.randrange(2) + step_up) for name in names},
            )
            for pcn in pcns
            for step_up, day in enumerate(MATURITY_DATES)
        ),
        batch_size=BATCH_SIZE,
    )
