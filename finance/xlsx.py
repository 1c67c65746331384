"""The finance tables as formatted xlsx workbooks, written with XlsxWriter
(fedportal.exports streams one flat list; these are small laid-out tables):
the title and the filters used above the table, a bold frozen header, GBP
number formats with negative amounts in brackets, bold totals, column
widths. Every number is the page's number (the same selector feeds both)."""

import io
from decimal import Decimal

import xlsxwriter
from django.http import HttpResponse

from fedportal.exports import XLSX_OPTIONS, sheet_title
from finance.selectors import IncomeAndExpenditure, Split, SummaryTable

GBP = '"£"#,##0.00;("£"#,##0.00);"-"'
GBP_PENCE = '"£"#,##0.00;("£"#,##0.00);"£"0.00'
WHOLE = "#,##0"
PERCENT = "0.0000%"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Book:
    def __init__(self, title: str):
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(
            self.buffer, {**XLSX_OPTIONS, "constant_memory": False, "in_memory": True}
        )
        self.sheet = self.book.add_worksheet(sheet_title(title))
        self.bold = self.book.add_format({"bold": True})
        self.title = self.book.add_format({"bold": True, "font_size": 14})
        self.header = self.book.add_format({"bold": True, "bottom": 1, "text_wrap": True})
        self.header_right = self.book.add_format({"bold": True, "bottom": 1, "align": "right"})
        self.money = self.book.add_format({"num_format": GBP})
        self.money_bold = self.book.add_format({"num_format": GBP, "bold": True, "top": 1})
        self.pence = self.book.add_format({"num_format": GBP_PENCE})
        self.pence_bold = self.book.add_format({"num_format": GBP_PENCE, "bold": True, "top": 1})
        self.whole = self.book.add_format({"num_format": WHOLE})
        self.whole_bold = self.book.add_format({"num_format": WHOLE, "bold": True, "top": 1})
        self.percent = self.book.add_format({"num_format": PERCENT})
        self.text_bold = self.book.add_format({"bold": True, "top": 1})
        self.row = 0

    def preamble(self, title: str, filters: list[tuple[str, str]]) -> None:
        self.sheet.write_string(0, 0, title, self.title)
        self.row = 1
        for label, value in filters:
            self.sheet.write_string(self.row, 0, label, self.bold)
            self.sheet.write_string(self.row, 1, value)
            self.row += 1
        self.row += 1  # a blank row before the table

    def header_row(self, headers: list[str], numeric_from: int) -> None:
        for col, text in enumerate(headers):
            self.sheet.write_string(
                self.row, col, text, self.header_right if col >= numeric_from else self.header
            )
        self.sheet.freeze_panes(self.row + 1, 1)
        self.row += 1

    def cells(self, values: list, formats: list) -> None:
        for col, (value, fmt) in enumerate(zip(values, formats, strict=True)):
            if value is None or value == "":
                if fmt is not None and fmt in (
                    self.text_bold,
                    self.money_bold,
                    self.pence_bold,
                    self.whole_bold,
                ):
                    self.sheet.write_blank(self.row, col, None, fmt)
                continue
            if isinstance(value, Decimal | int):
                self.sheet.write_number(self.row, col, value, fmt)
            else:
                self.sheet.write_string(self.row, col, str(value), fmt)
        self.row += 1

    def response(self, filename: str) -> HttpResponse:
        self.book.close()
        response = HttpResponse(self.buffer.getvalue(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return response


def summary_table_response(table: SummaryTable, *, title: str, filename: str) -> HttpResponse:
    """Table 1 or Table 2 as the page lays it out: line, commissioner (Table
    1), an amount per year, the total, the comment; bold totals; for Table 2
    the surplus or deficit (negative in brackets)."""
    book = _Book(title)
    book.preamble(title, table.filters)
    with_commissioner = not isinstance(table, IncomeAndExpenditure)
    lead = ["Line", "Commissioner"] if with_commissioner else ["Line"]
    headers = [*lead, *table.year_labels, "Total", "Comment"]
    n = len(lead)
    book.sheet.set_column(0, 0, 44)
    if with_commissioner:
        book.sheet.set_column(1, 1, 16)
    book.sheet.set_column(n, n + len(table.years), 14)
    book.sheet.set_column(n + len(table.years) + 1, n + len(table.years) + 1, 48)
    money_formats = [book.money] * (len(table.years) + 1)
    book.header_row(headers, n)
    for block in table.blocks:
        book.cells([block.title], [book.bold])
        for row in block.rows:
            values = [row.label, row.commissioner] if with_commissioner else [row.label]
            book.cells(
                [*values, *row.amounts, row.total, row.comment],
                [None] * n + money_formats + [None],
            )
        book.cells(
            [block.total_label, *([""] * (n - 1)), *block.totals, block.total, ""],
            [book.text_bold] * n + [book.money_bold] * (len(table.years) + 1) + [book.text_bold],
        )
        book.row += 1
    if isinstance(table, IncomeAndExpenditure):
        book.cells(
            ["Surplus / deficit", *table.surplus, table.surplus_total, ""],
            [book.text_bold] + [book.money_bold] * (len(table.years) + 1) + [book.text_bold],
        )
    return book.response(filename)


def split_response(split: Split, *, filename: str) -> HttpResponse:
    """A shared cost's split: the working above (amounts, fee, date, frozen
    or draft), then one row per locality and the bold totals."""
    cost = split.shared_cost
    book = _Book(cost.title)
    book.preamble(
        cost.title,
        [
            ("Patients registered at", cost.as_at.strftime("%d/%m/%Y")),
            ("Status", "Published: frozen" if split.frozen else "Draft: follows the list sizes"),
            ("Federation fee", f"{cost.fee_percent}% of the contract cost"),
        ],
    )
    headers = [
        "Locality",
        "Patients",
        "Share",
        "Contract",
        "Fed contract fee",
        "Legal",
        "Fed management",
        "Total",
    ]
    book.header_row(headers, 1)
    book.sheet.set_column(0, 0, 28)
    book.sheet.set_column(1, 7, 16)
    formats = [None, book.whole, book.percent] + [book.pence] * 5
    for row in split.rows:
        share = Decimal(row.exact_share.numerator) / Decimal(row.exact_share.denominator)
        book.cells(
            [row.name, row.patients, share, row.contract, row.fee, row.legal, row.management, row.total],
            formats,
        )
    totals = split.totals
    book.cells(
        [
            "Total",
            split.patients,
            Decimal(1) if split.rows else None,
            totals["contract"],
            totals["fee"],
            totals["legal"],
            totals["management"],
            totals["total"],
        ],
        [book.text_bold, book.whole_bold, book.percent] + [book.pence_bold] * 5,
    )
    return book.response(filename)
