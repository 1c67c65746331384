"""Entitlements from rates kept as data: Decimal arithmetic for full and part
years, the monthly schedule reconciled with payments, and member splits."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import pytest

from pcn.entitlements import entitlements, member_split, months_of, schedule
from pcn.models import PCN, Payment, Rate, RateKind

pytestmark = pytest.mark.django_db


def rate(year, kind, amount, starts, ends=date(2020, 3, 31)):
    return Rate.objects.create(
        contract_year=year, kind=kind, per_patient_per_year=Decimal(amount), starts=starts, ends=ends
    )


def test_a_full_year(year):
    core = rate(year, RateKind.CORE, "1.50", date(2019, 4, 1))
    [owed] = entitlements(year, [core], 30000)
    assert len(owed.months) == 12 and owed.monthly == Decimal("3750.00") and owed.total == Decimal("45000.00")
    assert (
        "30,000 patients × £1.5 a year ÷ 12 = £3,750.00 a month; × 12 months (Apr 2019 to Mar 2020)"
        in owed.working
    )


def test_a_part_year_is_pro_rated_by_month(year):
    director = rate(year, RateKind.CLINICAL_DIRECTOR, "0.514", date(2019, 7, 1))
    [owed] = entitlements(year, [director], 29741)
    # 29,741 * 0.514 / 12 = 1,273.9078... -> £1,273.91 a month, for July to March
    assert owed.monthly == Decimal("1273.91")
    assert [m.month for m in owed.months] == [7, 8, 9, 10, 11, 12, 1, 2, 3]
    assert owed.total == Decimal("11465.19")
    assert isinstance(owed.total, Decimal)


def test_a_period_starting_mid_month_starts_with_the_next_month(year):
    late = rate(year, RateKind.EXTENDED_HOURS, "1.099", date(2019, 7, 15))
    [owed] = entitlements(year, [late], 12000)
    assert owed.months[0] == date(2019, 8, 1) and len(owed.months) == 8


def test_the_schedule_reconciles_payments_and_shows_shortfalls(year):
    pcn = PCN.objects.create(code="U00001", name="N", ccg_code="03W")
    owed = entitlements(year, [rate(year, RateKind.CORE, "1.50", date(2019, 7, 1))], 24000)
    Payment.objects.create(
        pcn=pcn,
        month=date(2019, 7, 1),
        kind=RateKind.CORE,
        amount=Decimal("3000.00"),
        received_on=date(2019, 7, 31),
    )
    Payment.objects.create(
        pcn=pcn,
        month=date(2019, 8, 1),
        kind=RateKind.CORE,
        amount=Decimal("2500.00"),
        received_on=date(2019, 8, 30),
    )
    rows = {r.month: r for r in schedule(year, owed, list(Payment.objects.all()))}
    assert len(rows) == len(months_of(year)) == 12
    assert rows[date(2019, 4, 1)].expected == 0
    assert rows[date(2019, 7, 1)].expected == Decimal("3000.00") and not rows[date(2019, 7, 1)].shortfall
    assert rows[date(2019, 8, 1)].difference == Decimal("-500.00") and rows[date(2019, 8, 1)].shortfall


@dataclass
class Member:
    ods_code: str
    list_size: int
    share: Decimal | None = None


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        ("equal", {"A": Decimal("33.34"), "B": Decimal("33.33"), "C": Decimal("33.33")}),
        ("list_size", {"A": Decimal("50.00"), "B": Decimal("30.00"), "C": Decimal("20.00")}),
        ("fixed", {"A": Decimal("60.00"), "B": Decimal("20.00"), "C": Decimal("20.00")}),
    ],
)
def test_member_splits_add_up_to_the_penny(method, expected):
    members = [
        Member("A", 5000, Decimal("3")),
        Member("B", 3000, Decimal("1")),
        Member("C", 2000, Decimal("1")),
    ]
    split = member_split(Decimal("100.00"), members, method)
    assert split == expected and sum(split.values()) == Decimal("100.00")


def test_the_entitlements_page(client_as, network, year, staff_user, django_assert_max_num_queries):
    from pcn.services import registration_start

    registration_start(pcn=network, contract_year=year, user=staff_user)
    rate(year, RateKind.CORE, "1.50", date(2019, 7, 1))
    Payment.objects.create(
        pcn=network,
        month=date(2019, 7, 1),
        kind=RateKind.CORE,
        amount=Decimal("1000.00"),
        received_on=date(2019, 7, 31),
    )
    client = client_as("practice")
    with django_assert_max_num_queries(12):
        page = client.get("/pcn/U50165/entitlements/").content.decode()
    # 29,627 x 1.50 / 12 = 3,703.375 -> 3,703.38 a month, 9 months
    assert "29,627 patients × £1.5 a year ÷ 12 = £3,703.38 a month; × 9 months" in page
    assert "£33,330.42" in page and "Shortfall" in page
    assert "Split of core funding" in page


def test_staff_record_a_payment(client_as, network, year):
    response = client_as("staff").post(
        "/pcn/U50165/payments/new/",
        {"month": "2019-07-15", "kind": "core", "amount": "250.00", "received_on": "2019-07-31"},
    )
    assert response.status_code == 302
    assert Payment.objects.get().month == date(2019, 7, 1)
    assert client_as("board").get("/pcn/U50165/payments/new/").status_code == 403
