"""Exports of list pages: plain functions from rows to an xlsx or CSV response.

Rows come from ``QuerySet.values_list(...).iterator()`` in chunks and go straight
into a streamed CSV, or row by row into a workbook in a temporary file that is
then streamed back (``_XlsxSheet``); so 7,000 practices or 100,000 evidence
records export without building tables in memory, and the xlsx costs little
more than the CSV. openpyxl is for reading workbooks only: it writes them
ten times slower.
"""

import csv
import re
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from math import isfinite

import xlsxwriter
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from xlsxwriter.utility import xl_col_to_name

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
XLSX_OPTIONS = {
    # One row in memory at a time: the rest waits in a temporary file.
    "constant_memory": True,
    # Text is text: never turned into a formula, a link or a number. (Cells
    # are written by _XlsxSheet.write_row, always text as text; this holds
    # should anything ever call XlsxWriter's own write() instead.)
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
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
    """Excel refuses []:*?/\\ in sheet names, more than 31 characters, and an
    apostrophe at either end."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31].strip("'") or "Sheet"


# What text must not carry into the XML as it is: markup, a carriage return
# (XML would read it back as a line feed), control characters (XML cannot hold
# them; Excel writes them _xHHHH_) and text already shaped like that escape.
_XML_TEXT_ESCAPES = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f]|_x[0-9A-Fa-f]{4}_")
_XML_TEXT_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
# Excel's longest text, in UTF-16 code units; a longer cell makes it repair the file.
_XLSX_TEXT_MAX = 32767
# Excel counts days from 30 December 1899, but for a 29 February 1900 that
# never was: before March 1900 its serials are one less.
_EXCEL_EPOCH = date(1899, 12, 30).toordinal()
_EXCEL_MARCH_1900 = date(1900, 3, 1).toordinal()
_EXCEL_FIRST_DAY = date(1900, 1, 1).toordinal()


def _xml_text_escape(match) -> str:
    found = match.group()
    if found in _XML_TEXT_ENTITIES:
        return _XML_TEXT_ENTITIES[found]
    if found.startswith("_x"):
        return "_x005F" + found
    return f"_x{ord(found):04X}_"


def _xml_text(value: str) -> str:
    if len(value) > _XLSX_TEXT_MAX // 2 and len(value.encode("utf-16-le")) > 2 * _XLSX_TEXT_MAX:
        value = value.encode("utf-16-le")[: 2 * _XLSX_TEXT_MAX].decode("utf-16-le", "ignore")
    return _XML_TEXT_ESCAPES.sub(_xml_text_escape, value)


def _excel_serial(value: date | datetime) -> str | None:
    """A date or naive datetime as Excel's serial number, or None before 1900
    (Excel has no such dates)."""
    ordinal = value.toordinal()
    if ordinal < _EXCEL_FIRST_DAY:
        return None
    days = ordinal - _EXCEL_EPOCH - (ordinal < _EXCEL_MARCH_1900)
    if value.__class__ is date:
        return str(days)
    seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
    return repr(days + seconds / 86400) if seconds else str(days)


def _xlsx_value(value):
    """One of the types ``_XlsxSheet.write_row`` writes (str, int, float,
    Decimal, bool, date, naive datetime or None), for a value of any type: a
    subclass (an IntegerChoices member, a SafeString) as its base type, an
    aware datetime in local time, anything else as its text."""
    if value is None or value.__class__ in (str, int, float, Decimal, bool, date):
        return value
    if isinstance(value, datetime):
        value = _plain(value)
        return datetime.combine(value.date(), value.time())
    for base in (str, bool, int, float, Decimal):
        if isinstance(value, base):
            return base(value)
    if isinstance(value, date):
        return date.fromordinal(value.toordinal())
    return str(value)


class _XlsxSheet:
    """The one way this project writes xlsx: a workbook of one sheet.

    XlsxWriter (in constant_memory mode) makes the workbook: styles and number
    formats, column widths, the frozen header, the package Excel expects. The
    cells themselves are written here, row by row, as XML into the temporary
    file XlsxWriter keeps for the sheet's rows in that mode, which it copies
    into the workbook on ``close``. Through XlsxWriter's own ``write_*`` calls
    (some 10 microseconds a cell) an export took five to seven times its CSV;
    written here, a little more than the CSV. This relies on three XlsxWriter
    internals of that mode (the version is pinned in requirements.lock, and
    every export test reads the result back): ``Worksheet.fh`` (the row
    file), ``Worksheet._check_dimensions`` and ``Format._get_xf_index``.

    Every cell goes through ``write_row``: text always as an inline string,
    never a formula or a link whatever it starts with; numbers with the
    column's number format; dates and datetimes as real dates with a date
    format. Memory stays flat however many rows there are."""

    def __init__(self, handle, title: str, workdir: str):
        self.workbook = xlsxwriter.Workbook(handle, {**XLSX_OPTIONS, "tmpdir": workdir})
        self.sheet = self.workbook.add_worksheet(sheet_title(title))
        self.row = 0
        self.max_col = 0
        self._styles = {}

    def _style(self, number_format: str | None, bold: bool) -> str:
        """The ``s`` attribute of a cell in that number format and weight."""
        key = (number_format, bold)
        if key not in self._styles:
            properties = {"bold": True} if bold else {}
            if number_format:
                properties["num_format"] = number_format
            xf_index = self.workbook.add_format(properties)._get_xf_index() if properties else 0
            self._styles[key] = f' s="{xf_index}"' if xf_index else ""
        return self._styles[key]

    def styles(self, number_formats: Sequence[str | None], *, bold: bool = False) -> list[tuple]:
        """Per column, its letter and the styles of its text, numbers, dates
        and datetimes: a date in a column without a date format still reads as
        a date."""
        return [
            (
                xl_col_to_name(col),
                self._style(None, bold),
                self._style(number_format, bold),
                self._style(number_format or NUMBER_FORMATS["date"], bold),
                self._style(number_format or NUMBER_FORMATS["datetime"], bold),
            )
            for col, number_format in enumerate(number_formats)
        ]

    def write_row(self, values: Sequence, styles: Sequence[tuple]) -> None:
        """The next row, ``styles`` from ``styles()`` (one per value)."""
        self.row += 1
        number = str(self.row)
        cells = []
        for value, (letter, text, figure, day, moment) in zip(values, styles, strict=True):
            # Exact types first: this loop runs for every cell of the export.
            kind = value.__class__
            if kind is not str and kind is not int and kind is not Decimal and kind is not date:
                value = _xlsx_value(value)
                kind = value.__class__
            if kind is str:
                if value:
                    # Excel drops spaces at either end unless told to keep them.
                    keep = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
                    cells.append(
                        f'<c r="{letter}{number}"{text} t="inlineStr"><is><t{keep}>{_xml_text(value)}</t></is></c>'
                    )
                elif text:
                    cells.append(f'<c r="{letter}{number}"{text}/>')
            elif (
                kind is int or (kind is Decimal and value.is_finite()) or (kind is float and isfinite(value))
            ):
                cells.append(f'<c r="{letter}{number}"{figure}><v>{value}</v></c>')
            elif kind is date or kind is datetime:
                serial = _excel_serial(value)
                if serial is None:  # before 1900: as its ISO text, as in the CSV
                    cells.append(
                        f'<c r="{letter}{number}"{text} t="inlineStr"><is><t>{value.isoformat()}</t></is></c>'
                    )
                else:
                    cells.append(
                        f'<c r="{letter}{number}"{day if kind is date else moment}><v>{serial}</v></c>'
                    )
            elif kind is bool:
                cells.append(f'<c r="{letter}{number}"{text} t="b"><v>{int(value)}</v></c>')
            elif value is None:
                if text:  # an empty bold cell in a bold row
                    cells.append(f'<c r="{letter}{number}"{text}/>')
            else:  # NaN or infinity: as text
                cells.append(
                    f'<c r="{letter}{number}"{text} t="inlineStr"><is><t>{_xml_text(str(value))}</t></is></c>'
                )
        if cells:
            self.sheet.fh.write(f'<row r="{number}">{"".join(cells)}</row>')
            self.max_col = max(self.max_col, len(values) - 1)

    def close(self) -> None:
        if self.row:
            # The used range (<dimension>), which XlsxWriter works out as its
            # own write_* calls go; without it, it would write no rows at all.
            self.sheet._check_dimensions(0, 0)
            self.sheet._check_dimensions(self.row - 1, self.max_col)
        self.workbook.close()


def write_xlsx(
    rows: Iterable[Sequence],
    columns: Sequence[ExportColumn],
    *,
    title: str,
    totals: Sequence | None = None,
    preamble: Sequence[Sequence] = (),
):
    """The export as an xlsx workbook in a temporary file, positioned at its
    start: a bold header row (frozen, with column widths), the rows, then an
    optional bold ``totals`` row. ``preamble`` rows (a title, who pays, when
    produced) go above the header."""
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it
    try:
        # XlsxWriter's own temporary files (the rows, the parts of the
        # package) go in a folder of this export's, gone even if it fails.
        with tempfile.TemporaryDirectory(prefix="xlsx-") as workdir:
            xlsx = _XlsxSheet(handle, title, workdir)
            _write_sheet(xlsx, rows, columns, totals=totals, preamble=preamble)
            xlsx.close()
    except BaseException:
        handle.close()
        raise
    handle.seek(0)
    return handle


def _write_sheet(xlsx: _XlsxSheet, rows, columns, *, totals, preamble) -> None:
    for index, column in enumerate(columns):
        xlsx.sheet.set_column(index, index, column.width or max(12, min(48, len(column.header) + 4)))
    xlsx.sheet.freeze_panes(len(preamble) + 1, 0)
    for line in preamble:
        xlsx.write_row(line, xlsx.styles([None] * len(line)))
    xlsx.write_row([column.header for column in columns], xlsx.styles([None] * len(columns), bold=True))
    number_formats = [NUMBER_FORMATS.get(c.kind) for c in columns]
    styles = xlsx.styles(number_formats)
    for row in rows:
        xlsx.write_row(row, styles)
    if totals is not None:
        xlsx.write_row(totals, xlsx.styles(number_formats, bold=True))


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
