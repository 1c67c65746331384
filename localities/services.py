"""Writes to localities and practices that views and commands share."""

import hashlib

import pghistory
from django.db import transaction
from django.utils import timezone

from localities.importers import ImportFailed, ImportSummary, import_list_sizes, import_practices, open_text
from localities.models import ImportKind, ImportRun, ImportStatus


class ImportAlreadyDecided(Exception):
    """The import was applied (or failed) already: by another tab, or another person."""


def _run_import(run: ImportRun, *, dry_run: bool) -> ImportSummary:
    run.file.open("rb")
    try:
        lines = open_text(run.file.read())
    finally:
        run.file.close()
    if run.kind == ImportKind.PRACTICES:
        return import_practices(lines, commissioner=run.commissioner or None, dry_run=dry_run)
    return import_list_sizes(lines, dry_run=dry_run, source=run.original_name)


@transaction.atomic
def import_run_preview(*, upload, kind: str, commissioner: str, user) -> ImportRun:
    """Store an uploaded NHS file and its dry run, for staff to check before applying."""
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    run = ImportRun(
        kind=kind,
        original_name=upload.name[:255],
        sha256=digest.hexdigest(),
        size=upload.size,
        commissioner=commissioner if kind == ImportKind.PRACTICES else "",
        uploaded_by=user,
    )
    run.file.save(upload.name, upload, save=False)
    try:
        try:
            summary = _run_import(run, dry_run=True)
            run.preview = summary.as_dict()
        except ImportFailed as failure:
            run.preview = failure.summary.as_dict()
            run.status = ImportStatus.FAILED
        run.full_clean()
        run.save()
    except BaseException:
        # The transaction rolls the run back; the stored file would outlive it.
        run.file.delete(save=False)
        raise
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
