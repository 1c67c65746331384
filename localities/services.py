"""Writes to localities and practices that views and commands share: a
practice's details, its list sizes, and the imports of NHS data files."""

import csv
import re
from datetime import date

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from fedportal import clock, formats
from fedportal.files import (
    CSV,
    TEXT_HEAD_BYTES,
    FileType,
    NotCsv,
    UploadKind,
    check_upload,
    csv_text,
    save_with_file,
)
from fedportal.forms import full_clean_by_field
from fedportal.importers import ImporterKind, importer, recognised_kind, registered_importers
from localities.importers import (
    EPRACCUR_COLUMNS,
    ImportFailed,
    import_list_sizes,
    import_practices,
    open_text,
)
from localities.models import (
    ImportKind,
    ImportRun,
    ImportStatus,
    ListSize,
    Locality,
    Practice,
    PracticeStatus,
)


class ImportAlreadyDecided(Exception):
    """The import was applied (or failed) already: by another tab, or another person."""


def nhs_file(*, max_bytes: int | None = None, types: tuple[FileType, ...] | None = None) -> UploadKind:
    """What the imports page takes: the files its registered kinds read (CSV
    text as NHS Digital and ODS publish it, the ePCN workbook), at most
    ``IMPORT_MAX_UPLOAD_BYTES``."""
    types = types or tuple(dict.fromkeys(t for kind in registered_importers() for t in kind.types)) or (CSV,)
    return UploadKind(
        types=types,
        max_bytes=max_bytes or settings.IMPORT_MAX_UPLOAD_BYTES,
        not_accepted=f"The file must be {' or '.join(t.name for t in types)}, as NHS Digital and ODS publish it.",
    )


# The importers of localities' own kinds, registered in LocalitiesConfig.ready.


def _run_practices(
    data: bytes, *, commissioner: str = "", source: str = "", dry_run: bool, exclude=frozenset()
):
    return import_practices(
        open_text(data), commissioner=commissioner or None, dry_run=dry_run, exclude=exclude
    )


def _run_list_sizes(
    data: bytes, *, commissioner: str = "", source: str = "", dry_run: bool, exclude=frozenset()
):
    return import_list_sizes(open_text(data), dry_run=dry_run, source=source, exclude=exclude)


def _first_row(data: bytes) -> list[str]:
    try:
        text = csv_text(data[:TEXT_HEAD_BYTES], complete=False)
    except NotCsv:
        return []
    first = text.splitlines()[0] if text else ""
    try:
        return next(csv.reader([first]), [])
    except csv.Error:
        return []


def looks_like_epraccur(data: bytes) -> bool:
    """No header; 27 fields, an organisation code first."""
    row = _first_row(data)
    return len(row) == EPRACCUR_COLUMNS and bool(re.fullmatch(r"[A-Z0-9]{3,8}", row[0].strip().upper()))


def looks_like_list_sizes(data: bytes) -> bool:
    """A header naming the registered-patients columns."""
    header = {cell.strip().lstrip("\ufeff").upper() for cell in _first_row(data)}
    return "NUMBER_OF_PATIENTS" in header or "EXTRACT_DATE" in header


PRACTICES_IMPORTER = ImporterKind(
    name=ImportKind.PRACTICES,
    label=ImportKind.PRACTICES.label,
    types=(CSV,),
    run=_run_practices,
    recognise=looks_like_epraccur,
    takes_commissioner=True,
    position=10,
)
LIST_SIZES_IMPORTER = ImporterKind(
    name=ImportKind.LIST_SIZES,
    label=ImportKind.LIST_SIZES.label,
    types=(CSV,),
    run=_run_list_sizes,
    recognise=looks_like_list_sizes,
    position=20,
)


def _run_import(run: ImportRun, *, dry_run: bool, exclude=frozenset()):
    """Import the file a run keeps, read back from storage."""
    with run.file.open("rb") as stored:
        return _import(run, stored.read(), dry_run=dry_run, exclude=exclude)


def _import(run: ImportRun, data: bytes, *, dry_run: bool, exclude=frozenset()):
    kind = importer(run.kind)
    return kind.run(
        data, commissioner=run.commissioner, source=run.original_name, dry_run=dry_run, exclude=exclude
    )


def _wrong_kind(data: bytes, chosen: ImporterKind) -> str | None:
    """One sentence for a file uploaded as the wrong kind, rather than a
    line-by-line account of how it is not the chosen one."""
    if chosen.recognise(data):
        return None
    looks_like = recognised_kind(data)
    if looks_like is None or looks_like.name == chosen.name:
        return None
    return (
        f"This file looks like “{looks_like.label}”, not “{chosen.label}”: "
        "choose what the file is again, or upload the other file."
    )


@transaction.atomic
def import_run_preview(*, upload, kind: str, commissioner: str, user) -> ImportRun:
    """Store an uploaded NHS file and its dry run, for staff to check before
    applying. Raises ValidationError (by field) for a refused file, and for a
    file of another kind than chosen (naming the kind it looks like). The dry
    run reads the upload itself; the file is stored only with the run (and
    removed again if the run cannot be saved)."""
    chosen = importer(kind)
    if chosen is None:
        raise ValidationError({"kind": ["Choose what the file is."]})
    try:
        checked = check_upload(upload, nhs_file())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    data = upload.read()
    upload.seek(0)
    if problem := _wrong_kind(data, chosen):
        raise ValidationError({"kind": [problem]})
    if checked.content_type not in {file_type.content_type for file_type in chosen.types}:
        names = " or ".join(file_type.name for file_type in chosen.types)
        raise ValidationError({"file": [f"“{chosen.label}” is a {names} file."]})
    run = ImportRun(
        kind=kind,
        original_name=checked.original_name,
        commissioner=commissioner if chosen.takes_commissioner else "",
        uploaded_by=user,
    )
    try:
        run.preview = _import(run, data, dry_run=True).as_dict()
    except ImportFailed as failure:
        run.preview = failure.summary.as_dict()
        run.status = ImportStatus.FAILED
    save_with_file(run, checked, upload)
    # Stamped on the portal's clock (fedportal.clock.now), which the column's
    # auto_now_add, the real clock, would not be in the demo.
    run.uploaded_at = clock.now()
    ImportRun.objects.filter(pk=run.pk).update(uploaded_at=run.uploaded_at)
    return run


@transaction.atomic
def import_run_apply(*, run_id: int, user, included: set[str] | None = None) -> ImportRun:
    """Apply a previewed import once; a second confirmation is refused.
    ``included`` is the rows staff kept ticked of those the preview offered
    (``ImportSummary.choices``; None: every row): the others are left out,
    and the rest of the file goes in, all in one transaction."""
    run = ImportRun.objects.select_for_update().get(pk=run_id)
    if run.status != ImportStatus.PREVIEWED:
        raise ImportAlreadyDecided(f"This import was already {run.get_status_display().lower()}.")
    offered = run.preview.get("choices", []) if included is not None else []
    exclude = frozenset(choice["key"] for choice in offered if choice["key"] not in included)
    with pghistory.context(import_run=run.pk, user=user.pk):
        try:
            summary = _run_import(run, dry_run=False, exclude=exclude)
        except ImportFailed as failure:
            run.result = failure.summary.as_dict()
            run.status = ImportStatus.FAILED
        else:
            run.result = summary.as_dict()
            run.result["left_out"] = sorted(exclude)
            run.status = ImportStatus.APPLIED
    run.applied_by = user
    run.applied_at = clock.now()
    run.save()
    return run


# Practices and their list sizes ---------------------------------------------------

DUPLICATE_ODS_CODE = Practice._meta.get_field("ods_code").error_messages["unique"]
ONE_FIGURE_PER_DATE = "one_list_size_per_practice_and_date"
FUTURE_FIGURE = "The date must be today or in the past: today is {today}."
ALREADY_RECORDED = (
    "A list size for this practice at this date is already recorded; figures are never overwritten."
)


@transaction.atomic
def practice_save(
    *,
    practice: Practice | None = None,
    ods_code: str,
    name: str,
    address: str = "",
    postcode: str = "",
    locality: Locality | None = None,
    commissioner_code: str = "",
    status: str = PracticeStatus.OPEN,
    open_date: date | None = None,
    close_date: date | None = None,
    is_shareholder: bool = False,
    member_from: date | None = None,
    member_until: date | None = None,
    user,
) -> Practice:
    """Add a practice (``practice`` None) or change one's details, as staff
    keep them. The ODS code is kept in capitals and the postcode with its
    space. Raises ValidationError, by field, when the details break a rule: an
    ODS code malformed or already in the portal, a postcode that is not one,
    a close date before the open date, a membership ending before it
    starts. Membership (``member_from``) is the federation's decision: only
    members count in its figures and are offered on its forms."""
    practice = practice if practice is not None else Practice()
    practice.ods_code = ods_code.strip().upper()
    practice.name = name.strip()
    practice.address = address.strip()
    practice.postcode = postcode.strip()
    practice.locality = locality
    practice.commissioner_code = commissioner_code.strip()
    practice.status = status
    practice.open_date = open_date
    practice.close_date = close_date
    practice.is_shareholder = is_shareholder
    practice.member_from = member_from
    practice.member_until = member_until
    full_clean_by_field(
        practice,
        constraints={
            "practice_closes_after_opening": "close_date",
            "practice_membership_ends_after_start": "member_until",
        },
    )
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                practice.save()
        except IntegrityError as error:  # the same code saved a moment ago by someone else
            raise ValidationError({"ods_code": [DUPLICATE_ODS_CODE]}) from error
    return practice


@transaction.atomic
def list_size_add(
    *, practice: Practice, as_at: date, registered_patients: int, source: str = "", user
) -> ListSize:
    """Record a practice's registered patients at a date. Figures are added,
    never overwritten: a second figure for the same practice and date is
    refused, and so is one dated after today (it would become "the list size"
    on a day not yet reached; an imported extract keeps its own date). Raises
    ValidationError, by field."""
    if as_at > clock.today():
        raise ValidationError({"as_at": [FUTURE_FIGURE.format(today=formats.day(clock.today()))]})
    figure = ListSize(
        practice=practice, as_at=as_at, registered_patients=registered_patients, source=source.strip()
    )
    full_clean_by_field(
        figure,
        constraints={ONE_FIGURE_PER_DATE: "as_at"},
        messages={("as_at", ONE_FIGURE_PER_DATE): ALREADY_RECORDED},
    )
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                figure.save()
        except IntegrityError as error:  # the same figure recorded a moment ago by someone else
            raise ValidationError({"as_at": [ALREADY_RECORDED]}) from error
    return figure
