"""Networks for the PCN tests: the 2019/20 contract year, a network with the
practice user's practice in it, and another the practice user must never see."""

import json
from datetime import date

import pytest

from localities.models import ListSize, Practice
from pcn.models import PCN, ContractYear, Membership

SQUARE = {
    "type": "Polygon",
    "coordinates": [[[-1.0, 52.5], [-0.9, 52.5], [-0.9, 52.6], [-1.0, 52.6], [-1.0, 52.5]]],
}


def geojson(geometry=None) -> bytes:
    return json.dumps({"type": "Feature", "properties": {}, "geometry": geometry or SQUARE}).encode()


@pytest.fixture
def year(db):
    return ContractYear.objects.create(
        start=date(2019, 4, 1),
        end=date(2020, 3, 31),
        reference_date=date(2019, 1, 1),
        live_from=date(2019, 7, 1),
        submission_due=date(2019, 5, 15),
        approval_due=date(2019, 5, 31),
    )


@pytest.fixture
def neighbour(harborough):
    """A second practice of the practice user's network."""
    practice = Practice.objects.create(
        ods_code="C82022", name="The Billesdon Surgery", locality=harborough, commissioner_code="03W"
    )
    ListSize.objects.create(practice=practice, as_at=date(2019, 1, 1), registered_patients=8000)
    return practice


@pytest.fixture
def network(practice, neighbour):
    """Market Harborough & Bosworth, ready to submit but for the signatures."""
    pcn = PCN.objects.create(
        code="U50165",
        name="Market Harborough & Bosworth PCN",
        ccg_code="03W",
        ccg_name="NHS East Leicestershire and Rutland CCG",
        open_date=date(2019, 7, 1),
        clinical_director_name="Dr Anna Hill",
        payee_practice=practice,
        bank_account_name="MH&B PCN",
        bank_sort_code="30-96-26",
        bank_account_number="12345678",
        boundary=SQUARE,
    )
    Practice.objects.filter(pk=practice.pk).update(commissioner_code="03W")
    for member in (practice, neighbour):
        Membership.objects.create(pcn=pcn, practice=member, start_date=date(2019, 7, 1))
    return pcn


@pytest.fixture
def other_network(other_practice):
    pcn = PCN.objects.create(
        code="U67590",
        name="Rutland Health PCN",
        ccg_code="03W",
        open_date=date(2019, 7, 1),
        bank_account_name="Rutland Health PCN",
        bank_sort_code="40-11-22",
        bank_account_number="87654321",
    )
    Membership.objects.create(pcn=pcn, practice=other_practice, start_date=date(2019, 7, 1))
    return pcn


@pytest.fixture
def reimbursements(year):
    """2019/20's additional roles reimbursement: 70% of a clinical pharmacist's
    costs up to £37,810 a year, 100% of a social prescriber's up to £34,113."""
    from decimal import Decimal

    from pcn.models import RoleReimbursement, StaffRole

    return [
        RoleReimbursement.objects.create(
            contract_year=year,
            role=StaffRole.CLINICAL_PHARMACIST,
            percent=Decimal("70"),
            annual_cap=Decimal("37810"),
        ),
        RoleReimbursement.objects.create(
            contract_year=year,
            role=StaffRole.SOCIAL_PRESCRIBER,
            percent=Decimal("100"),
            annual_cap=Decimal("34113"),
        ),
    ]
