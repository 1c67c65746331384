"""The payment schedule of a service for a quarter: only the approved returns
in force (an approved amendment replaces its original), one row per return
line, and totals that are values equal to the Decimal sums, read back from
the xlsx."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from contracts.models import HeadContract, Service, SubContract, Tariff
from contracts.payment_schedule import (
    COLUMNS,
    HEADER_ROW,
    payment_schedule_rows,
    payment_schedule_totals,
    payment_schedule_xlsx,
)
from contracts.services.returns import return_decide
from localities.models import Practice
from tests.contracts.helpers import Q2, Q3, make_return

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("february_2019")]

HEADERS = ["Practice", "ODS code", "Period from", "Period to", "Units", "Tariff", "Amount", "Return"]


def read_schedule(handle_or_bytes):
    content = handle_or_bytes if isinstance(handle_or_bytes, bytes) else handle_or_bytes.read()
    sheet = load_workbook(io.BytesIO(content)).active
    cells = [list(row) for row in sheet.iter_rows(values_only=True)]
    header_index = HEADER_ROW - 1
    return {
        "sheet": sheet,
        "preamble": cells[:header_index],
        "header": cells[header_index],
        "rows": cells[header_index + 1 : -1],
        "totals": cells[-1],
    }


@pytest.fixture
def third_practice(harborough):
    return Practice.objects.create(ods_code="C82001", name="Alpha Surgery", locality=harborough)


@pytest.fixture
def returns(h_pylori, subcontract, other_subcontract, third_practice, practice_user, staff_user, ccg):
    """Q3 2018/19 with a tariff change on 15 November: Market Harborough
    approved and then amended (approved), Oakham approved, Alpha awaiting
    approval; plus returns that must stay out: Q2, another service, rejected."""
    Tariff.objects.create(service=h_pylori, effective_from=date(2018, 11, 15), unit_price=Decimal("27.50"))
    original = make_return(subcontract, practice_user, units=(20, 11), approved_by=staff_user)
    amendment = make_return(
        subcontract,
        practice_user,
        units=(20, 9),
        notes="Two were repeats",
        amends=original,
        approved_by=staff_user,
    )
    oakham = make_return(other_subcontract, staff_user, units=(3, 4), approved_by=staff_user)
    alpha = SubContract.objects.create(practice=third_practice, service=h_pylori, start_date=date(2018, 4, 1))
    make_return(alpha, staff_user, units=(100, 100))
    make_return(subcontract, practice_user, quarter=Q2, units=(50,), approved_by=staff_user)
    dpo = Service.objects.create(
        name="DPO service",
        slug="dpo",
        head_contract=HeadContract.objects.create(title="DPO", commissioner=ccg, start_date=date(2018, 4, 1)),
        unit="month",
    )
    Tariff.objects.create(service=dpo, effective_from=date(2018, 4, 1), unit_price=Decimal("100.00"))
    dpo_sub = SubContract.objects.create(practice=third_practice, service=dpo, start_date=date(2018, 4, 1))
    make_return(dpo_sub, staff_user, units=(3,), approved_by=staff_user)
    rejected = make_return(other_subcontract, staff_user, quarter=Q2, units=(7,))
    return_decide(return_id=rejected.pk, approve=False, reason="wrong", user=staff_user)
    return {"original": original, "amendment": amendment, "oakham": oakham}


def test_rows_are_the_lines_of_approved_returns_in_force_ordered_by_practice(h_pylori, returns):
    # when the Q3 schedule is built
    rows = payment_schedule_rows(h_pylori, Q3)
    # then Market Harborough is paid on its amendment, Oakham on its return,
    # each with one row per tariff period; Alpha (waiting), Q2, DPO and rejected are out
    assert [(r.practice, r.ods_code, r.period_start, r.period_end, r.units, r.unit_price, r.amount) for r in rows] == [
        ("Market Harborough Medical Centre", "C82009", date(2018, 10, 1), date(2018, 11, 14), 20, Decimal("25.00"), Decimal("500.00")),
        ("Market Harborough Medical Centre", "C82009", date(2018, 11, 15), date(2018, 12, 31), 9, Decimal("27.50"), Decimal("247.50")),
        ("Oakham Medical Practice", "C82010", date(2018, 10, 1), date(2018, 11, 14), 3, Decimal("25.00"), Decimal("75.00")),
        ("Oakham Medical Practice", "C82010", date(2018, 11, 15), date(2018, 12, 31), 4, Decimal("27.50"), Decimal("110.00")),
    ]  # fmt: skip
    assert {r.return_id for r in rows} == {returns["amendment"].pk, returns["oakham"].pk}
    assert payment_schedule_totals(rows) == (36, Decimal("932.50"))


def test_the_xlsx_reads_back_with_headers_rows_and_totals_equal_to_the_sums(h_pylori, returns):
    # when the workbook is written and read back
    rows = payment_schedule_rows(h_pylori, Q3)
    schedule = read_schedule(payment_schedule_xlsx(h_pylori, Q3, rows))
    # then it names the service, quarter and paying organisation
    assert schedule["preamble"][0][0] == "H. pylori breath test payment schedule Q3 2018/19"
    assert schedule["preamble"][1][:2] == ["Paying organisation", "LLR Provider Company Ltd"]
    assert schedule["header"][: len(HEADERS)] == HEADERS
    # one row per return line, with the figures as numbers
    assert len(schedule["rows"]) == len(rows) == 4
    assert [row[0] for row in schedule["rows"]] == [r.practice for r in rows]
    assert [row[4] for row in schedule["rows"]] == [20, 9, 3, 4]
    assert [Decimal(str(row[6])) for row in schedule["rows"]] == [r.amount for r in rows]
    assert schedule["rows"][0][2] == datetime(2018, 10, 1)
    # totals are values, equal to the sum of the rows and to the Decimal total
    totals = schedule["totals"]
    assert totals[0] == "Total"
    assert totals[4] == sum(row[4] for row in schedule["rows"]) == 36
    assert (
        Decimal(str(totals[6])) == sum(Decimal(str(row[6])) for row in schedule["rows"]) == Decimal("932.50")
    )
    assert not isinstance(totals[6], str)  # a value, not a formula
    # money is formatted as pounds
    sheet = schedule["sheet"]
    money = COLUMNS.index(next(c for c in COLUMNS if c.header == "Amount")) + 1
    assert sheet.cell(HEADER_ROW + 1, money).number_format == '"£"#,##0.00'
    assert sheet.cell(HEADER_ROW + len(rows) + 1, money).number_format == '"£"#,##0.00'


def test_an_amendment_awaiting_approval_leaves_the_original_in_force(
    h_pylori, subcontract, practice_user, staff_user
):
    original = make_return(subcontract, practice_user, units=(40,), approved_by=staff_user)
    make_return(subcontract, practice_user, units=(38,), notes="fix", amends=original)
    rows = payment_schedule_rows(h_pylori, Q3)
    assert [(r.return_id, r.units) for r in rows] == [(original.pk, 40)]
    assert payment_schedule_totals(rows) == (40, Decimal("1000.00"))


def test_an_empty_schedule_has_zero_totals(h_pylori):
    schedule = read_schedule(payment_schedule_xlsx(h_pylori, Q3))
    assert schedule["rows"] == []
    assert schedule["totals"][4] == 0
    assert schedule["totals"][6] == 0


def test_a_practice_name_that_looks_like_a_formula_stays_text(h_pylori, staff_user, harborough):
    odd = Practice.objects.create(ods_code="C82002", name="=HYPERLINK(1)", locality=harborough)
    sub = SubContract.objects.create(practice=odd, service=h_pylori, start_date=date(2018, 4, 1))
    make_return(sub, staff_user, units=(1,), approved_by=staff_user)
    sheet = read_schedule(payment_schedule_xlsx(h_pylori, Q3))["sheet"]
    cell = sheet.cell(HEADER_ROW + 1, 1)
    assert cell.value == "=HYPERLINK(1)"
    assert cell.data_type == "s"


# The pages


def schedule_url(slug="h-pylori", quarter="2018-Q3"):
    return reverse("contracts:payment-schedule", args=[slug, quarter])


@pytest.mark.parametrize("role", ["staff", "board"])
def test_staff_and_board_download_the_schedule(client_as, h_pylori, returns, role):
    # when staff (or the board, read-only) download the Q3 schedule
    response = client_as(role).get(schedule_url())
    # then it is the xlsx named for the service and quarter, with the figures in force
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="h-pylori-payment-schedule-2018-Q3.xlsx"'
    schedule = read_schedule(b"".join(response.streaming_content))
    assert Decimal(str(schedule["totals"][6])) == Decimal("932.50")


def test_practice_users_cannot_download_schedules(client_for, practice_user, h_pylori, returns):
    client = client_for(practice_user)
    assert client.get(schedule_url()).status_code == 403
    assert client.get(reverse("contracts:payment-schedule-index")).status_code == 403


@pytest.mark.parametrize(
    ("slug", "quarter"),
    [
        ("nothing", "2018-Q3"),
        ("h-pylori", "2018-Q5"),
        ("h-pylori", "Q3"),
        ("h-pylori", "0000-Q1"),
        ("h-pylori", "9999-Q4"),
    ],
)
def test_an_unknown_service_or_quarter_is_404(client_for, staff_user, h_pylori, slug, quarter):
    url = f"/services/{slug}/payment-schedule/{quarter}/"
    assert client_for(staff_user).get(url).status_code == 404


def test_the_index_counts_approved_and_awaiting_returns_per_quarter(
    client_for, staff_user, h_pylori, returns
):
    # when staff open the payment schedules page
    response = client_for(staff_user).get(reverse("contracts:payment-schedule-index"))
    page = response.content.decode()
    # then Q3 has 2 approved returns in force worth £932.50, 1 awaiting approval, and a download link
    row = next(r for r in response.context["rows"] if r["service"] == h_pylori)
    q3 = next(c for c in row["cells"] if c["quarter"] == Q3)
    q2 = next(c for c in row["cells"] if c["quarter"] == Q2)
    assert (q3["approved"], q3["awaiting"], q3["value"]) == (2, 1, Decimal("932.50"))
    assert (q2["approved"], q2["awaiting"], q2["value"]) == (1, 0, Decimal("1250.00"))
    assert schedule_url() in page
    assert "£932.50" in page
    assert "paid by LLR Provider Company Ltd" in page


def test_the_last_quarter_the_portal_knows_is_an_empty_schedule_not_an_error(
    client_for, staff_user, h_pylori
):
    # Q4 2999/00 ends in March 3000: its end date once came from a next quarter
    # that cannot exist, and the download gave a 500.
    response = client_for(staff_user).get(schedule_url(quarter="2999-Q4"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('payment-schedule-2999-Q4.xlsx"')
