"""Exports of list pages: plain functions from rows to an xlsx or CSV response.

Rows come from ``QuerySet.values_list(...).iterator()`` in chunks and go straight
into openpyxl's write-only workbook (or a streamed CSV), so 7,000 practices or
100,000 evidence records export without building tables in memory.
"""

import csv
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

# A text cell that starts with one of these would be run as a formula by a
# spreadsheet (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {
    "money": '"£"#,##0.00',
    "int": "#,##0",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
    "percent": "0.0%",
}


@dataclass(frozen=True)
class ExportColumn:
    """One column of an export: its header, the ``values_list`` path it reads,
    how it is formatted, and an optional function turning the raw value into
    what a reader expects (a choice's label, say)."""

    header: str
    path: str
    kind: str = "text"
    display: Callable[[object], object] | None = None
    width: int | None = None


def queryset_rows(queryset, columns: Sequence[ExportColumn], chunk_size: int = 2000):
    """Rows of display values, read from the database in chunks."""
    paths = [c.path for c in columns]
    for raw in queryset.values_list(*paths).iterator(chunk_size=chunk_size):
        yield [c.display(v) if c.display else v for c, v in zip(columns, raw, strict=True)]


def _plain(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    return value


def _is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def sheet_title(title: str) -> str:
    """Excel refuses []:*?/\\ in sheet names and more than 31 characters."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31] or "Sheet"


def write_xlsx(
    rows: Iterable[Sequence],
    columns: Sequence[ExportColumn],
    *,
    title: str,
    totals: Sequence | None = None,
    preamble: Sequence[Sequence] = (),
):
    """A write-only workbook in a temporary file, positioned at its start.
    ``preamble`` rows (a title, who pays, when produced) go above the header."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title(title))
    for index, column in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width or max(
            12, min(48, len(column.header) + 4)
        )
    sheet.freeze_panes = f"A{len(preamble) + 2}"
    bold = Font(bold=True)
    for line in preamble:
        sheet.append([_xlsx_cell(sheet, value) for value in line])
    header = [_xlsx_cell(sheet, column.header) for column in columns]
    for cell in header:
        cell.font = bold
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    for row in rows:
        sheet.append(_xlsx_row(sheet, row, formats))
    if totals is not None:
        cells = _xlsx_row(sheet, totals, formats)
        for cell in cells:
            cell.font = bold
        sheet.append(cells)
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    workbook.save(handle)
    handle.seek(0)
    return handle


def _xlsx_cell(sheet, value, number_format=None):
    """Every cell of an export, headers and preamble included: text people
    typed (a service or organisation name) may start with "=", and is kept
    as text, never run as a formula."""
    value = _plain(value)
    cell = WriteOnlyCell(sheet, value=value)
    if _is_formula_like(value):
        cell.data_type = "s"
    if number_format and isinstance(value, int | float | Decimal | date):
        cell.number_format = number_format
    return cell


def _xlsx_row(sheet, row, formats):
    return [
        _xlsx_cell(sheet, value, number_format) for value, number_format in zip(row, formats, strict=True)
    ]


def xlsx_response(rows, columns, *, filename: str, title: str, totals=None, preamble=()) -> FileResponse:
    return xlsx_file_response(
        write_xlsx(rows, columns, title=title, totals=totals, preamble=preamble), filename
    )


def xlsx_file_response(handle, filename: str) -> FileResponse:
    """A workbook ``write_xlsx`` made, downloaded as ``filename``.xlsx."""
    return FileResponse(
        handle,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


class _Echo:
    def write(self, value):
        return value


def _csv_value(value):
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value.isoformat()
    if _is_formula_like(value):
        return "'" + value
    return value


def csv_lines(rows: Iterable[Sequence], columns: Sequence[ExportColumn]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    # A byte-order mark so that Excel reads the file as UTF-8 (names with accents, £).
    yield "\ufeff" + writer.writerow([_csv_value(c.header) for c in columns])
    for row in rows:
        yield writer.writerow([_csv_value(v) for v in row])


def csv_response(rows, columns, *, filename: str) -> StreamingHttpResponse:
    response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response
