"""Exports of list pages read back: xlsx with openpyxl, CSV with csv. The
file holds exactly the filtered rows in the table's order, every page of
them, typed as numbers and dates, and never a formula."""

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from fedportal.exports import ExportColumn, csv_lines, write_xlsx
from localities.models import ListSize, Practice, PracticeStatus
from tests.localities.conftest import bulk_practices
from tests.pages import export_body, export_rows, export_sheet

pytestmark = pytest.mark.django_db

PRACTICE_HEADERS = [
    "ODS code",
    "Practice",
    "Locality",
    "Address",
    "Postcode",
    "Status",
    "Open date",
    "Close date",
    "Shareholder",
    "List size",
    "List size as at",
]


def read_xlsx(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return export_sheet(response)


def read_csv(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert export_body(response).decode("utf-8").startswith("\ufeff")
    return export_rows(response, "csv")


@pytest.fixture
def harborough_practices(harborough, practice):
    """Three Harborough practices (C82009 has 21,627 patients) beside Rutland's C82010."""
    kibworth = Practice.objects.create(
        ods_code="C82001",
        name="South Leicestershire Medical Partnership",
        address="Smeeton Road\nKibworth",
        postcode="LE8 0LG",
        locality=harborough,
        open_date=date(1974, 4, 1),
        is_shareholder=True,
    )
    ListSize.objects.create(practice=kibworth, as_at=date(2019, 1, 1), registered_patients=15962)
    ListSize.objects.create(practice=kibworth, as_at=date(2018, 10, 1), registered_patients=15900)
    two_shires = Practice.objects.create(
        ods_code="C82036",
        name="Two Shires Medical Practice",
        locality=harborough,
        status=PracticeStatus.CLOSED,
        open_date=date(1974, 4, 1),
        close_date=date(2019, 3, 31),
    )
    ListSize.objects.create(practice=two_shires, as_at=date(2018, 10, 1), registered_patients=6248)
    return [practice, kibworth, two_shires]


def test_xlsx_export_holds_the_filtered_rows_in_table_order_typed(
    client_as, harborough, harborough_practices, other_practice
):
    # when staff export Harborough's practices sorted by list size, largest first
    response = client_as("staff").get(f"/practices/?locality={harborough.pk}&sort=-list_size&_export=xlsx")

    # then the workbook has the headers, then exactly those practices in that order
    assert response["Content-Disposition"] == 'attachment; filename="practices.xlsx"'
    sheet = read_xlsx(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == PRACTICE_HEADERS
    assert [row[0] for row in rows[1:]] == ["C82009", "C82001", "C82036"]
    assert list(rows[2]) == [
        "C82001",
        "South Leicestershire Medical Partnership",
        "Harborough",
        "Smeeton Road, Kibworth",
        "LE8 0LG",
        "Open",
        datetime(1974, 4, 1),
        None,
        "Yes",
        15962,
        datetime(2019, 1, 1),
    ]
    assert rows[3][5:8] == ("Closed", datetime(1974, 4, 1), datetime(2019, 3, 31))
    # and list sizes are numbers with thousands separators, dates are dates
    list_size, open_date, as_at = sheet["J2"], sheet["G2"], sheet["K2"]
    assert (list_size.data_type, list_size.number_format, list_size.value) == ("n", "#,##0", 21627)
    assert open_date.is_date and open_date.number_format == "dd/mm/yyyy"
    assert as_at.is_date and as_at.value == datetime(2019, 1, 1)
    assert sheet.freeze_panes == "A2"


def test_csv_export_holds_the_same_rows_as_the_xlsx(
    client_as, harborough, harborough_practices, other_practice
):
    response = client_as("staff").get(f"/practices/?locality={harborough.pk}&sort=-list_size&_export=csv")

    rows = read_csv(response)
    assert response["Content-Disposition"] == 'attachment; filename="practices.csv"'
    assert rows[0] == PRACTICE_HEADERS
    assert rows[1:] == [
        ["C82009", "Market Harborough Medical Centre", "Harborough", "", "LE16 9BX", "Open", "1974-04-01", "", "Yes", "21627", "2019-01-01"],
        ["C82001", "South Leicestershire Medical Partnership", "Harborough", "Smeeton Road, Kibworth", "LE8 0LG", "Open", "1974-04-01", "", "Yes", "15962", "2019-01-01"],
        ["C82036", "Two Shires Medical Practice", "Harborough", "", "", "Closed", "1974-04-01", "2019-03-31", "No", "6248", "2018-10-01"],
    ]  # fmt: skip


def test_export_follows_search_and_status_filters(client_as, harborough_practices, other_practice):
    client = client_as("board")

    searched = read_csv(client.get("/practices/?q=le16&_export=csv"))
    closed = read_csv(client.get("/practices/?status=closed&_export=csv"))
    shareholders = read_csv(client.get("/practices/?is_shareholder=true&sort=ods_code&_export=csv"))

    assert [row[0] for row in searched[1:]] == ["C82009"]
    assert [row[0] for row in closed[1:]] == ["C82036"]
    assert [row[0] for row in shareholders[1:]] == ["C82001", "C82009", "C82010"]


def test_export_holds_every_page_not_just_the_first(client_as, harborough):
    # given more practices than one page shows
    bulk_practices(harborough, 120)
    client = client_as("staff")

    # when the list is shown and exported
    page = client.get("/practices/")
    rows = list(read_xlsx(client.get("/practices/?_export=xlsx")).iter_rows(min_row=2, values_only=True))

    # then the page shows 50 of them, and the file all of them (the fixtures' C82009 too)
    assert len(page.context["table"].page.object_list) == 50
    assert len(rows) == 121 == Practice.objects.count()


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil.example/","Click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)"]
)
def test_a_practice_name_that_looks_like_a_formula_stays_text(client_as, harborough, name):
    # given a practice whose name a spreadsheet would run
    Practice.objects.create(ods_code="C82099", name=name, locality=harborough)
    client = client_as("staff")

    # when it is exported
    sheet = read_xlsx(client.get("/practices/?_export=xlsx"))
    rows = read_csv(client.get("/practices/?_export=csv"))

    # then the xlsx cell is a string holding the name exactly, and the CSV escapes it with a quote
    cell = sheet["B2"]
    assert (cell.data_type, cell.value) == ("s", name)
    assert rows[1][1] == "'" + name


def test_locality_export_holds_population_at_the_chosen_date(
    client_as, harborough, rutland, practice, other_practice
):
    response = client_as("staff").get("/localities/?as_at=2019-01-01&_export=xlsx")

    sheet = read_xlsx(response)
    rows = list(sheet.iter_rows(values_only=True))
    assert rows == [
        ("Locality", "Open practices", "Registered patients"),
        ("Harborough", 1, 21627),
        ("Rutland", 1, 15160),
    ]
    assert sheet["C2"].number_format == "#,##0"


def test_locality_export_before_any_figure_counts_nobody(client_as, practice, other_practice):
    rows = read_csv(client_as("staff").get("/localities/?as_at=2018-12-31&_export=csv"))

    assert rows[1:] == [["Harborough", "1", "0"], ["Rutland", "1", "0"]]


def test_write_xlsx_puts_totals_in_bold_at_the_bottom():
    columns = [ExportColumn("Name", "name"), ExportColumn("Amount", "amount", "money")]

    handle = write_xlsx(
        [["a", 1], ["=b", 2]], columns, title="A title longer than thirty-one characters", totals=["Total", 3]
    )

    workbook = load_workbook(handle)
    sheet = workbook.active
    assert sheet.title == "A title longer than thirty-one "
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Name", "Amount"],
        ["a", 1],
        ["=b", 2],
        ["Total", 3],
    ]
    assert sheet["A3"].data_type == "s"
    assert sheet["B4"].font.bold and sheet["B4"].number_format == '"£"#,##0.00'


def test_csv_lines_escape_formulas_and_write_dates_as_iso():
    columns = [ExportColumn("Name", "name"), ExportColumn("When", "when", "date")]

    lines = list(csv_lines([["@x", date(2019, 4, 1)], ["plain", None]], columns))

    assert lines == ["\ufeffName,When\r\n", "'@x,2019-04-01\r\n", "plain,\r\n"]
