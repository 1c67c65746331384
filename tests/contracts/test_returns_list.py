"""The returns list: its filters, its scope, its exports, and a constant
number of queries whatever the number of returns."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import ActivityReturn, ActivityReturnLine, ReturnStatus, Service, SubContract
from localities.models import Practice
from tests.contracts.helpers import Q2, make_return
from tests.pages import export_rows, export_sheet

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("february_2019")]

LIST = "/returns/"


def many_returns(count: int, *, service, locality, user) -> None:
    """``count`` more practices each with a Q3 return awaiting approval, in bulk."""
    start = Practice.objects.count()
    practices = Practice.objects.bulk_create(
        Practice(ods_code=f"Y{n:05d}", name=f"Practice {n:03d}", locality=locality)
        for n in range(start, start + count)
    )
    subcontracts = SubContract.objects.bulk_create(
        SubContract(practice=p, service=service, start_date=date(2018, 4, 1)) for p in practices
    )
    returns = ActivityReturn.objects.bulk_create(
        ActivityReturn(subcontract=s, year=2018, quarter=3, submitted_by=user) for s in subcontracts
    )
    ActivityReturnLine.objects.bulk_create(
        ActivityReturnLine(
            activity_return=r,
            period_start=date(2018, 10, 1),
            period_end=date(2018, 12, 31),
            unit_price=Decimal("25.00"),
            units=n + 1,
        )
        for n, r in enumerate(returns)
    )


@pytest.fixture
def world(practice_user, staff_user, subcontract, other_subcontract):
    """The practice's Q2 (approved) and Q3 (waiting) returns; another practice's Q3 (approved)."""
    return {
        "own_q2": make_return(subcontract, practice_user, quarter=Q2, units=(30,), approved_by=staff_user),
        "own_q3": make_return(subcontract, practice_user, units=(40,)),
        "other_q3": make_return(other_subcontract, staff_user, units=(12,), approved_by=staff_user),
    }


def test_the_list_shows_each_return_with_its_claim_value(client_for, staff_user, world):
    # given three returns
    # when staff open the list
    page = client_for(staff_user).get(LIST).content.decode()
    # then each is there with practice (linked), ODS code, quarter, units, value and status
    assert "3 results" in page
    assert f'href="{world["own_q3"].get_absolute_url()}"' in page
    assert "C82009" in page and "C82010" in page
    assert "Q3 2018/19" in page and "Q2 2018/19" in page
    assert "£1,000.00" in page and "£750.00" in page and "£300.00" in page
    assert "Awaiting approval" in page and "Approved" in page


def test_a_practice_user_sees_only_their_own_returns_on_screen_and_in_exports(
    client_for, practice_user, world
):
    client = client_for(practice_user)
    # on screen
    page = client.get(LIST).content.decode()
    assert "2 results" in page
    assert "Oakham" not in page and "C82010" not in page
    # in xlsx
    rows = export_rows(client.get(LIST, {"_export": "xlsx"}), "xlsx")
    assert len(rows) == 3
    assert {row[2] for row in rows[1:]} == {"C82009"}
    # in CSV
    rows = export_rows(client.get(LIST, {"_export": "csv"}), "csv")
    assert len(rows) == 3
    assert {row[2] for row in rows[1:]} == {"C82009"}
    assert "C82010" not in str(rows)


def test_the_practice_user_is_offered_their_subcontracts_to_make_a_return(client_for, practice_user, world):
    page = client_for(practice_user).get(LIST).content.decode()
    assert reverse("contracts:return-create", args=[world["own_q3"].subcontract_id]) in page
    assert reverse("contracts:return-create", args=[world["other_q3"].subcontract_id]) not in page


def test_the_export_has_the_claim_value_as_money(client_for, staff_user, world):
    # when staff export the Q3 returns
    response = client_for(staff_user).get(LIST, {"_export": "xlsx", "quarter": "2018-Q3", "sort": "practice"})
    sheet = export_sheet(response)
    header = [cell.value for cell in sheet[1]]
    # then the claim value is a number formatted as pounds, and the quarter reads Q3 2018/19
    value_column = header.index("Claim value") + 1
    quarter_column = header.index("Quarter") + 1
    assert sheet.max_row == 3
    assert [sheet.cell(row, value_column).value for row in (2, 3)] == [1000, 300]
    assert sheet.cell(2, value_column).number_format == '"£"#,##0.00'
    assert sheet.cell(2, quarter_column).value == "Q3 2018/19"
    assert response["Content-Disposition"].endswith('filename="activity-returns.xlsx"')


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({}, 3),
        ({"quarter": "2018-Q3"}, 2),
        ({"quarter": "2018-Q2"}, 1),
        ({"status": "submitted"}, 1),
        ({"status": "approved"}, 2),
        ({"q": "oakham"}, 1),
        ({"q": "c820"}, 3),
        ({"q": "C82009"}, 2),
        ({"q": "nowhere"}, 0),
    ],
)
def test_each_filter_narrows_the_list(client_for, staff_user, world, query, count):
    response = client_for(staff_user).get(LIST, query)
    assert response.context["table"].paginator.count == count


def test_the_service_and_locality_filters(client_for, staff_user, world, h_pylori, harborough, rutland):
    client = client_for(staff_user)
    assert client.get(LIST, {"service": h_pylori.pk}).context["table"].paginator.count == 3
    assert client.get(LIST, {"locality": harborough.pk}).context["table"].paginator.count == 2
    assert client.get(LIST, {"locality": rutland.pk}).context["table"].paginator.count == 1
    other = Service.objects.create(
        name="DPO service", slug="dpo", head_contract=h_pylori.head_contract, unit="month"
    )
    assert client.get(LIST, {"service": other.pk}).context["table"].paginator.count == 0


def test_an_amendment_and_the_return_it_replaced_are_marked(
    client_for, staff_user, practice_user, subcontract
):
    original = make_return(subcontract, practice_user, approved_by=staff_user)
    make_return(subcontract, practice_user, units=(38,), notes="fix", amends=original, approved_by=staff_user)
    page = client_for(staff_user).get(LIST).content.decode()
    assert "Replaced by an amendment" in page
    assert ">Amendment<" in page


@pytest.mark.parametrize("role", ["staff", "practice"])
@pytest.mark.parametrize("export", [None, "xlsx", "csv"])
def test_the_list_runs_the_same_queries_for_3_returns_as_for_30(
    client_for,
    staff_user,
    practice_user,
    practice,
    h_pylori,
    harborough,
    django_assert_num_queries,
    role,
    export,
):
    # given 3 returns the user can see, then 30
    user = staff_user if role == "staff" else practice_user
    client = client_for(user)
    query = {"_export": export} if export else {}
    # Warm up: sessions, content types and the like are read once per process.
    client.get(LIST, query)
    expected = {
        # Session read, user, the quarters of the quarter filter, the count,
        # services, localities, the page
        # of rows (+ the practice user's sub-contracts to make a return from),
        # and the session's save (savepoint, update, release).
        ("staff", None): 10,
        ("practice", None): 11,
        # Session, user, quarters, the rows from one cursor, session save.
        ("staff", "xlsx"): 7,
        ("practice", "xlsx"): 7,
        ("staff", "csv"): 7,
        ("practice", "csv"): 7,
    }[(role, export)]

    def add(count):
        if role == "staff":
            many_returns(count, service=h_pylori, locality=harborough, user=staff_user)
            return
        subcontract, _ = SubContract.objects.get_or_create(
            practice=practice, service=h_pylori, defaults={"start_date": date(2018, 4, 1)}
        )
        for n in range(count):
            # Rejected returns of earlier quarters: all visible to the practice.
            made = ActivityReturn.objects.create(
                subcontract=subcontract, year=2018, quarter=1 + n % 3, submitted_by=user
            )
            ActivityReturnLine.objects.create(
                activity_return=made,
                period_start=date(2018, 4, 1),
                period_end=date(2018, 6, 30),
                unit_price=Decimal("25.00"),
                units=n,
            )
            ActivityReturn.objects.filter(pk=made.pk).update(status=ReturnStatus.REJECTED)

    def served(response) -> int:
        """The returns the page counted, or the rows the file holds below its header."""
        if export:
            return len(export_rows(response, export)) - 1
        return response.context["table"].paginator.count

    add(3)
    with django_assert_num_queries(expected):
        response = client.get(LIST, query)
        first = served(response)
    assert first == 3
    add(27)
    with django_assert_num_queries(expected):
        response = client.get(LIST, query)
        then = served(response)
    assert then == first + 27
