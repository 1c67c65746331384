"""Writes to the board's papers. Each runs in one transaction under a
pghistory context naming the user, owns its rules (forms check input only)
and raises ValidationError by field."""

from datetime import date

import pghistory
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max

from fedportal import clock
from fedportal.clock import now as clock_now
from fedportal.files import PDF, MiB, UploadKind, check_upload, save_with_file
from fedportal.forms import full_clean_by_field
from reports.models import (
    AgendaItem,
    Attendee,
    BoardAction,
    BoardMeeting,
    BoardPack,
    CooReport,
    Milestone,
    MilestoneStatus,
    PackStatus,
    Paper,
    PaperKind,
    PublishedVersion,
    Risk,
    Workstream,
    WorkstreamUpdate,
    milestone_status,
)

# Board papers are PDFs: they are merged into the pack as they are.
PAPER_UPLOAD = UploadKind(types=(PDF,), max_bytes=20 * MiB)
# What publishing keeps: a report or a whole pack, checked as any kept PDF is.
PUBLISHED_PDF = UploadKind(types=(PDF,), max_bytes=500 * MiB)


def _save(instance, user, fields: dict, constraints: dict | None = None):
    for name, value in fields.items():
        setattr(instance, name, value.strip() if isinstance(value, str) else value)
    full_clean_by_field(instance, constraints=constraints)
    with pghistory.context(user=user.pk):
        instance.save()
    return instance


@transaction.atomic
def workstream_save(*, user, workstream: Workstream | None = None, **fields) -> Workstream:
    """Create or change a workstream (a section of the COO report)."""
    return _save(workstream or Workstream(), user, fields, {"reports_workstream_title_unique": "title"})


def first_of_month(day: date) -> date:
    return day.replace(day=1)


@transaction.atomic
def update_save(*, user, workstream: Workstream, month: date, body: str) -> WorkstreamUpdate:
    """Write (or rewrite) a workstream's update for a month. A month whose
    report has been published can still be corrected: the next published
    version carries the change, the old one stays as it was."""
    if workstream.archived:
        raise ValidationError({"body": "This workstream is archived: restore it to report on it."})
    if not body.strip():
        raise ValidationError({"body": "Enter the update."})
    month = first_of_month(month)
    update = WorkstreamUpdate.objects.filter(workstream=workstream, month=month).first()
    update = update or WorkstreamUpdate(workstream=workstream, month=month)
    update.updated_by = user
    return _save(update, user, {"body": body}, {"reports_one_update_per_month": "month"})


SLIPPED = (MilestoneStatus.AT_RISK, MilestoneStatus.OVERDUE)


@transaction.atomic
def milestone_save(
    *, user, workstream: Workstream, milestone: Milestone | None = None, **fields
) -> Milestone:
    """Create or change a milestone. One that slips (forecast after its due
    date, or past it and not done) needs an exception note."""
    milestone = milestone or Milestone(workstream=workstream)
    status = milestone_status(
        due_date=fields["due_date"],
        completed_on=fields.get("completed_on"),
        forecast_date=fields.get("forecast_date"),
        on=clock.today(),
    )
    if status in SLIPPED and not (fields.get("exception_note") or "").strip():
        raise ValidationError(
            {"exception_note": "This milestone has slipped: say why and what is being done about it."}
        )
    return _save(milestone, user, fields, {"reports_milestone_code_unique": "code"})


@transaction.atomic
def risk_save(*, user, risk: Risk | None = None, **fields) -> Risk:
    """Add a risk to the register or change one (its history gives the trend)."""
    return _save(risk or Risk(), user, fields, {"reports_risk_scores_1_to_5": "likelihood"})


@transaction.atomic
def action_save(*, user, record: BoardAction | None = None, **fields) -> BoardAction:
    """Record a matter arising (``action``: what was asked), or change it."""
    return _save(record or BoardAction(), user, fields)


@transaction.atomic
def meeting_save(*, user, meeting: BoardMeeting | None = None, **fields) -> BoardMeeting:
    """Create or change a board meeting."""
    return _save(meeting or BoardMeeting(), user, fields)


@transaction.atomic
def attendee_add(*, user, meeting: BoardMeeting, **fields) -> Attendee:
    """List a director or guest at a meeting, present or with apologies."""
    return _save(Attendee(meeting=meeting), user, fields, {"reports_attendee_once": "name"})


def _next_position(queryset) -> int:
    return (queryset.aggregate(last=Max("position"))["last"] or 0) + 1


@transaction.atomic
def agenda_item_add(*, user, meeting: BoardMeeting, **fields) -> AgendaItem:
    """Add an item at the end of a meeting's agenda."""
    item = AgendaItem(meeting=meeting, position=_next_position(meeting.agenda_items.all()))
    return _save(item, user, fields)


@transaction.atomic
def paper_add(*, user, meeting: BoardMeeting, title: str, kind: str, upload=None) -> Paper:
    """Add the next lettered paper of a meeting: one the portal produces, or
    an uploaded PDF (checked by ``fedportal.files``: a PDF that opens, not
    encrypted, running nothing)."""
    paper = Paper(
        meeting=meeting, position=_next_position(meeting.papers.all()), title=title.strip(), kind=kind
    )
    if kind == PaperKind.UPLOADED:
        try:
            checked = check_upload(upload, PAPER_UPLOAD)
        except ValidationError as error:
            raise ValidationError({"upload": error.messages}) from error
        with pghistory.context(user=user.pk):
            save_with_file(paper, checked, upload)
        return paper
    if upload is not None:
        raise ValidationError({"upload": "Only an uploaded paper has a file: choose 'Uploaded PDF'."})
    return _save(paper, user, {})


@transaction.atomic
def report_start(*, user, month: date) -> CooReport:
    """Open the COO report of a month (a draft until published)."""
    month = first_of_month(month)
    if CooReport.objects.filter(month=month).exists():
        raise ValidationError({"month": "This month already has a report."})
    return _save(CooReport(month=month), user, {})


def _version_name(report: CooReport, version: int) -> str:
    return f"coo-report-{report.slug}-v{version}.pdf"


@transaction.atomic
def report_publish(
    *, user, report: CooReport, correction: str = "", pdf: bytes | None = None
) -> PublishedVersion:
    """Freeze the report as it renders now: its PDF stored once (through the
    portal's storage) with its SHA-256 and the next version number. Later
    changes to the data never touch it; a second publication is a correction
    and must say what it corrects."""
    from reports.pdf import coo_report_pdf

    # Lock the report so two publishers cannot both take the same number.
    report = CooReport.objects.select_for_update().get(pk=report.pk)

    def rendered(version: int) -> ContentFile:
        data = pdf if pdf is not None else coo_report_pdf(report=report, user=user, version=version)
        return ContentFile(data, name=_version_name(report, version))

    return _publish(report, kind="report", user=user, correction=correction, pdf=rendered)


def _publish(record, *, kind: str, user, correction: str, pdf) -> PublishedVersion:
    """The next published version of ``record``, a report or a pack (``kind``:
    its field on PublishedVersion), locked by the caller: a correction must
    say what it corrects; ``pdf(version)`` gives the file, checked as any kept
    file is (a PDF that opens, running nothing) and kept once with its
    SHA-256 under a random stored name."""
    latest = record.versions.aggregate(last=Max("version"))["last"] or 0
    if latest and not correction.strip():
        raise ValidationError(
            {"correction": f"This {kind} has been published: say what this new version corrects."}
        )
    upload = pdf(latest + 1)
    checked = check_upload(upload, PUBLISHED_PDF)
    version = PublishedVersion(
        **{kind: record}, version=latest + 1, correction=correction.strip(), published_by=user
    )
    with pghistory.context(user=user.pk):
        save_with_file(version, checked, upload)
    return version


@transaction.atomic
def pack_request(*, user, meeting: BoardMeeting) -> BoardPack:
    """Ask the worker to build (or rebuild) a meeting's board pack. The page
    never waits for it: it shows the progress the task keeps."""

    from reports.tasks import build_board_pack

    pack = BoardPack.objects.select_for_update().filter(meeting=meeting).first() or BoardPack(meeting=meeting)
    if pack.pk and pack.status in (PackStatus.QUEUED, PackStatus.BUILDING):
        raise ValidationError("The pack is already being built: wait for it to finish.")
    if not meeting.papers.exists():
        raise ValidationError("The meeting has no papers: add them before building the pack.")
    pack.status, pack.progress, pack.error, pack.requested_at = PackStatus.QUEUED, 0, "", clock_now()
    with pghistory.context(user=user.pk):
        pack.save()
    pack_id, user_id = pack.pk, user.pk
    transaction.on_commit(lambda: build_board_pack.enqueue(pack_id, user_id))
    return pack


@transaction.atomic
def pack_publish(*, user, pack: BoardPack, correction: str = "") -> PublishedVersion:
    """Publish the built pack exactly as staff can download it now: its
    bytes kept once, with their SHA-256, as the next version."""
    pack = BoardPack.objects.select_for_update().get(pk=pack.pk)
    if pack.status != PackStatus.BUILT or not pack.file:
        raise ValidationError("Build the pack before publishing it.")

    def built(version: int) -> ContentFile:
        with pack.file.open("rb") as handle:
            return ContentFile(handle.read(), name=pack.original_name or "board-pack.pdf")

    return _publish(pack, kind="pack", user=user, correction=correction, pdf=built)
