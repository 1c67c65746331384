"""The finance inputs as one workbook, out and back in: ``manage.py
export_finance``, ``manage.py import_finance`` and the staff upload page
(upload, preview of what would change, confirm) all use this module.

The template is one sheet, "Figures", one row per line, financial year and
kind of figure: the amounts people enter (income, expenditure, plans,
savings), never a total, which the portal computes. A second sheet, "Read
me", documents each column. Export then import changes nothing.

An import reads the whole sheet first and checks every cell, so every bad
cell is reported at once, by sheet, row and column; if any is bad nothing is
written. Then it is compared with the portal in a few queries and written in
bulk in one transaction: new lines, new figures, changed figures. A figure
the file does not mention is left as it is (nothing is deleted by an
import), and a row that changes nothing is not written, so its history says
nothing happened."""

import io
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation

import pghistory
import xlsxwriter
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone
from xlsxwriter.utility import xl_col_to_name

from contracts.models import Organisation
from fedportal.exports import XLSX_OPTIONS
from fedportal.files import XLSX, MiB, UploadKind
from fedportal.periods import FIRST_YEAR, LAST_YEAR, financial_year_label, financial_year_of
from finance.models import (
    KINDS_OF_SECTION,
    MAX_AMOUNT,
    Basis,
    Figure,
    FinanceSettings,
    Kind,
    Line,
    Section,
)
from finance.selectors import month_start, previous_month_amounts_of

FINANCE_WORKBOOK = UploadKind(
    types=(XLSX,),
    max_bytes=5 * MiB,
    not_accepted=(
        "The file must be an Excel workbook (.xlsx): the finance template, as the Export link "
        "or manage.py export_finance writes it."
    ),
)

SHEET = "Figures"
README = "Read me"
# What each column holds, as the "Read me" sheet documents it.
COLUMNS = [
    ("Section", "Income stream, Cost saving or Expenditure."),
    ("Line", "The line's name as the tables write it. A name the portal does not know adds a new line."),
    (
        "Commissioner",
        "Who pays (income streams only): an organisation's name as the portal keeps it; empty for "
        "several payers or none. The same on every row of a line.",
    ),
    (
        "Financial year",
        f"Written 2019/20 (1 April 2019 to 31 March 2020); {FIRST_YEAR}/.. to {LAST_YEAR}/...",
    ),
    (
        "Kind",
        "Gross contract value secured or Net income (income streams), Cost saving (cost savings), "
        "Expenditure (expenditure).",
    ),
    ("Basis", "Actual, Forecast or To be confirmed."),
    ("Amount", "Pounds and pence, from 0 to 999,999,999.99. Never negative."),
    ("Plan", "The board's plan (budget) for the line and year, pounds and pence; empty for none."),
    ("Comment", "Printed beside the line in the tables (at most 200 characters)."),
    (
        "Movement note",
        "Why a figure of the current financial year moved since last month's board paper: "
        "required when it moves by more than the threshold staff set.",
    ),
]
HEADERS = [name for name, _ in COLUMNS]
COLUMN = {name: xl_col_to_name(i) for i, name in enumerate(HEADERS)}
# A finance sheet is hundreds of rows; ten years of a region's lines a few
# thousand. More than this is not a finance workbook.
MAX_ROWS = 50_000
PREVIEW_LIMIT = 200
YEAR_RE = re.compile(r"^(\d{4})\s*[/-]\s*(\d{2}|\d{4})$")
MONEY_FORMAT = '#,##0.00;-#,##0.00;"0.00"'


# Export ---------------------------------------------------------------------------------


def export_rows() -> Iterable[list]:
    """Every figure of every line, in the tables' order: the template's rows."""
    figures = (
        Figure.objects.select_related("line", "line__commissioner")
        .annotate(
            section_order=Case(
                *(When(line__section=section, then=Value(i)) for i, section in enumerate(Section.values)),
                output_field=IntegerField(),
            )
        )
        .order_by("section_order", "line__position", "line__name", "year", "kind")
        .iterator(chunk_size=2000)
    )
    for f in figures:
        yield [
            Section(f.line.section).label,
            f.line.name,
            f.line.commissioner.name if f.line.commissioner_id else "",
            financial_year_label(f.year),
            Kind(f.kind).label,
            Basis(f.basis).label,
            f.amount,
            f.plan,
            f.comment,
            f.movement_note,
        ]


def export_workbook() -> bytes:
    """The finance inputs in the import template, as xlsx bytes."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {**XLSX_OPTIONS, "constant_memory": False, "in_memory": True})
    header = book.add_format({"bold": True, "bottom": 1})
    money = book.add_format({"num_format": MONEY_FORMAT})
    sheet = book.add_worksheet(SHEET)
    sheet.write_row(0, 0, HEADERS, header)
    sheet.freeze_panes(1, 0)
    for col, width in enumerate([14, 44, 40, 14, 30, 16, 16, 16, 40, 40]):
        sheet.set_column(col, col, width)
    row = 0
    for row, values in enumerate(export_rows(), start=1):
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            if isinstance(value, Decimal):
                sheet.write_number(row, col, value, money)
            else:
                sheet.write_string(row, col, value)
    sheet.autofilter(0, 0, max(row, 1), len(HEADERS) - 1)
    readme = book.add_worksheet(README)
    readme.set_column(0, 0, 18)
    readme.set_column(1, 1, 100)
    readme.write_string(0, 0, "The finance inputs of the portal, one row per line, year and kind.", header)
    readme.write_string(
        1,
        0,
        f"Change the amounts on the {SHEET} sheet and import it again (manage.py import_finance, or "
        "Finance > Import figures): totals are computed by the portal, never entered.",
    )
    readme.write_row(3, 0, ["Column", "What it holds"], header)
    for i, (name, description) in enumerate(COLUMNS, start=4):
        readme.write_string(i, 0, name)
        readme.write_string(i, 1, description)
    book.close()
    return buffer.getvalue()


# Reading --------------------------------------------------------------------------------


@dataclass
class CellError:
    sheet: str
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        where = f"{self.sheet}, row {self.row}" + (f", column {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class Change:
    """One figure the import would create or change, as the preview lists it."""

    row: int
    section: str
    line: str
    year: str
    kind: str
    action: str  # "new line", "new", "changed"
    before: str
    after: str


@dataclass
class ImportSummary:
    rows: int = 0
    lines_created: int = 0
    lines_changed: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    changes: list[Change] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    dry_run: bool = True

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    def as_dict(self) -> dict:
        data = asdict(self)
        data["changes"] = data["changes"][:PREVIEW_LIMIT]
        data["more_changes"] = max(0, len(self.changes) - PREVIEW_LIMIT)
        return data

    def lines(self) -> list[str]:
        """The summary in words, for the command's output."""
        if self.errors:
            return [f"{len(self.errors)} bad cell(s); nothing was written:"] + [
                f"  {error}" for error in self.errors
            ]
        return [
            f"{self.rows:,} rows read.",
            f"Lines: {self.lines_created:,} new, {self.lines_changed:,} changed.",
            f"Figures: {self.created:,} new, {self.updated:,} changed, {self.unchanged:,} unchanged.",
        ]


class ImportFailed(Exception):
    def __init__(self, summary: ImportSummary):
        super().__init__("The workbook has bad cells; nothing was written.")
        self.summary = summary


@dataclass
class Row:
    number: int
    section: str
    line: str
    commissioner: Organisation | None
    year: int
    kind: str
    basis: str
    amount: Decimal
    plan: Decimal | None
    comment: str
    note: str


def _choice(text: str, choices) -> str | None:
    wanted = text.strip().lower()
    for value, label in choices:
        if wanted in (str(value).lower(), str(label).lower()):
            return value
    return None


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _amount(value, *, required: bool) -> Decimal | None:
    """An amount cell: a number, or text as people type pounds (£1,250.50).
    Raises ValueError with the message for the cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise ValueError("Enter an amount (0 if none).")
        return None
    if isinstance(value, bool):
        raise ValueError("Enter an amount in pounds, like 1250 or 1,250.50, not TRUE or FALSE.")
    if isinstance(value, int | float | Decimal):
        # repr of a float is its shortest exact spelling: 1250.1, not 1250.09999...
        text = repr(value) if isinstance(value, float) else str(value)
    elif isinstance(value, str):
        text = value.strip().replace(",", "").removeprefix("£").strip()
    else:
        raise ValueError("Enter an amount in pounds, like 1250 or 1,250.50, not a date.")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValueError(
            f"“{_text(value)[:40]}” is not an amount: enter pounds, like 1250 or 1,250.50."
        ) from None
    if not amount.is_finite():
        raise ValueError("Enter an amount in pounds, like 1250 or 1,250.50.")
    if amount < 0:
        raise ValueError("This amount cannot be negative: enter £0 or more.")
    if amount > MAX_AMOUNT:
        raise ValueError("Enter an amount of at most £999,999,999.99.")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError("Enter pounds and pence (at most 2 decimal places).")
    return amount.quantize(Decimal("0.01"))


def _year(value) -> int:
    if isinstance(value, int | float) and not isinstance(value, bool) and float(value).is_integer():
        year = int(value)
    else:
        match = YEAR_RE.match(_text(value))
        if not match:
            raise ValueError(f"“{_text(value)[:20]}” is not a financial year: write it like 2019/20.")
        year, end = int(match[1]), match[2]
        if int(end) % 100 != (year + 1) % 100:
            raise ValueError(f"“{_text(value)}” is not a financial year: 2019/20 runs from 2019 to 2020.")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ValueError(
            f"Enter a financial year from {financial_year_label(FIRST_YEAR)} to {financial_year_label(LAST_YEAR)}."
        )
    return year


def read_rows(data: bytes) -> tuple[list[tuple[int, tuple]], list[CellError]]:
    """The Figures sheet's rows (row number, cells), or the error that the
    file is not such a workbook."""
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # whatever a damaged or foreign file makes openpyxl raise
        return [], [CellError("(file)", 0, "", "The file cannot be read as an Excel workbook.")]
    try:
        if SHEET not in book.sheetnames:
            return [], [
                CellError(
                    "(file)",
                    0,
                    "",
                    f"The workbook has no sheet named “{SHEET}”: export the template first "
                    "(manage.py export_finance, or the Export link) and fill that in.",
                )
            ]
        rows = book[SHEET].iter_rows(values_only=True)
        header = [_text(cell) for cell in next(rows, ())]
        if [h.lower() for h in header[: len(HEADERS)]] != [h.lower() for h in HEADERS]:
            return [], [
                CellError(
                    SHEET,
                    1,
                    "",
                    "The first row must be the template's headers: " + ", ".join(HEADERS) + ".",
                )
            ]
        found = []
        for number, cells in enumerate(rows, start=2):
            cells = tuple(cells[: len(HEADERS)]) + (None,) * (len(HEADERS) - len(cells))
            if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in cells):
                continue
            if len(found) >= MAX_ROWS:
                return [], [
                    CellError(
                        SHEET, number, "", f"More than {MAX_ROWS:,} rows: this is not a finance workbook."
                    )
                ]
            found.append((number, cells))
        return found, []
    except Exception:  # a sheet damaged past its first rows
        return [], [CellError(SHEET, 0, "", "The sheet cannot be read: save the workbook again from Excel.")]
    finally:
        book.close()


class _RowErrors(list):
    """The errors of one row, each naming its cell."""

    def __init__(self, number: int):
        super().__init__()
        self.number = number

    def add(self, column: str, message: str) -> None:
        self.append(CellError(SHEET, self.number, f"{COLUMN[column]} ({column})", message))


def _parse_row(number: int, cells: tuple, organisations: dict[str, Organisation]) -> tuple[Row | None, list]:
    values = dict(zip(HEADERS, cells, strict=True))
    bad = _RowErrors(number)
    section = _choice(_text(values["Section"]), Section.choices)
    if section is None:
        bad.add("Section", "Write Income stream, Cost saving or Expenditure.")
    name = _text(values["Line"])
    if not name:
        bad.add("Line", "Enter the line's name.")
    elif len(name) > 200:
        bad.add("Line", "A line's name has at most 200 characters.")
    commissioner_name = _text(values["Commissioner"])
    commissioner = None
    if commissioner_name:
        commissioner = organisations.get(commissioner_name.lower())
        if commissioner is None:
            bad.add("Commissioner", f"No organisation is called “{commissioner_name[:80]}” in the portal.")
        elif section is not None and section != Section.INCOME:
            bad.add("Commissioner", "Only an income stream has a commissioner: leave this empty.")
    year = None
    try:
        year = _year(values["Financial year"])
    except ValueError as problem:
        bad.add("Financial year", str(problem))
    kind = _choice(_text(values["Kind"]), Kind.choices)
    if kind is None:
        bad.add("Kind", "Write Gross contract value secured, Net income, Cost saving or Expenditure.")
    elif section is not None and kind not in KINDS_OF_SECTION[Section(section)]:
        allowed = " or ".join(str(k.label) for k in KINDS_OF_SECTION[Section(section)])
        bad.add("Kind", f"A line of this section takes {allowed}.")
    basis_text = _text(values["Basis"])
    basis = _choice(basis_text, Basis.choices) if basis_text else Basis.FORECAST
    if basis is None:
        bad.add("Basis", "Write Actual, Forecast or To be confirmed.")
    amount = plan = None
    try:
        amount = _amount(values["Amount"], required=True)
    except ValueError as problem:
        bad.add("Amount", str(problem))
    try:
        plan = _amount(values["Plan"], required=False)
    except ValueError as problem:
        bad.add("Plan", str(problem))
    comment = _text(values["Comment"])
    if len(comment) > 200:
        bad.add("Comment", "A comment has at most 200 characters.")
    note = _text(values["Movement note"])
    if bad:
        return None, bad
    return Row(number, section, name, commissioner, year, kind, basis, amount, plan, comment, note), bad


def parse(
    raw: list[tuple[int, tuple]], organisations: dict[str, Organisation]
) -> tuple[list[Row], list[CellError]]:
    """Check every cell of every row: all the errors, not the first."""
    rows, errors = [], []
    seen: dict[tuple, int] = {}
    commissioners: dict[tuple, tuple[int, Organisation | None]] = {}
    for number, cells in raw:
        row, bad = _parse_row(number, cells, organisations)
        if row is not None:
            bad = _RowErrors(number)
            key = (row.section, row.line.lower(), row.year, row.kind)
            if key in seen:
                bad.add(
                    "Line",
                    f"Row {seen[key]} already gives this line's {Kind(row.kind).label.lower()} for "
                    f"{financial_year_label(row.year)}.",
                )
            seen.setdefault(key, number)
            first = commissioners.setdefault((row.section, row.line.lower()), (number, row.commissioner))
            if first[1] != row.commissioner:
                bad.add(
                    "Commissioner",
                    f"Row {first[0]} gives this line another commissioner: one line, one commissioner.",
                )
        if bad:
            errors += bad
        else:
            rows.append(row)
    return rows, errors


# Comparing and writing ---------------------------------------------------------------------


def _gbp(amount: Decimal | None) -> str:
    return "–" if amount is None else f"£{amount:,.2f}"


def _describe(amount, plan, basis) -> str:
    text = f"{_gbp(amount)} ({Basis(basis).label.lower()})"
    return text + (f", plan {_gbp(plan)}" if plan is not None else "")


def import_figures(data: bytes, *, dry_run: bool, today: date, user=None, source: str = "") -> ImportSummary:
    """Read the template's workbook and bring the portal's figures into line
    with it, all or nothing. Raises ImportFailed (with every bad cell) and
    writes nothing when any cell is bad; ``dry_run`` says what would change
    and writes nothing either way."""
    summary = ImportSummary(dry_run=dry_run)
    raw, errors = read_rows(data)
    summary.rows = len(raw)
    if errors:
        summary.errors = errors
        raise ImportFailed(summary)
    organisations = {o.name.lower(): o for o in Organisation.objects.all()}
    rows, errors = parse(raw, organisations)
    lines = {(line.section, line.name.lower()): line for line in Line.objects.select_related("commissioner")}
    figures = {(f.line_id, f.year, f.kind): f for f in Figure.objects.all()}
    current = financial_year_of(today)
    # Read only when a current-year amount changes (two queries), as the
    # figure's page reads them.
    paper: dict = {}

    def moved_past_threshold(figure: Figure, amount: Decimal) -> str:
        if not paper:
            paper["threshold"] = FinanceSettings.load().movement_threshold
            paper["previous"] = previous_month_amounts_of(year=current, before=month_start(today))
        then = paper["previous"].get(figure.pk, (figure.kind, Decimal("0")))[1] if figure.pk else Decimal("0")
        moved = abs(amount - then)
        if moved <= paper["threshold"]:
            return ""
        return (
            f"This figure moved by £{moved:,.2f} since last month's board paper (more than "
            f"£{paper['threshold']:,.2f}): say why in a note."
        )

    new_lines: dict[tuple, Line] = {}
    changed_lines: dict[int, Line] = {}
    to_create: list[Figure] = []
    to_update: list[Figure] = []
    for row in rows:
        key = (row.section, row.line.lower())
        line = lines.get(key) or new_lines.get(key)
        if line is None:
            line = new_lines[key] = Line(section=row.section, name=row.line, commissioner=row.commissioner)
            summary.changes.append(
                Change(
                    row.number,
                    Section(row.section).label,
                    row.line,
                    "",
                    "",
                    "new line",
                    "",
                    row.commissioner.name if row.commissioner else "",
                )
            )
        elif (
            line.pk
            and line.pk not in changed_lines
            and line.commissioner_id != (row.commissioner.pk if row.commissioner else None)
        ):
            before = line.commissioner.name if line.commissioner_id else "(none)"
            line.commissioner = row.commissioner
            changed_lines[line.pk] = line
            summary.changes.append(
                Change(
                    row.number,
                    Section(row.section).label,
                    line.name,
                    "",
                    "Commissioner",
                    "changed",
                    before,
                    row.commissioner.name if row.commissioner else "(none)",
                )
            )
        figure = figures.get((line.pk, row.year, row.kind)) if line.pk else None
        label = (Section(row.section).label, line.name, financial_year_label(row.year), Kind(row.kind).label)
        if figure is None:
            before_amount = Decimal("0")
            figure = Figure(line=line, year=row.year, kind=row.kind)
            action, before = "new", ""
        else:
            before_amount = figure.amount
            same = (
                figure.basis == row.basis
                and figure.amount == row.amount
                and figure.plan == row.plan
                and figure.comment == row.comment
                and figure.movement_note == row.note
            )
            if same:
                summary.unchanged += 1
                continue
            action, before = "changed", _describe(figure.amount, figure.plan, figure.basis)
        # The board paper's rule, as a figure's page applies it.
        if (
            row.year == current
            and row.amount != before_amount
            and not row.note
            and (message := moved_past_threshold(figure, row.amount))
        ):
            errors.append(CellError(SHEET, row.number, f"{COLUMN['Movement note']} (Movement note)", message))
            continue
        figure.basis, figure.amount, figure.plan = row.basis, row.amount, row.plan
        figure.comment, figure.movement_note = row.comment, row.note
        (to_update if figure.pk else to_create).append(figure)
        summary.changes.append(
            Change(row.number, *label, action, before, _describe(row.amount, row.plan, row.basis))
        )
    if errors:
        summary.errors = sorted(errors, key=lambda e: (e.row, e.column))
        summary.changes = []
        raise ImportFailed(summary)
    summary.lines_created, summary.lines_changed = len(new_lines), len(changed_lines)
    summary.created, summary.updated = len(to_create), len(to_update)
    if dry_run or not (new_lines or changed_lines or to_create or to_update):
        return summary
    # No savepoint of its own: inside the page's service, its transaction is
    # the one that rolls back.
    with (
        transaction.atomic(savepoint=False),
        pghistory.context(user=user.pk if user else None, finance_import=source or "workbook"),
    ):
        Line.objects.bulk_create(new_lines.values())
        if changed_lines:
            Line.objects.bulk_update(changed_lines.values(), ["commissioner"])
        for figure in to_create:
            figure.line_id = figure.line.pk
        now = timezone.now()
        for figure in to_create + to_update:
            figure.updated_at = now
        Figure.objects.bulk_create(to_create, batch_size=2000)
        _update_figures(to_update)
    return summary


# Figures changed, per statement: a few thousand a year at most.
UPDATE_BATCH = 5000


def _update_figures(figures: list[Figure]) -> None:
    """Write the changed figures in one UPDATE ... FROM (VALUES ...) per
    batch. Django's bulk_update writes a CASE per column with a branch per
    row, which PostgreSQL walks for every row: 2,000 changed figures took
    25 s that way on the scale data, against a second this way. The history
    triggers record each row as for any other update."""
    table = connection.ops.quote_name(Figure._meta.db_table)
    for start in range(0, len(figures), UPDATE_BATCH):
        batch = figures[start : start + UPDATE_BATCH]
        rows = ", ".join(["(%s, %s, %s, %s, %s, %s, %s)"] * len(batch))
        params = [
            value
            for f in batch
            for value in (f.pk, f.basis, f.amount, f.plan, f.comment, f.movement_note, f.updated_at)
        ]
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS f SET basis = v.basis, amount = v.amount::numeric, "  # noqa: S608 - names are ours
                "plan = v.plan::numeric, comment = v.comment, movement_note = v.note, "
                "updated_at = v.updated_at::timestamptz "
                f"FROM (VALUES {rows}) AS v(id, basis, amount, plan, comment, note, updated_at) "
                "WHERE f.id = v.id::bigint",
                params,
            )
