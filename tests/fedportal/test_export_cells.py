"""Text staff typed (a service or organisation name) goes into every part of
an export, headers and preamble included, and never runs as a formula."""

import io
import zipfile

from openpyxl import load_workbook

from fedportal.exports import ExportColumn, csv_lines, write_xlsx

NAME = '=HYPERLINK("http://evil.example","Click")'


def test_a_formula_like_header_or_preamble_stays_text_in_xlsx():
    columns = [ExportColumn(NAME, "name"), ExportColumn("Units", "units", "int")]
    handle = write_xlsx([["Practice", 3]], columns, title="Schedule", preamble=[["Paid by", NAME]])
    sheet = load_workbook(handle).active
    preamble, header = sheet[1], sheet[2]
    assert (preamble[1].value, preamble[1].data_type) == (NAME, "s")
    assert (header[0].value, header[0].data_type) == (NAME, "s")


def test_a_formula_like_header_is_escaped_in_csv():
    header = next(csv_lines([], [ExportColumn(NAME, "name")]))
    assert header.startswith("\ufeff\"'=HYPERLINK(")


def test_text_shaped_like_markup_or_starting_with_a_tab_or_return_stays_text_in_xlsx():
    names = ["\t=1+1", "\r=1+1", "<r><t>x</t></r></is><f>1+1</f><is><r><t>y</t></r>"]
    columns = [ExportColumn(name, f"c{index}") for index, name in enumerate(names)]
    handle = write_xlsx([names], columns, title="Schedule", preamble=[names])
    content = handle.read()
    sheet = load_workbook(io.BytesIO(content)).active
    for row in (sheet[1], sheet[2], sheet[3]):
        assert [(cell.value, cell.data_type) for cell in row] == [(name, "s") for name in names]
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
