"""Import of NHS Digital's ePCN workbook: networks ("PCN Details") and which
practice is in which network from when ("PCN Core Partner Details").

The workbook's quirks (../shared/data/nhs/README.md): "PCN Name" and the
CCG match column are VLOOKUP formulas, read by their cached values
(``data_only``); a practice may belong to a network of another CCG (kept and
flagged); later editions rename the first sheet "PCNDetails", put line
breaks inside header cells and say "Sub ICB Location" for CCG. Sheets are
found by their headers, not their names.

Like the other NHS imports: the whole workbook is read first, compared with
the portal in a handful of queries, and written in bulk in one transaction;
a malformed row stops the import with its sheet and row and nothing is
written; re-importing the same workbook changes nothing. Practices the
portal does not have yet (another CCG's, say) are added with the code and
name the workbook gives, so their membership is kept.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import transaction
from django.utils import timezone
from openpyxl import load_workbook

from localities.importers import PREVIEW_LIMIT, ImportFailed, ImportSummary, RowProblem, title_case
from localities.models import Practice, validate_ods_code
from pcn.models import PCN, PCN_CODE_PATTERN, Membership

PROGRESS_EVERY = 2000
DETAIL_HEADERS = {
    "code": ("PCN CODE",),
    "name": ("PCN NAME",),
    "ccg_code": ("CURRENT CCG CODE", "CCG CODE"),
    "ccg_name": ("CCG NAME", "CURRENT CCG NAME"),
    "open_date": ("OPEN DATE (YYYYMMDD)", "OPEN DATE"),
    "close_date": ("CLOSE DATE", "CLOSE DATE (YYYYMMDD)"),
    "address_1": ("ADDRESS LINE 1",),
    "address_2": ("ADDRESS LINE 2",),
    "address_3": ("ADDRESS LINE 3",),
    "address_4": ("ADDRESS LINE 4",),
    "address_5": ("ADDRESS LINE 5",),
    "postcode": ("POSTCODE",),
}
DETAIL_REQUIRED = ("code", "name", "ccg_code")
PARTNER_HEADERS = {
    "practice": ("PARTNER ORGANISATION CODE",),
    "practice_name": ("PARTNER NAME",),
    "practice_ccg": ("PRACTICE PARENT CCG CODE",),
    "pcn": ("PCN CODE",),
    "pcn_ccg": ("PCN PARENT CCG CODE",),
    "start": ("PRACTICE TO PCN RELATIONSHIP START DATE",),
    "end": ("PRACTICE TO PCN RELATIONSHIP END DATE",),
    "match": ("PRACTICE CCG AND PCN CCG MATCH?", "PRACTICE CCG AND PCN CCG MATCH"),
}
PARTNER_REQUIRED = ("practice", "pcn", "start")
PCN_FIELDS = ["name", "ccg_code", "ccg_name", "open_date", "close_date", "address", "postcode"]


@dataclass
class EPCNSummary(ImportSummary):
    """What an ePCN import did (or would do): networks and memberships apart."""

    memberships_created: int = 0
    memberships_unchanged: int = 0
    memberships_ended: int = 0
    practices_created: int = 0
    other_ccg: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = " (would be)" if self.dry_run else ""
        out = [
            f"rows read: {self.rows:,}",
            f"networks created{verb}: {self.created:,}",
            f"networks updated{verb}: {self.updated:,}",
            f"networks unchanged: {self.unchanged:,}",
            f"memberships created{verb}: {self.memberships_created:,}",
            f"memberships ended{verb}: {self.memberships_ended:,}",
            f"memberships unchanged: {self.memberships_unchanged:,}",
            f"practices added{verb}: {self.practices_created:,}",
            f"members from another CCG: {len(self.other_ccg):,}",
        ]
        out += [f"  {text}" for text in self.other_ccg[:20]]
        out.append(f"skipped: {self.skipped_total:,}")
        out += [f"  {count:,} {reason}" for reason, count in self.skipped.most_common()]
        out.append(f"rejected: {len(self.rejected):,}")
        out += [f"  {p.line}: {p.reason}" for p in self.rejected[:50]]
        if self.malformed:
            out.append(f"malformed: {len(self.malformed):,} (nothing was written)")
            out += [f"  {p.line}: {p.reason}" for p in self.malformed[:50]]
        return out

    def as_dict(self) -> dict:
        data = super().as_dict()
        data["lines"] = self.lines()
        return data


def normalise_header(value) -> str:
    """' PCN\\nCode ' -> 'PCN CODE'; 'Sub ICB Location' and 'Clinical
    Commissioning Group' both -> 'CCG'."""
    text = re.sub(r"\s+", " ", str(value or "")).strip().upper()
    text = text.replace("CLINICAL COMMISSIONING GROUP", "CCG").replace("SUB ICB LOCATION", "CCG")
    return text.replace("SUB-ICB LOCATION", "CCG")


def _positions(header: list[str], wanted: dict) -> dict[str, int]:
    positions = {}
    for key, variants in wanted.items():
        found = next((header.index(v) for v in variants if v in header), None)
        if found is not None:
            positions[key] = found
    return positions


def parse_date(value) -> date | None:
    """20191001, '20191001', '2019-10-01', a datetime cell, or nothing."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    for pattern in ("%Y%m%d", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"{value!r} is not a date (YYYYMMDD)")


def _text(value) -> str:
    return re.sub(r"\s+", " ", str(value)).strip() if value is not None else ""


def _match(value) -> bool | None:
    """The match column's cached value: TRUE/FALSE, or None when the formula
    was never calculated."""
    if isinstance(value, bool):
        return value
    text = _text(value).upper()
    return {"TRUE": True, "FALSE": False, "YES": True, "NO": False}.get(text)


def _sheets(workbook, summary):
    """The details sheet and the partner sheet, found by their headers."""
    details = partners = None
    for sheet in workbook.worksheets:
        first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), None)
        header = [normalise_header(cell) for cell in (first or ())]
        if "PARTNER ORGANISATION CODE" in header:
            partners = (sheet, header)
        elif "PCN CODE" in header and details is None:
            details = (sheet, header)
    if details is None:
        summary.malformed.append(RowProblem(1, "no sheet of PCN details (a header row with 'PCN Code')"))
    if partners is None:
        summary.malformed.append(
            RowProblem(1, "no sheet of core partners (a header row with 'Partner Organisation Code')")
        )
    if summary.malformed:
        raise ImportFailed(summary)
    return details, partners


def _where(sheet, row: int) -> str:
    return f"sheet {sheet.title!r} row {row}"


def _read_details(sheet, header, summary, ccg, progress) -> dict[str, tuple[str, dict]]:
    at = _positions(header, DETAIL_HEADERS)
    missing = [DETAIL_HEADERS[k][0] for k in DETAIL_REQUIRED if k not in at]
    if missing:
        summary.malformed.append(
            RowProblem(f"sheet {sheet.title!r} row 1", "missing column " + ", ".join(missing))
        )
        raise ImportFailed(summary)
    incoming: dict[str, tuple[str, dict]] = {}
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or not any(cell not in (None, "") for cell in row):
            continue
        summary.rows += 1
        if progress and summary.rows % PROGRESS_EVERY == 0:
            progress(summary.rows)

        def cell(key, row=row):
            return row[at[key]] if key in at and at[key] < len(row) else None

        where = _where(sheet, number)
        code = _text(cell("code")).upper()
        if not re.match(PCN_CODE_PATTERN, code):
            summary.malformed.append(RowProblem(where, f"{code!r} is not a PCN code (U and five digits)"))
            continue
        ccg_code = _text(cell("ccg_code")).upper()
        if ccg and ccg_code != ccg:
            summary.skipped[f"network of a CCG other than {ccg}"] += 1
            continue
        try:
            open_date, close_date = parse_date(cell("open_date")), parse_date(cell("close_date"))
        except ValueError as error:
            summary.malformed.append(RowProblem(where, f"{code}: {error}"))
            continue
        name = _text(cell("name"))
        if not name:
            # A formula never calculated has no cached value.
            summary.malformed.append(RowProblem(where, f"{code}: no PCN name (an uncalculated formula?)"))
            continue
        if code in incoming:
            summary.rejected.append(RowProblem(where, f"{code} appears twice (first at {incoming[code][0]})"))
            continue
        address = "\n".join(
            title_case(_text(cell(f"address_{n}"))) for n in range(1, 6) if _text(cell(f"address_{n}"))
        )
        incoming[code] = (
            where,
            {
                "name": title_case(name),
                "ccg_code": ccg_code[:5],
                "ccg_name": _ccg_name(_text(cell("ccg_name"))),
                "open_date": open_date,
                "close_date": close_date,
                "address": address,
                "postcode": _text(cell("postcode")).upper()[:8],
            },
        )
    return incoming


def _ccg_name(text: str) -> str:
    return title_case(text)[:200] if text else ""


@dataclass
class PartnerRow:
    where: str
    practice: str
    practice_name: str
    practice_ccg: str
    pcn: str
    start: date
    end: date | None
    other_ccg: bool


def _read_partners(sheet, header, summary, pcn_codes: set[str], ccg, progress) -> list[PartnerRow]:
    at = _positions(header, PARTNER_HEADERS)
    missing = [PARTNER_HEADERS[k][0] for k in PARTNER_REQUIRED if k not in at]
    if missing:
        summary.malformed.append(
            RowProblem(f"sheet {sheet.title!r} row 1", "missing column " + ", ".join(missing))
        )
        raise ImportFailed(summary)
    rows = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not row or not any(cell not in (None, "") for cell in row):
            continue
        summary.rows += 1
        if progress and summary.rows % PROGRESS_EVERY == 0:
            progress(summary.rows)

        def cell(key, row=row):
            return row[at[key]] if key in at and at[key] < len(row) else None

        where = _where(sheet, number)
        code, pcn = _text(cell("practice")).upper(), _text(cell("pcn")).upper()
        if pcn not in pcn_codes:
            if ccg:
                summary.skipped[f"member of a network of a CCG other than {ccg}"] += 1
            else:
                summary.rejected.append(
                    RowProblem(where, f"{code} is a member of {pcn}, which is not in the details sheet")
                )
            continue
        try:
            validate_ods_code(code)
        except Exception:
            summary.rejected.append(RowProblem(where, f"{code!r} is not a GP practice ODS code"))
            continue
        try:
            start, end = parse_date(cell("start")), parse_date(cell("end"))
        except ValueError as error:
            summary.malformed.append(RowProblem(where, f"{code}: {error}"))
            continue
        if start is None:
            summary.malformed.append(RowProblem(where, f"{code}: no relationship start date"))
            continue
        if end is not None and end < start:
            summary.rejected.append(
                RowProblem(where, f"{code}: the membership of {pcn} ends before it starts")
            )
            continue
        practice_ccg, pcn_ccg = _text(cell("practice_ccg")).upper(), _text(cell("pcn_ccg")).upper()
        match = _match(cell("match"))
        if match is None:  # uncalculated: compare the codes, as the formula does
            match = not practice_ccg or not pcn_ccg or practice_ccg == pcn_ccg
        rows.append(
            PartnerRow(
                where,
                code,
                title_case(_text(cell("practice_name"))),
                practice_ccg[:5],
                pcn,
                start,
                end,
                not match,
            )
        )
    return rows


def _overlaps(a_start, a_end, b_start, b_end) -> bool:
    return a_start <= (b_end or date.max) and b_start <= (a_end or date.max)


def import_epcn(
    path,
    *,
    ccg: str | None = None,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
) -> EPCNSummary:
    """Create or update networks and memberships from an ePCN workbook (a
    path or a binary file). ``ccg`` narrows it to one CCG's networks (their
    members from other CCGs included)."""
    summary = EPCNSummary(dry_run=dry_run)
    ccg = (ccg or "").strip().upper() or None
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # not a workbook at all: a CSV, a PDF, a damaged file
        summary.malformed.append(RowProblem(1, f"the file is not an Excel workbook ({type(error).__name__})"))
        raise ImportFailed(summary) from None
    try:
        (detail_sheet, detail_header), (partner_sheet, partner_header) = _sheets(workbook, summary)
        incoming = _read_details(detail_sheet, detail_header, summary, ccg, progress)
        partners = _read_partners(partner_sheet, partner_header, summary, set(incoming), ccg, progress)
    finally:
        workbook.close()
    if summary.malformed:
        raise ImportFailed(summary)

    with transaction.atomic():
        pcns = _apply_pcns(incoming, summary)
        _apply_memberships(partners, pcns, summary)
        if dry_run:
            transaction.set_rollback(True)
    return summary


def _apply_pcns(incoming: dict, summary: EPCNSummary) -> dict[str, PCN]:
    existing = PCN.objects.in_bulk(list(incoming), field_name="code")
    to_create, to_update, now = [], [], timezone.now()
    for code, (_where, record) in incoming.items():
        pcn = existing.get(code)
        if pcn is None:
            pcn = PCN(code=code, **record)
            to_create.append(pcn)
            existing[code] = pcn
            summary.created += 1
            summary.note_change(f"new network {code} {record['name']}")
            continue
        if summary.apply(pcn, record, PCN_FIELDS, code=code, now=now):
            to_update.append(pcn)
    PCN.objects.bulk_create(to_create, batch_size=1000)
    PCN.objects.bulk_update(to_update, [*PCN_FIELDS, "updated_at"], batch_size=1000)
    return existing


def _apply_memberships(partners: list[PartnerRow], pcns: dict[str, PCN], summary: EPCNSummary) -> None:
    codes = {row.practice for row in partners}
    practices = Practice.objects.in_bulk(list(codes), field_name="ods_code")
    new_practices = []
    for row in partners:
        if row.practice not in practices:
            practice = Practice(
                ods_code=row.practice,
                name=row.practice_name or row.practice,
                commissioner_code=row.practice_ccg,
            )
            practices[row.practice] = practice
            new_practices.append(practice)
            summary.note_change(
                f"new practice {row.practice} {practice.name} (commissioner {row.practice_ccg or '—'})"
            )
    Practice.objects.bulk_create(new_practices, batch_size=1000)
    summary.practices_created = len(new_practices)

    by_practice: dict[int, list[Membership]] = {}
    for membership in Membership.objects.filter(
        practice__in=[p.pk for p in practices.values()]
    ).select_related("pcn"):
        by_practice.setdefault(membership.practice_id, []).append(membership)
    to_create, to_end = [], []
    for row in partners:
        practice, pcn = practices[row.practice], pcns[row.pcn]
        held = by_practice.setdefault(practice.pk, [])
        same = next(
            (
                m
                for m in held
                if m.pcn_id == pcn.pk and _overlaps(m.start_date, m.end_date, row.start, row.end)
            ),
            None,
        )
        if row.other_ccg:
            summary.other_ccg.append(
                f"{row.practice} {practice.name} ({row.practice_ccg or '—'}) in {pcn.code} {pcn.name}"
            )
        if same is not None:
            # Already recorded (perhaps from an earlier date the portal knew of).
            if row.end and same.end_date is None:
                same.end_date = max(row.end, same.start_date)
                to_end.append(same)
                summary.memberships_ended += 1
            else:
                summary.memberships_unchanged += 1
            continue
        clash = next((m for m in held if _overlaps(m.start_date, m.end_date, row.start, row.end)), None)
        if clash is not None:
            if clash.end_date is None and clash.start_date < row.start and clash.pk is not None:
                # A move: the old membership ends the day before the new one starts.
                clash.end_date = row.start - timedelta(days=1)
                to_end.append(clash)
                summary.memberships_ended += 1
                summary.note_change(f"{row.practice} leaves {clash.pcn.code} on {clash.end_date:%d/%m/%Y}")
            else:
                other = pcns.get(row.pcn)
                summary.rejected.append(
                    RowProblem(
                        row.where,
                        f"{row.practice} would be in {clash.pcn.code} and {other.code} on the same dates",
                    )
                )
                continue
        membership = Membership(
            practice=practice,
            pcn=pcn,
            start_date=row.start,
            end_date=row.end,
            other_ccg=row.other_ccg,
            practice_ccg_code=row.practice_ccg,
        )
        membership.pcn = pcn
        held.append(membership)
        to_create.append(membership)
        summary.memberships_created += 1
        if len(summary.changes) < PREVIEW_LIMIT:
            summary.note_change(f"{row.practice} joins {pcn.code} from {row.start:%d/%m/%Y}")
    Membership.objects.bulk_update(to_end, ["end_date"], batch_size=1000)
    Membership.objects.bulk_create(to_create, batch_size=2000)
