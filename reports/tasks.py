"""Background work of the board's papers: building a board pack, which
renders and merges every paper (seconds to minutes), never in a web
request. Run by the django-tasks database backend's worker
(``manage.py db_worker``, started by ``make run``)."""

import hashlib
import logging

from django.core.files.base import ContentFile

try:  # Django 6 has tasks built in; 5.2 has the backport.
    from django.tasks import task
except ImportError:  # pragma: no cover - the backport
    from django_tasks import task

from fedportal.clock import now as clock_now
from fedportal.files import stored_name
from fedportal.models import User
from reports.models import BoardPack, PackStatus
from reports.packs import PackFailed, build_pack_pdf, pack_file_name

log = logging.getLogger(__name__)


@task()
def build_board_pack(pack_id: int, user_id: int) -> int:
    """Build the pack, keeping its progress on the row for the page to show;
    a failure is kept with its reason (the page offers to try again)."""
    pack = BoardPack.objects.select_related("meeting").get(pk=pack_id)
    user = User.objects.get(pk=user_id)
    BoardPack.objects.filter(pk=pack_id).update(status=PackStatus.BUILDING, progress=5, error="")

    def progress(percent: int) -> None:
        BoardPack.objects.filter(pk=pack_id).update(progress=percent)

    try:
        data, pages = build_pack_pdf(pack, user=user, progress=progress)
    except PackFailed as error:
        BoardPack.objects.filter(pk=pack_id).update(status=PackStatus.FAILED, error=str(error))
        return 0
    except Exception:
        log.exception("board pack %s failed", pack_id)
        BoardPack.objects.filter(pk=pack_id).update(
            status=PackStatus.FAILED,
            error="The pack could not be built because of an error in the portal. Try again; if it "
            "fails again, tell the portal's administrator.",
        )
        return 0
    old = pack.file.name if pack.file else None
    pack.file.save(stored_name(".pdf"), ContentFile(data), save=False)
    pack.original_name = pack_file_name(pack)
    pack.size, pack.sha256, pack.content_type = len(data), hashlib.sha256(data).hexdigest(), "application/pdf"
    pack.page_count, pack.built_at = pages, clock_now()
    pack.status, pack.progress, pack.error = PackStatus.BUILT, 100, ""
    pack.save()
    if old:
        # A rebuilt draft replaces the last draft; published versions are
        # kept apart (PublishedVersion) and never touched.
        pack.file.storage.delete(old)
    return pages
