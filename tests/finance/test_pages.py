"""The finance pages: who reaches them, their query counts whatever the
years and lines, bad amounts refused beside the field with the input kept,
the movement note, the frozen split, and every xlsx read back cell by cell
against the page."""

import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.apps import apps
from openpyxl import load_workbook

from finance import selectors
from finance.models import Basis, Figure, FinanceSettings, Kind, Line, SharedCost, ShopRate
from finance.services import figure_save, shared_cost_publish
from localities.models import ListSize
from tests.pages import error_beside, input_value
from tests.roles import FORBIDDEN, OK, role_table

pytestmark = pytest.mark.django_db


READ_PAGES = [
    "/finance/",
    "/finance/income-streams/",
    "/finance/income-and-expenditure/",
    "/finance/income-streams/?_export=xlsx",
    "/finance/income-and-expenditure/?_export=xlsx",
    "/finance/shared-costs/",
    "/finance/transformation-fund/",
    "/finance/shop-rate/",
]
READERS = {"staff": OK, "board": OK, "practice": FORBIDDEN, "administrator": OK}
EDITORS = {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK}
EDIT_PAGES = [
    "/finance/lines/new/",
    "/finance/settings/",
    "/finance/shared-costs/new/",
    "/finance/shop-rate/new/",
]


@pytest.mark.parametrize(("path", "role", "expected"), role_table([(p, READERS) for p in READ_PAGES]))
def test_staff_and_board_read_finance_practice_users_nothing(world, client_as, path, role, expected):
    world()
    response = client_as(role).get(path)
    assert response.status_code == (expected or 302)


@pytest.mark.parametrize(("path", "role", "expected"), role_table([(p, EDITORS) for p in EDIT_PAGES]))
def test_only_staff_edit(world, client_as, path, role, expected):
    world()
    assert client_as(role).get(path).status_code == (expected or 302)


def test_no_finance_in_the_practice_users_menu(world, client_as):
    assert b"/finance/" not in client_as("practice").get("/").content
    assert b'href="/finance/"' in client_as("board").get("/").content


def test_a_line_of_a_practice_user_is_never_shown(world, client_as):
    world()
    line = Line.objects.first()
    assert client_as("practice").get(f"/finance/lines/{line.pk}/").status_code == FORBIDDEN
    assert client_as("board").get(f"/finance/lines/{line.pk}/").status_code == OK


@pytest.mark.parametrize(
    "path", [*READ_PAGES, "/finance/shared-costs/1/", "/finance/shared-costs/1/?_export=xlsx"]
)
def test_pages_take_a_constant_number_of_queries(world, client_as, django_assert_max_num_queries, path):
    world(years=10, lines=40)
    client = client_as("board")
    path = path.replace("/1/", f"/{SharedCost.objects.get().pk}/")
    with django_assert_max_num_queries(12):
        assert client.get(path).status_code == OK


def _page_rows(content: bytes) -> list[list[str]]:
    import lxml.html

    tree = lxml.html.fromstring(content.decode())
    return [
        [" ".join(c.text_content().split()) for c in tr.xpath("./th|./td")]
        for tr in tree.xpath('//table[@id="summary-table"]//tr')
    ]


def _gbp(value) -> str:
    if value is None:
        return "–"
    sign = "-" if value < 0 else ""
    return f"{sign}£{abs(Decimal(str(value))):,.2f}"


@pytest.mark.parametrize("path", ["/finance/income-streams/", "/finance/income-and-expenditure/"])
def test_the_xlsx_holds_the_pages_numbers_cell_by_cell(world, client_as, path):
    world()
    query = "?first_year=2017&last_year=2018&basis=actual&basis=forecast"
    client = client_as("board")
    page = _page_rows(client.get(path + query).content)
    response = client.get(path + query + "&_export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    # The filters used, above the table.
    assert rows[1][:2] == ["Financial years", "2017/18 to 2018/19"]
    assert rows[2][:2] == ["Basis", "Actual, Forecast"]
    header_at = next(i for i, r in enumerate(rows) if r[0] == "Line")
    assert "2017/18" in rows[header_at] and "2018/19" in rows[header_at]
    assert sheet.freeze_panes == f"B{header_at + 2}"
    body = [r for r in rows[header_at + 1 :] if any(c is not None for c in r)]
    page_body = page[1:]
    assert len(body) == len(page_body)
    header = rows[header_at]
    numeric = {i for i, h in enumerate(header) if h and (h == "Total" or "/" in h)}
    for sheet_row, page_row in zip(body, page_body, strict=True):
        if len(page_row) == 1:  # a block's title
            assert sheet_row[0] == page_row[0]
            continue
        assert len(page_row) == len(header)
        for i, shown in enumerate(page_row):
            if i in numeric:
                assert _gbp(sheet_row[i]) == shown, (header[i], page_row)
            else:
                assert (sheet_row[i] or "") == shown
    # Money in GBP, negatives in brackets, totals bold.
    total = next(i for i, r in enumerate(rows) if r[0] in ("Sub total", "Total"))
    cell = sheet.cell(row=total + 1, column=3 if "streams" in path else 2)
    assert cell.font.b
    assert cell.number_format.startswith('"£"#,##0.00;("£"#,##0.00)')


def test_the_split_xlsx_matches_the_page(world, client_as):
    world()
    shared = SharedCost.objects.get()
    client = client_as("board")
    split = selectors.shared_cost_split(
        user=client_as("staff").get("/").wsgi_request.user, shared_cost=shared
    )
    response = client.get(f"/finance/shared-costs/{shared.pk}/?_export=xlsx")
    rows = [list(r) for r in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)]
    header = rows.index(
        ["Locality", "Patients", "Share", "Contract", "Fed contract fee", "Legal", "Fed management", "Total"]
    )
    for sheet_row, row in zip(rows[header + 1 :], split.rows, strict=False):
        assert sheet_row[0] == row.name and sheet_row[1] == row.patients
        assert [Decimal(str(v)) for v in sheet_row[3:]] == [
            row.contract,
            row.fee,
            row.legal,
            row.management,
            row.total,
        ]
    assert Decimal(str(rows[-1][-1])) == Decimal("33916.42")
    page = client.get(f"/finance/shared-costs/{shared.pk}/").content.decode()
    assert "£33,916.42" in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "cannot be negative"),
        ("12abc", "Enter an amount in pounds"),
        ("1000000000000", "at most £999,999,999.99"),
        ("1.234", "pounds and pence"),
        ("NaN", "Enter an amount in pounds"),
    ],
)
def test_bad_amounts_are_refused_beside_the_field_with_the_input_kept(world, client_as, typed, message):
    world()
    line = Line.objects.get(name="Stream 0")
    response = client_as("staff").post(
        f"/finance/lines/{line.pk}/figures/new/",
        {"year": "2020", "kind": "net", "basis": "forecast", "amount": typed, "comment": "x"},
    )
    assert response.status_code == 400
    assert message in error_beside(response.content, "amount")
    assert input_value(response.content, "amount") == typed
    assert not Figure.objects.filter(line=line, year=2020).exists()


def test_a_figure_is_saved_with_pounds_as_people_type_them(world, client_as):
    world()
    line = Line.objects.get(name="Stream 0")
    response = client_as("staff").post(
        f"/finance/lines/{line.pk}/figures/new/",
        {"year": "2020", "kind": "net", "basis": "tbc", "amount": "£1,250.50"},
    )
    assert response.status_code == 302
    assert Figure.objects.get(line=line, year=2020).amount == Decimal("1250.50")


def test_a_current_year_figure_that_moved_past_the_threshold_needs_a_note(world, client_as, staff_user):
    world()
    FinanceSettings.objects.update_or_create(pk=1, defaults={"movement_threshold": Decimal("500")})
    line = Line.objects.get(name="Stream 0")
    figure = Figure.objects.get(line=line, year=2018, kind=Kind.NET)  # 2018/19: the current year
    # The figures as January's board paper had them (recorded then).
    apps.get_model("finance", "FigureEvent").objects.update(
        pgh_created_at=datetime(2019, 1, 31, 12, tzinfo=UTC)
    )
    post = {"year": "2018", "kind": "net", "basis": "forecast", "amount": "5000", "plan": "900"}
    client = client_as("staff")
    response = client.post(f"/finance/lines/{line.pk}/figures/{figure.pk}/edit/", post)
    assert response.status_code == 400
    assert "moved by £4,000.00" in error_beside(response.content, "movement_note")
    assert (
        client.post(
            f"/finance/lines/{line.pk}/figures/{figure.pk}/edit/", {**post, "movement_note": "New contract"}
        ).status_code
        == 302
    )
    figure.refresh_from_db()
    assert figure.amount == Decimal("5000") and figure.movement_note == "New contract"
    # A small move needs none; an earlier year's needs none.
    figure_save(
        user=staff_user,
        line=line,
        figure=Figure.objects.get(line=line, year=2017, kind=Kind.NET),
        year=2017,
        kind=Kind.NET,
        basis=Basis.ACTUAL,
        amount=Decimal("90000"),
    )


def test_a_published_split_is_frozen_against_new_list_sizes(world, staff_user, practice, client_as):
    world()
    shared = SharedCost.objects.get()
    shared_cost_publish(user=staff_user, shared_cost=shared)
    before = [
        (r.name, r.contract) for r in selectors.shared_cost_split(user=staff_user, shared_cost=shared).rows
    ]
    ListSize.objects.create(practice=practice, as_at=date(2018, 12, 31), registered_patients=99999)
    ListSize.objects.filter(practice=practice, as_at=date(2019, 1, 1)).update(registered_patients=5)
    shared.refresh_from_db()
    after = [
        (r.name, r.contract) for r in selectors.shared_cost_split(user=staff_user, shared_cost=shared).rows
    ]
    assert after == before
    assert sum(c for _, c in after) == Decimal("26040.00")
    assert client_as("staff").post(f"/finance/shared-costs/{shared.pk}/edit/", {}).status_code == 400


def test_a_draft_split_follows_the_list_sizes(world, staff_user, practice):
    world()
    shared = SharedCost.objects.get()
    first = selectors.shared_cost_split(user=staff_user, shared_cost=shared)
    ListSize.objects.filter(practice=practice).update(registered_patients=1)
    second = selectors.shared_cost_split(user=staff_user, shared_cost=shared)
    assert [r.contract for r in first.rows] != [r.contract for r in second.rows]
    assert second.totals["contract"] == Decimal("26040.00")


def test_the_shop_rate_shows_its_working(world, client_as):
    world()
    rate = ShopRate.objects.get()
    assert (rate.cost_per_hour, rate.margin, rate.before_vat, rate.vat, rate.rate) == (
        Decimal("100"),
        Decimal("15.00"),
        Decimal("115.00"),
        Decimal("23.00"),
        Decimal("138.00"),
    )
    page = client_as("board").get("/finance/shop-rate/").content.decode()
    assert "Margin @ 15%" in page and "£138.00" in page
