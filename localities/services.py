"""Writes to localities and practices that views and commands share: a
practice's details, its list sizes, and the imports of NHS data files."""

from datetime import date

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from fedportal.files import CSV, UploadKind, check_upload, save_with_file
from fedportal.forms import full_clean_by_field
from localities.importers import ImportFailed, ImportSummary, import_list_sizes, import_practices, open_text
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


def nhs_file(*, max_bytes: int | None = None) -> UploadKind:
    """What the imports page takes: an NHS data file as NHS Digital and ODS
    publish it, CSV text, at most ``IMPORT_MAX_UPLOAD_BYTES``."""
    return UploadKind(
        types=(CSV,),
        max_bytes=max_bytes or settings.IMPORT_MAX_UPLOAD_BYTES,
        not_accepted="The file must be a CSV file (text), as NHS Digital and ODS publish it.",
    )


def _run_import(run: ImportRun, *, dry_run: bool) -> ImportSummary:
    """Import the file a run keeps, read back from storage."""
    with run.file.open("rb") as stored:
        return _import(run, stored.read(), dry_run=dry_run)


def _import(run: ImportRun, data: bytes, *, dry_run: bool) -> ImportSummary:
    lines = open_text(data)
    if run.kind == ImportKind.PRACTICES:
        return import_practices(lines, commissioner=run.commissioner or None, dry_run=dry_run)
    return import_list_sizes(lines, dry_run=dry_run, source=run.original_name)


@transaction.atomic
def import_run_preview(*, upload, kind: str, commissioner: str, user) -> ImportRun:
    """Store an uploaded NHS file and its dry run, for staff to check before
    applying. Raises ValidationError (by field) for a refused file. The dry
    run reads the upload itself; the file is stored only with the run (and
    removed again if the run cannot be saved)."""
    try:
        checked = check_upload(upload, nhs_file())
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    run = ImportRun(
        kind=kind,
        original_name=checked.original_name,
        commissioner=commissioner if kind == ImportKind.PRACTICES else "",
        uploaded_by=user,
    )
    try:
        run.preview = _import(run, upload.read(), dry_run=True).as_dict()
    except ImportFailed as failure:
        run.preview = failure.summary.as_dict()
        run.status = ImportStatus.FAILED
    finally:
        upload.seek(0)
    save_with_file(run, checked, upload)
    return run


@transaction.atomic
def import_run_apply(*, run_id: int, user) -> ImportRun:
    """Apply a previewed import once; a second confirmation is refused."""
    run = ImportRun.objects.select_for_update().get(pk=run_id)
    if run.status != ImportStatus.PREVIEWED:
        raise ImportAlreadyDecided(f"This import was already {run.get_status_display().lower()}.")
    with pghistory.context(import_run=run.pk, user=user.pk):
        try:
            summary = _run_import(run, dry_run=False)
        except ImportFailed as failure:
            run.result = failure.summary.as_dict()
            run.status = ImportStatus.FAILED
        else:
            run.result = summary.as_dict()
            run.status = ImportStatus.APPLIED
    run.applied_by = user
    run.applied_at = timezone.now()
    run.save()
    return run


# Practices and their list sizes ---------------------------------------------------

DUPLICATE_ODS_CODE = Practice._meta.get_field("ods_code").error_messages["unique"]
ONE_FIGURE_PER_DATE = "one_list_size_per_practice_and_date"
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
    user,
) -> Practice:
    """Add a practice (``practice`` None) or change one's details, as staff
    keep them. The ODS code is kept in capitals and the postcode with its
    space. Raises ValidationError, by field, when the details break a rule: an
    ODS code malformed or already in the portal, a postcode that is not one,
    a close date before the open date."""
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
    full_clean_by_field(practice, constraints={"practice_closes_after_opening": "close_date"})
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
    refused. Raises ValidationError, by field."""
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
