"""Reads of the localities app that span models or need the user, for views
and for the reports composed over them (reports/selectors.py). Each takes the
user, so that what it returns is always in their scope."""

from django.db.models import QuerySet

from fedportal.permissions import can_run_imports
from localities.models import ImportRun


def import_runs(*, user) -> QuerySet[ImportRun]:
    """The imports of NHS data files, newest first, with who uploaded and who
    applied each: every import for those who run them (staff), none for
    anyone else."""
    if not can_run_imports(user)[0]:
        return ImportRun.objects.none()
    return ImportRun.objects.select_related("uploaded_by", "applied_by").order_by("-uploaded_at")
