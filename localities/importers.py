"""Imports of NHS data files: the ODS epraccur practice file and NHS Digital's
"Patients Registered at a GP Practice".

Each import reads the whole file first, then compares it with the portal in a
handful of queries and writes in bulk inside one transaction. A malformed row
stops the import with its line number and nothing is written; rows the portal
refuses for a business reason are counted as rejected, with the reason, and
the rest go in. Re-running the same file changes nothing.
"""

import csv
import io
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from fedportal.files import NotCsv, csv_text
from localities.models import (
    ODS_STATUS,
    ListSize,
    Practice,
    normalise_postcode,
    validate_ods_code,
)

PROGRESS_EVERY = 5000
PREVIEW_LIMIT = 200
EPRACCUR_COLUMNS = 27
GP_PRACTICE_SETTING = "4"
PRESCRIBING_SETTINGS = {
    "0": "other",
    "1": "walk-in centre",
    "2": "out of hours",
    "3": "walk-in centre",
    "8": "public health service",
    "9": "community health service",
    "10": "hospital service",
    "11": "optometry service",
    "12": "urgent and emergency care",
    "13": "hospice",
    "14": "care home or nursing home",
    "15": "border force",
    "16": "young offender institution",
    "17": "secure training centre",
    "18": "secure children's home",
    "19": "immigration removal centre",
    "20": "court",
    "21": "police custody",
    "22": "sexual assault referral centre",
    "24": "other justice estate",
    "25": "prison",
}
# Words kept as the NHS writes them when names are turned from ODS capitals.
KEEP_UPPER = {"NHS", "GP", "PCN", "UCC", "OOH", "MI", "HC", "LLP", "UK", "CIC", "DHU", "MHMP", "LHMC"}
KEEP_LOWER = {"and", "of", "the", "at", "on", "in", "for", "upon", "by"}
# The Y-codes named in a summary; the national file has hundreds.
Y_CODES_NAMED = 10
LEFT_OUT = "left out at the preview"


class ImportFailed(Exception):
    """The file could not be imported; nothing was written."""

    def __init__(self, summary: "ImportSummary"):
        self.summary = summary
        super().__init__("; ".join(f"line {p.line}: {p.reason}" for p in summary.malformed[:5]))


@dataclass
class RowProblem:
    line: int
    reason: str


@dataclass
class ImportSummary:
    """What an import did (or, in a dry run, would do)."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    rejected: list[RowProblem] = field(default_factory=list)
    malformed: list[RowProblem] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    # Y-codes with setting 4 that went in: "Y05412 South Wigston Asylum Service".
    y_codes: list[str] = field(default_factory=list)
    # The new and changed rows staff may leave out at the preview, flagged
    # ones (a Y-code, a closed practice) first and unticked: each
    # {"key", "text", "flag", "include"}.
    choices: list[dict] = field(default_factory=list)
    dry_run: bool = False

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())

    def note_change(self, text: str) -> None:
        if len(self.changes) < PREVIEW_LIMIT:
            self.changes.append(text)

    def offer(self, key: str, text: str, *, flag: str = "") -> None:
        """A row staff may leave out. Every flagged row is offered (there are
        a few hundred nationally at most), the others up to the preview's
        limit; rows past it go in as they are."""
        if flag or len(self.choices) < PREVIEW_LIMIT:
            self.choices.append({"key": key, "text": text, "flag": flag, "include": not flag})

    def left_out(self, key: str, exclude) -> bool:
        """Whether staff left this row out at the preview (counted as skipped)."""
        if exclude and key in exclude:
            self.skipped[LEFT_OUT] += 1
            return True
        return False

    def apply(self, record, incoming: dict, fields, *, code: str, now) -> bool:
        """Set on ``record`` the ``fields`` whose incoming value differs, noting
        each change ("C82001 postcode: LE16 7BB → LE16 7BQ"); count the record
        as updated or unchanged. True when something changed (to save)."""
        changed = [name for name in fields if getattr(record, name) != incoming[name]]
        if not changed:
            self.unchanged += 1
            return False
        for name in changed:
            self.note_change(
                f"{code} {name.replace('_', ' ')}: {getattr(record, name) or '—'} → {incoming[name] or '—'}"
            )
            setattr(record, name, incoming[name])
        record.updated_at = now
        self.updated += 1
        return True

    def as_dict(self) -> dict:
        # Flagged rows first, so that the ones to look at open the list.
        self.choices.sort(key=lambda choice: not choice["flag"])
        data = asdict(self)
        data["skipped"] = dict(self.skipped)
        data["skipped_total"] = self.skipped_total
        data["y_code_note"] = self.y_code_note()
        return data

    def y_code_note(self) -> str:
        """ODS gives some Y-codes (asylum services, walk-in centres) setting 4;
        they go in as the issue says, but staff should see which they are."""
        if not self.y_codes:
            return ""
        verb = "would be imported" if self.dry_run else "imported"
        names = ", ".join(self.y_codes[:Y_CODES_NAMED])
        more = len(self.y_codes) - Y_CODES_NAMED
        return (
            f"{len(self.y_codes):,} Y-code{'s' if len(self.y_codes) != 1 else ''} {verb} "
            f"(setting 4, not practices in the usual sense): {names}"
            + (f" and {more:,} more" if more > 0 else "")
        )

    def lines(self) -> list[str]:
        """The closing summary a command prints."""
        verb = "would be " if self.dry_run else ""
        out = [
            f"rows read: {self.rows:,}",
            f"created: {self.created:,}" + (f" ({verb}created)" if self.dry_run else ""),
            f"updated: {self.updated:,}",
            f"unchanged: {self.unchanged:,}",
            f"skipped: {self.skipped_total:,}",
        ]
        out += [f"  {count:,} {reason}" for reason, count in self.skipped.most_common()]
        out.append(f"rejected: {len(self.rejected):,}")
        out += [f"  line {p.line}: {p.reason}" for p in self.rejected[:50]]
        if len(self.rejected) > 50:
            out.append(f"  ... and {len(self.rejected) - 50:,} more")
        if self.y_codes:
            out.append(self.y_code_note())
        if self.malformed:
            out.append(f"malformed: {len(self.malformed):,} (nothing was written)")
            out += [f"  line {p.line}: {p.reason}" for p in self.malformed[:50]]
        return out


def _unreadable(data: bytes, at: int, reason: str) -> ImportFailed:
    """A file that is not CSV text, reported at the line holding byte ``at``."""
    line = data.count(b"\n", 0, at) + 1
    return ImportFailed(ImportSummary(malformed=[RowProblem(line, reason)]))


def open_text(data: bytes | str) -> io.StringIO:
    """Decode an uploaded file: UTF-8 (with or without a byte-order mark),
    falling back to Windows-1252, which older NHS downloads use. Anything else
    (a PDF, a workbook, binary) is refused with ImportFailed rather than read
    as mojibake. The rule is ``fedportal.files.csv_text``, which the upload
    check applies to a file's start: what the imports page refuses, this
    refuses too."""
    if isinstance(data, str):
        return io.StringIO(data)
    try:
        return io.StringIO(csv_text(data))
    except NotCsv as problem:
        raise _unreadable(data, problem.at, problem.reason) from None


def title_case(text: str) -> str:
    """'THE WYCLIFFE MEDICAL PRACTICE' -> 'The Wycliffe Medical Practice', the
    same every time so that re-imports compare equal."""
    words = []
    for index, word in enumerate(text.strip().split()):
        bare = re.sub(r"[^A-Za-z]", "", word).upper()
        if bare in KEEP_UPPER or re.fullmatch(r"[A-Z]{1,2}\d[A-Z\d]?", word) or word == "&":
            words.append(word.upper())
        elif index and word.lower() in KEEP_LOWER:
            words.append(word.lower())
        else:
            words.append(
                re.sub(
                    r"[A-Za-z]+('[A-Za-z]+)?",
                    lambda m: m.group(0)[0].upper() + m.group(0)[1:].lower(),
                    word,
                )
            )
    return " ".join(words)


def parse_ods_date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    return datetime.strptime(value, "%Y%m%d").date()


def _csv_problem(error: csv.Error) -> str:
    """What the csv module's complaint means for someone holding the file."""
    text = str(error)
    if text.startswith("field larger than field limit"):
        return f"a field is longer than {csv.field_size_limit():,} characters (is a closing quote missing?)"
    if text == "unexpected end of data":
        return "a quoted field starting on this line is never closed"
    if text.startswith("',' expected after '\"'"):
        return 'a quote is out of place: a closing quote is missing, or a quote inside a field is not doubled ("")'
    return f"the CSV cannot be read ({text})"


def read_csv(lines: Iterable[str], summary: ImportSummary) -> Iterator[tuple[int, list[str]]]:
    """Each row with the file line it starts on. Strict, so that a stray quote
    is a malformed row rather than fields silently run together; a row the
    csv module cannot read is noted as malformed and ends the reading, as the
    lines after a broken quote cannot be trusted."""
    reader = csv.reader(lines, strict=True)
    while True:
        line = reader.line_num + 1
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            summary.malformed.append(RowProblem(line, _csv_problem(error)))
            return
        yield line, row


def _progress(callback: Callable[[int], None] | None, count: int) -> None:
    if callback is not None and count % PROGRESS_EVERY == 0:
        callback(count)


# --- ODS epraccur -----------------------------------------------------------

PRACTICE_FIELDS = ["name", "address", "postcode", "status", "open_date", "close_date", "commissioner_code"]


def _epraccur_record(row: list[str]) -> dict:
    status_code = row[12].strip().upper()
    if status_code not in ODS_STATUS:
        raise ValueError(f"unknown status code {status_code!r} (expected A, C, D or P)")
    try:
        open_date = parse_ods_date(row[10])
        close_date = parse_ods_date(row[11])
    except ValueError as error:
        raise ValueError(f"a date is not YYYYMMDD ({row[10]!r}, {row[11]!r})") from error
    address = "\n".join(title_case(part) for part in row[4:9] if part.strip())
    return {
        "name": title_case(row[1]),
        "address": address,
        "postcode": normalise_postcode(row[9]),
        "status": ODS_STATUS[status_code].value,
        "open_date": open_date,
        "close_date": close_date,
        "commissioner_code": row[14].strip().upper(),
    }


def _flag(code: str, record: dict) -> str:
    """Why staff may want to leave a row out: a Y-code (an asylum service, a
    walk-in centre) or a practice the file says is not open."""
    if code.startswith("Y"):
        return "Y-code: not a GP practice in the usual sense"
    if record["status"] in (ODS_STATUS["C"], ODS_STATUS["D"]):
        return f"{record['status']} in the file"
    return ""


def import_practices(
    lines: Iterable[str],
    *,
    commissioner: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> ImportSummary:
    """Create or update practices from an ODS epraccur file (no header row,
    27 quoted fields). Only GP practices (prescribing setting 4) go in;
    ``commissioner`` narrows the import to one CCG's practices; the ODS
    codes in ``exclude`` are those staff left out at the preview."""
    summary = ImportSummary(dry_run=dry_run)
    commissioner = (commissioner or "").strip().upper() or None
    incoming: dict[str, tuple[int, dict]] = {}
    for line_number, row in read_csv(lines, summary):
        summary.rows += 1
        _progress(progress, line_number)
        if not row or not any(cell.strip() for cell in row):
            summary.skipped["blank line"] += 1
            continue
        if len(row) != EPRACCUR_COLUMNS:
            summary.malformed.append(
                RowProblem(line_number, f"expected {EPRACCUR_COLUMNS} fields, found {len(row)}")
            )
            continue
        # The commissioner first, so that the reasons a commissioner's import
        # gives (out of hours, community...) are about its own rows.
        if commissioner and row[14].strip().upper() != commissioner:
            summary.skipped[f"commissioner other than {commissioner}"] += 1
            continue
        setting = row[25].strip()
        if setting != GP_PRACTICE_SETTING:
            kind = PRESCRIBING_SETTINGS.get(setting, f"setting {setting or 'blank'}")
            summary.skipped[f"not a GP practice ({kind})"] += 1
            continue
        code = row[0].strip().upper()
        try:
            record = _epraccur_record(row)
        except ValueError as error:
            summary.malformed.append(RowProblem(line_number, f"{code}: {error}"))
            continue
        try:
            validate_ods_code(code)
        except Exception:
            summary.rejected.append(RowProblem(line_number, f"{code!r} is not a GP practice ODS code"))
            continue
        if record["close_date"] and record["open_date"] and record["close_date"] < record["open_date"]:
            summary.rejected.append(RowProblem(line_number, f"{code}: closes before it opens"))
            continue
        if code in incoming:
            summary.rejected.append(
                RowProblem(line_number, f"{code} appears twice (first at line {incoming[code][0]})")
            )
            continue
        incoming[code] = (line_number, record)

    if summary.malformed:
        raise ImportFailed(summary)

    existing = Practice.objects.in_bulk(list(incoming), field_name="ods_code")
    to_create, to_update = [], []
    now = timezone.now()  # bulk_update does not run auto_now
    for code, (_line, record) in incoming.items():
        practice = existing.get(code)
        if practice is None:
            if summary.left_out(code, exclude):
                continue
            to_create.append(Practice(ods_code=code, **record))
            summary.created += 1
            summary.note_change(f"new practice {code} {record['name']} ({record['status']})")
            summary.offer(
                code, f"New: {code} {record['name']} ({record['status']})", flag=_flag(code, record)
            )
            continue
        if summary.left_out(code, exclude):
            continue
        changes_before = len(summary.changes)
        if summary.apply(practice, record, PRACTICE_FIELDS, code=code, now=now):
            to_update.append(practice)
            noted = "; ".join(summary.changes[changes_before:]) or f"{code} changed"
            summary.offer(code, f"Changed: {noted}", flag=_flag(code, record))

    # Only those this import creates or changes: a re-run names none again.
    summary.y_codes = [
        f"{p.ods_code} {p.name}" for p in [*to_create, *to_update] if p.ods_code.startswith("Y")
    ]
    if not dry_run:
        with transaction.atomic():
            Practice.objects.bulk_create(to_create, batch_size=1000)
            Practice.objects.bulk_update(to_update, [*PRACTICE_FIELDS, "updated_at"], batch_size=1000)
    return summary


# --- Patients Registered at a GP Practice -------------------------------------

# Each field the importer needs, with every header NHS Digital has used for it.
LIST_SIZE_HEADERS = {
    "extract_date": ("EXTRACT_DATE",),
    "type": ("TYPE", "ORG_TYPE"),
    "code": ("CODE", "ORG_CODE", "PRACTICE_CODE"),
    "sex": ("SEX",),
    "age": ("AGE", "AGE_GROUP_5"),
    "patients": ("NUMBER_OF_PATIENTS",),
}
EXTRACT_DATE_FORMATS = ("%d%b%Y", "%Y-%m-%d", "%d/%m/%Y", "%d-%b-%Y", "%d-%b-%y", "%Y%m%d")


def parse_extract_date(value: str) -> date:
    """01JAN2021, 01May2022, 2026-04-01 and the other ways the files write it."""
    text = value.strip()
    for pattern in EXTRACT_DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"unrecognised extract date {value!r}")


def _header_positions(header: list[str]) -> dict[str, int]:
    names = [name.strip().lstrip("\ufeff").upper() for name in header]
    positions, missing = {}, []
    for key, variants in LIST_SIZE_HEADERS.items():
        found = next((names.index(v) for v in variants if v in names), None)
        if found is None:
            missing.append("/".join(variants))
        else:
            positions[key] = found
    if missing:
        raise ValueError("missing column " + ", ".join(missing))
    return positions


def import_list_sizes(
    lines: Iterable[str],
    *,
    dry_run: bool = False,
    source: str = "",
    progress: Callable[[int], None] | None = None,
    exclude: frozenset[str] | set[str] = frozenset(),
) -> ImportSummary:
    """Add registered list sizes from a "Patients Registered at a GP Practice"
    file. Only practice totals (TYPE=GP, SEX=ALL, AGE=ALL) are figures; rows for
    practices not in the portal are counted and skipped; the figures in
    ``exclude`` ("C82001:2019-01-01") are those staff left out at the preview."""
    summary = ImportSummary(dry_run=dry_run)
    rows = read_csv(lines, summary)
    _, header = next(rows, (1, None))
    if header is None:
        if not summary.malformed:
            summary.malformed.append(RowProblem(1, "the file is empty"))
        raise ImportFailed(summary)
    try:
        at = _header_positions(header)
    except ValueError as error:
        summary.malformed.append(RowProblem(1, f"not a registered-patients file: {error}"))
        raise ImportFailed(summary) from None

    incoming: dict[tuple[str, date], tuple[int, int]] = {}
    for line_number, row in rows:
        summary.rows += 1
        _progress(progress, line_number)
        if not row or not any(cell.strip() for cell in row):
            summary.skipped["blank line"] += 1
            continue
        # Trailing empty cells are harmless; any other difference from the
        # header means the columns have shifted (an unquoted comma, say), and
        # reading on would put values under the wrong headings.
        while len(row) > len(header) and not row[-1].strip():
            row.pop()
        if len(row) != len(header):
            summary.malformed.append(
                RowProblem(line_number, f"expected {len(header)} fields, found {len(row)}")
            )
            continue
        kind, sex, age = (row[at[k]].strip().upper() for k in ("type", "sex", "age"))
        if kind != "GP" or sex != "ALL" or age != "ALL":
            summary.skipped["not a practice total (TYPE=GP, SEX=ALL, AGE=ALL)"] += 1
            continue
        code = row[at["code"]].strip().upper()
        try:
            as_at = parse_extract_date(row[at["extract_date"]])
        except ValueError as error:
            summary.malformed.append(RowProblem(line_number, f"{code}: {error}"))
            continue
        raw_count = row[at["patients"]].strip().replace(",", "")
        # Not str.isdigit(): it passes "²", which int() refuses. Nine digits
        # stay inside the database column (2,147,483,647 at most).
        if not re.fullmatch(r"[0-9]{1,9}", raw_count):
            summary.malformed.append(
                RowProblem(
                    line_number,
                    f"{code}: NUMBER_OF_PATIENTS {raw_count!r} is not a whole number from 0 to 999,999,999",
                )
            )
            continue
        patients = int(raw_count)
        key = (code, as_at)
        if key in incoming and incoming[key][1] != patients:
            summary.rejected.append(
                RowProblem(line_number, f"{code} at {as_at:%d/%m/%Y} appears twice with different figures")
            )
            continue
        if key in incoming:
            summary.unchanged += 1
            continue
        incoming[key] = (line_number, patients)

    if summary.malformed:
        raise ImportFailed(summary)

    practices = Practice.objects.in_bulk({code for code, _ in incoming}, field_name="ods_code")
    dates = {as_at for _, as_at in incoming}
    recorded = {
        (code, as_at): patients
        for code, as_at, patients in ListSize.objects.filter(
            practice__ods_code__in=list(practices), as_at__in=dates
        ).values_list("practice__ods_code", "as_at", "registered_patients")
    }
    to_create = []
    for (code, as_at), (line_number, patients) in incoming.items():
        practice = practices.get(code)
        if practice is None:
            summary.skipped["practice not in the portal"] += 1
            continue
        already = recorded.get((code, as_at))
        if already == patients:
            summary.unchanged += 1
        elif already is not None:
            summary.rejected.append(
                RowProblem(
                    line_number,
                    f"{code} at {as_at:%d/%m/%Y} is already recorded as {already:,}; "
                    f"the file says {patients:,} (figures are never overwritten)",
                )
            )
        elif not summary.left_out(f"{code}:{as_at.isoformat()}", exclude):
            to_create.append(
                ListSize(practice=practice, as_at=as_at, registered_patients=patients, source=source[:200])
            )
            summary.created += 1
            text = f"{code} {practice.name}: {patients:,} at {as_at:%d/%m/%Y}"
            summary.note_change(text)
            summary.offer(f"{code}:{as_at.isoformat()}", f"New figure: {text}")

    if not dry_run:
        with transaction.atomic():
            ListSize.objects.bulk_create(to_create, batch_size=2000)
    return summary
