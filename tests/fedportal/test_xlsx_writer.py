"""The xlsx writer read back with openpyxl: the xlsx of a list holds, cell
for cell, what the CSV of the same list holds (text that looks like a
formula stays text, money and dates are typed), the text XlsxWriter's fast
mode would mangle comes back unchanged, and memory stays flat in the rows."""

import csv
import io
import re
import tempfile
import tracemalloc
import zipfile
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.db.models import IntegerChoices
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook

from contracts.views.held import ContractListView
from fedportal.exports import FORMULA_PREFIXES, ExportColumn, csv_lines, sheet_title, write_xlsx
from localities.models import Practice
from localities.views import PracticeListView
from tests.contracts.helpers import make_contract
from tests.pages import export_body, export_rows, export_sheet

FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/","Click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]
# Text an xlsx writer must take care over: shaped like a rich string (which
# XlsxWriter's constant_memory mode copies into the file as raw XML), with a
# carriage return (which it writes _x000D_), with XML's special characters, or
# that a spreadsheet would take for a link or a number.
AWKWARD = [
    "<r><t>bold?</t></r>",
    "<r><t>x</t></r></is><f>1+1</f><is><r><t>y</t></r>",
    "line one\r\nline two",
    "  padded  ",
    "Fish & Chips <Ltd>",
    "http://example.org/",
    "0123",
]
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def as_csv(value, kind: str) -> str:
    """A cell openpyxl read from the xlsx, written as the CSV writes its value:
    empty as "", dates in ISO form, formula-like text behind a quote."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if kind == "date" else value.isoformat()
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return str(value)


def read_both(xlsx_bytes: bytes, csv_text: str, kinds: list[str]) -> tuple[list, list]:
    """The rows of the xlsx, each cell written the CSV's way, beside the rows
    of the CSV. A number is compared as a number (a Decimal's places are in
    the CSV, its number format in the xlsx)."""
    sheet = load_workbook(io.BytesIO(xlsx_bytes)).active
    xlsx_rows = [list(row) for row in sheet.iter_rows(max_col=len(kinds), values_only=True)]
    csv_rows = list(csv.reader(io.StringIO(csv_text.removeprefix("\ufeff"), newline="")))
    assert len(xlsx_rows) == len(csv_rows)
    left, right = [], []
    for xlsx_row, csv_row in zip(xlsx_rows, csv_rows, strict=True):
        left.append([])
        right.append([])
        for value, text, kind in zip(xlsx_row, csv_row, kinds, strict=True):
            if isinstance(value, int | float) and not isinstance(value, bool):
                left[-1].append(Decimal(repr(value)))
                right[-1].append(Decimal(text) if NUMBER.fullmatch(text) else text)
            else:
                left[-1].append(as_csv(value, kind))
                right[-1].append(text)
    return left, right


COLUMNS = [
    ExportColumn("Name", "name"),
    ExportColumn("Amount", "amount", "money"),
    ExportColumn("Units", "units", "int"),
    ExportColumn("Rate", "rate"),
    ExportColumn("From", "start", "date"),
    ExportColumn("Submitted", "submitted", "datetime"),
    ExportColumn("Note", "note"),
]
KINDS = [column.kind for column in COLUMNS]


def sample_rows():
    names = FORMULA_LIKE + AWKWARD + ["Market Harborough Medical Centre", ""]
    for index, name in enumerate(names):
        yield [
            name,
            Decimal("1234.50") if index % 2 else Decimal("-0.07"),
            index * 1000,
            Decimal("20.00"),
            date(2019, 4, 1) if index % 3 else date(1899, 12, 1),
            datetime(2019, 2, 15, 9, 30, index) if index % 4 else None,
            FORMULA_LIKE[index % len(FORMULA_LIKE)],
        ]


def test_the_xlsx_of_rows_reads_back_as_the_csv_of_the_same_rows_cell_for_cell():
    # when the same rows are written both ways
    xlsx = write_xlsx(sample_rows(), COLUMNS, title="Rows").read()
    text = "".join(csv_lines(sample_rows(), COLUMNS))

    # then every cell, header included, holds the same thing
    xlsx_rows, csv_rows = read_both(xlsx, text, KINDS)
    assert len(csv_rows) == len(FORMULA_LIKE) + len(AWKWARD) + 3
    assert xlsx_rows == csv_rows


def test_cells_are_typed_and_text_is_never_a_formula():
    handle = write_xlsx(sample_rows(), COLUMNS, title="Rows")
    content = handle.read()
    sheet = load_workbook(io.BytesIO(content)).active

    # text stays text, whatever it starts with, even shaped like XlsxWriter's markup
    for row in sheet.iter_rows(min_row=2):
        assert row[0].data_type == "s" or row[0].value is None
        assert row[6].data_type == "s"
    assert sheet["A2"].value == FORMULA_LIKE[0]
    assert sheet["A8"].value == "<r><t>bold?</t></r>"
    assert sheet["A9"].value == "<r><t>x</t></r></is><f>1+1</f><is><r><t>y</t></r>"
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml
    # money is a number in pounds, whole numbers have separators, dates are dates
    assert (sheet["B2"].value, sheet["B2"].number_format) == (-0.07, '"£"#,##0.00')
    assert (sheet["C3"].data_type, sheet["C3"].number_format) == ("n", "#,##0")
    assert sheet["D2"].value == 20 and sheet["D2"].number_format == "General"
    assert sheet["E3"].is_date and sheet["E3"].number_format == "dd/mm/yyyy"
    assert sheet["F3"].value == datetime(2019, 2, 15, 9, 30, 1)
    assert sheet["F3"].number_format == "dd/mm/yyyy hh:mm"
    # a date before 1900, which Excel cannot hold, is its ISO text
    assert sheet["E2"].value == "1899-12-01"
    # the header is bold and frozen
    assert sheet["A1"].font.bold and sheet.freeze_panes == "A2"


def test_control_characters_are_escaped_as_excel_does():
    # XML cannot hold them: Excel writes them _xHHHH_, and text that already
    # looks like that escape gets its underscore escaped
    handle = write_xlsx([["bell\x07 and _x0041_"]], [ExportColumn("Name", "name")], title="Rows")

    value = load_workbook(handle).active["A2"].value

    assert value == "bell_x0007_ and _x005F_x0041_"


def test_values_of_other_types_are_written_as_their_base_type_or_text():
    class Level(IntegerChoices):
        HIGH = 3

    aware = datetime(2019, 7, 1, 9, 0, tzinfo=ZoneInfo("UTC"))
    columns = [ExportColumn(str(n), "x") for n in range(5)]
    handle = write_xlsx([[Level.HIGH, gettext_lazy("Yes"), aware, True, 2.5]], columns, title="Rows")

    row = [cell.value for cell in load_workbook(handle).active[2]]

    # an aware datetime is written in the portal's local time (BST in July)
    assert row == [3, "Yes", datetime(2019, 7, 1, 10, 0), True, 2.5]


def test_text_longer_than_excel_holds_is_cut_to_its_limit():
    handle = write_xlsx([["x" * 40000]], [ExportColumn("Name", "name")], title="Rows")

    assert len(load_workbook(handle).active["A2"].value) == 32767


@pytest.mark.parametrize(
    ("title", "expected"),
    [("'Quoted'", "Quoted"), ("Q3 2018/19", "Q3 2018-19"), ("", "Sheet"), ("x" * 40, "x" * 31)],
)
def test_sheet_titles_are_ones_excel_accepts(title, expected):
    assert sheet_title(title) == expected
    assert load_workbook(write_xlsx([], [ExportColumn("A", "a")], title=title)).active.title == expected


def test_memory_stays_flat_in_the_number_of_rows():
    columns = COLUMNS[:6]

    def peak(count: int) -> int:
        rows = (
            [f"Practice {n}", Decimal("12.50"), n, Decimal("20"), date(2019, 4, 1), None]
            for n in range(count)
        )
        tracemalloc.start()
        write_xlsx(rows, columns, title="Rows").close()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return peak

    # ten times the rows, not ten times the memory (well under a megabyte either way)
    small, large = peak(1_000), peak(10_000)
    assert large < 1.5 * small + 64 * 1024
    assert large < 2**20


# A list page: the same list both ways


@pytest.mark.django_db
def test_the_xlsx_of_a_list_reads_back_as_its_csv_cell_for_cell(client_as, harborough, rutland, practice):
    # given contracts whose names a spreadsheet would run, with money, VAT and dates
    for index, title in enumerate(FORMULA_LIKE + AWKWARD):
        make_contract(
            f"REF-{index:02d}",
            title=title,
            contractor=FORMULA_LIKE[index % len(FORMULA_LIKE)],
            localities=[harborough] if index % 2 else [rutland],
            value=Decimal("12345.67") + index,
            vat_rate=Decimal("20.00") if index % 2 else Decimal("0.00"),
        )
    client = client_as("staff")

    # when the list is exported both ways
    xlsx = client.get("/contracts/?sort=reference&_export=xlsx")
    text = export_body(client.get("/contracts/?sort=reference&_export=csv")).decode("utf-8")

    # then the xlsx holds the CSV's rows, cell for cell
    kinds = [column.kind for column in ContractListView.export_columns]
    xlsx_rows, csv_rows = read_both(export_body(xlsx), text, kinds)
    assert len(csv_rows) == 1 + len(FORMULA_LIKE) + len(AWKWARD)
    assert xlsx_rows == csv_rows
    # and the money and dates in it are typed
    sheet = export_sheet(xlsx)
    header = [cell.value for cell in sheet[1]]
    value, start = sheet.cell(2, header.index("Value ex-VAT") + 1), sheet.cell(2, header.index("Start") + 1)
    assert (value.value, value.number_format) == (12345.67, '"£"#,##0.00')
    assert start.value == datetime(2018, 9, 1) and start.is_date


@pytest.mark.django_db
def test_the_xlsx_of_the_practice_list_reads_back_as_its_csv(client_as, harborough, practice, other_practice):
    for index, name in enumerate(FORMULA_LIKE + AWKWARD):
        Practice.objects.create(ods_code=f"C83{index:03d}", name=name, address=name, locality=harborough)
    client = client_as("staff")

    xlsx = client.get("/practices/?sort=ods_code&_export=xlsx")
    text = export_body(client.get("/practices/?sort=ods_code&_export=csv")).decode("utf-8")

    kinds = [column.kind for column in PracticeListView.export_columns]
    xlsx_rows, csv_rows = read_both(export_body(xlsx), text, kinds)
    assert len(csv_rows) == 3 + len(FORMULA_LIKE) + len(AWKWARD)
    assert xlsx_rows == csv_rows
    assert export_rows(xlsx, "xlsx")[0] == csv_rows[0]


def test_an_export_that_fails_part_way_leaves_no_temporary_files(monkeypatch, tmp_path):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))

    def rows():
        yield ["Practice", 1]
        raise RuntimeError("the database went away")

    with pytest.raises(RuntimeError):
        write_xlsx(
            rows(), [ExportColumn("Name", "name"), ExportColumn("Units", "units", "int")], title="Rows"
        )

    assert list(tmp_path.iterdir()) == []
