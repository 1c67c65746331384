"""The board's papers in ``manage.py seed_scale``: seed 000's sections as
workstreams with this month's updates (paragraphs and bullets), key and other
risks (the key ones with last month's scores in their history, so the trend
shows), milestones on time, done, at risk and overdue, a year of monthly
board meetings with the actions they raised, and this month's meeting with
its directors (drawn from the localities), agenda and lettered papers: the
minutes, the COO report, a finance paper, the risk register, the action log
and a business case. The month's COO report is published, and the meeting's
pack built and published, so that ``manage.py bench`` times the pack's build
and the published downloads over them.

The pack is made to land near ``PACK_PAGES`` pages: the uploaded papers are
PDFs this loader renders, and the last of them (the business case) is given
whatever pages the rest leaves. At the default 7,000 practices the COO report
alone is longer than that (every network is a row of its table), so there the
uploaded papers keep their least length and the pack is longer.

Runs last: every other app's rows are in the COO report."""

from datetime import date, datetime, time, timedelta

import pghistory
from django.apps import apps
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from pypdf import PdfReader

from fedportal.scale import step, wipe_app
from localities.models import Locality
from reports.demo import SECTIONS
from reports.models import (
    ActionStatus,
    AgendaItem,
    Attendee,
    BoardAction,
    BoardMeeting,
    BoardPack,
    CooReport,
    MeetingAttendance,
    Milestone,
    PackStatus,
    Paper,
    PaperKind,
    PublishedVersion,
    Risk,
    Workstream,
    WorkstreamUpdate,
)
from reports.services import pack_publish, paper_add, report_publish
from reports.tasks import build_board_pack

PACK_PAGES = 40
PAST_MEETINGS = 11
ACTIONS_PER_MEETING = 4
KEY_RISKS = 12
OTHER_RISKS = 28
MILESTONES_PER_WORKSTREAM = 3
DIRECTORS = 10
# The cover and agenda, the risk register and the action log: two pages each
# at these counts (the rest of the pack is the COO report and the uploads).
ESTIMATED_RENDERED_PAGES = 6
# (title, kind, pages of an uploaded paper): the last, an upload, is
# lengthened until the pack reaches PACK_PAGES.
PAPERS = [
    ("Minutes of the last meeting", PaperKind.UPLOADED, 3),
    ("Chief Operating Officer report", PaperKind.COO_REPORT, 0),
    ("Finance report and income and expenditure forecast", PaperKind.UPLOADED, 6),
    ("Risk register", PaperKind.RISK_REGISTER, 0),
    ("Action log", PaperKind.ACTION_LOG, 0),
    ("Primary Care Networks development business case", PaperKind.UPLOADED, 1),
]
AGENDA = [
    ("Apologies and declarations of interest", "Chair", ""),
    ("Minutes and matters arising", "Chair", ""),
    ("COO report", "COO", ""),
    ("Finance report and forecast", "Finance lead", ""),
    ("Risk register", "COO", ""),
    ("Primary Care Networks development", "Clinical lead", "Directors who are PCN clinical directors declared an interest."),
]  # fmt: skip

OPENINGS = [
    "Work continued this month with the localities and commissioners.",
    "The programme board met and reviewed progress against the plan.",
    "Practices were updated at the locality meetings held this month.",
    "Commissioners confirmed their support for the next phase.",
    "The team reviewed activity and finance figures with the leads.",
]
FOLLOW_UPS = [
    "A fuller update, with the figures behind it, will come to the next meeting.",
    "The leads will bring options to the Board once the practices have been consulted.",
    "No decision is needed this month; the Board is asked to note progress.",
    "Costs remain within the agreed budget and the forecast is unchanged.",
]
BULLETS = [
    "Locality leads agreed the next steps and their timetable.",
    "Practices were asked to return their activity figures by the end of the month.",
    "The contract variation was signed and returned to the commissioner.",
    "Recruitment to the vacant posts is under way; interviews are booked.",
    "LMC Law reviewed the draft agreement; comments were sent back.",
    "The pilot's evaluation was shared with the clinical leads.",
    "Funding for the second year was confirmed in writing.",
    "A workshop for practice managers was held and well attended.",
    "Quarterly returns were collated and passed on for payment.",
    "The data-sharing agreement was signed by every participating practice.",
]
RISK_TITLES = [
    "Clinical workforce recruitment", "Commissioner funding ends", "Activity above contracted volume",
    "IT system outage", "Practice withdrawal from a service", "Information governance breach",
    "Premises not available", "Key person dependency", "Indemnity cover lapses", "Late payment by commissioner",
    "Network agreements not signed", "Evidence out of date",
]  # fmt: skip


def seed(*, practices: int, rng, stdout, context: dict) -> None:
    today: date = context["today"]
    staff = context["users"]["staff"]
    month = today.replace(day=1)
    with step(stdout, "reports: wiping"):
        stale = _stored_files()
        wipe_app("reports")
        # Their rows gone, the files would only fill the media folder; kept
        # until the seed commits, should it fail and the rows come back.
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in stale])
    with pghistory.context(user=staff.pk):
        with step(stdout, f"reports: {len(SECTIONS)} workstreams, updates, milestones, risks"):
            workstreams = _workstreams(rng, month, staff)
            _milestones(rng, workstreams, today)
            _risks(rng, workstreams, month)
        with step(stdout, f"reports: {PAST_MEETINGS + 1} board meetings, directors, actions"):
            meetings = _meetings(rng, month)
            meeting = meetings[-1]
            _directors(meeting)
            _actions(rng, meetings[:-1])
        with step(stdout, "reports: COO report drafted and published"):
            report = CooReport.objects.create(
                month=month,
                introduction="This report summarises the federation's work this month across every locality.",
            )
            with report_publish(user=staff, report=report).file.open("rb") as published:
                coo_pages = len(PdfReader(published).pages)
        with step(stdout, "reports: papers and the pack, built and published"):
            pack = _papers_and_pack(meeting, staff, coo_pages)
    stdout.write(f"  reports: COO report {coo_pages} pages, board pack {pack.page_count} pages")


def _stored_files() -> list:
    files = []
    for model in (Paper, PublishedVersion, BoardPack):
        for record in model.objects.exclude(file=""):
            files.append((record.file.storage, record.file.name))
    return files


def _update_body(rng) -> str:
    opening = f"{rng.choice(OPENINGS)} {rng.choice(FOLLOW_UPS)}"
    bullets = "\n".join(f"- {line}" for line in rng.sample(BULLETS, rng.randint(3, 5)))
    return f"{opening}\n\n{bullets}\n\n{rng.choice(FOLLOW_UPS)}"


def _workstreams(rng, month: date, staff) -> list[Workstream]:
    workstreams = Workstream.objects.bulk_create(
        Workstream(title=title, lead=lead, status=rag, position=position)
        for position, (title, lead, rag, _) in enumerate(SECTIONS, start=1)
    )
    WorkstreamUpdate.objects.bulk_create(
        WorkstreamUpdate(workstream=w, month=month, body=_update_body(rng), updated_by=staff)
        for w in workstreams
    )
    return workstreams


def _milestones(rng, workstreams: list[Workstream], today: date) -> None:
    rows = []
    for n, workstream in enumerate(workstreams, start=1):
        for k in range(1, MILESTONES_PER_WORKSTREAM + 1):
            due = today + timedelta(days=rng.randint(-60, 90))
            state = rng.choice(["on time", "on time", "done", "at risk", "overdue"])
            forecast = due + timedelta(days=rng.randint(14, 45)) if state == "at risk" else None
            done = due - timedelta(days=rng.randint(0, 10)) if state == "done" and due <= today else None
            note = "Delayed by the commissioner's review; a revised plan goes to the next meeting."
            slipped = state == "at risk" or (due < today and done is None)
            rows.append(
                Milestone(
                    workstream=workstream,
                    code=f"W{n}.{k}",
                    description=f"{workstream.title}: stage {k} complete",
                    due_date=due,
                    forecast_date=forecast,
                    completed_on=done,
                    exception_note=note if slipped else "",
                )
            )
    Milestone.objects.bulk_create(rows)


def _risks(rng, workstreams: list[Workstream], month: date) -> None:
    risks = Risk.objects.bulk_create(
        Risk(
            title=RISK_TITLES[n % len(RISK_TITLES)] + ("" if n < len(RISK_TITLES) else f" ({n + 1})"),
            workstream=rng.choice(workstreams),
            owner=rng.choice(["JW", "HP", "RB", "Joe"]),
            likelihood=rng.randint(1, 5),
            impact=rng.randint(2, 5),
            mitigation="Reviewed monthly by the lead; actions agreed with the commissioner.",
            is_key=n < KEY_RISKS,
        )
        for n in range(KEY_RISKS + OTHER_RISKS)
    )
    # Last month's report had these scores: dating their history then lets
    # this month's report show a trend for the key risks that moved since.
    events = apps.get_model("reports", "RiskEvent").objects
    last_month = timezone.make_aware(datetime.combine(month - timedelta(days=3), time(12)))
    events.filter(pgh_obj_id__in=[r.pk for r in risks]).update(pgh_created_at=last_month)
    for risk in risks[:KEY_RISKS:2]:
        risk.likelihood = max(1, min(5, risk.likelihood + rng.choice([-1, 1])))
        risk.save(update_fields=["likelihood"])


def _meetings(rng, month: date) -> list[BoardMeeting]:
    """A meeting on the 25th of each month, the last this month's."""
    days = []
    day = month
    for _ in range(PAST_MEETINGS + 1):
        days.append(day.replace(day=25))
        day = (day - timedelta(days=1)).replace(day=1)
    meetings = BoardMeeting.objects.bulk_create(
        BoardMeeting(held_on=held_on, venue=rng.choice(["Kibworth Medical Centre", "Federation office"]))
        for held_on in reversed(days)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meetings[-1], position=n, title=title, presenter=presenter, declarations=declarations
        )
        for n, (title, presenter, declarations) in enumerate(AGENDA, start=1)
    )
    return meetings


def _directors(meeting: BoardMeeting) -> None:
    localities = list(Locality.objects.order_by("pk").values_list("name", flat=True)[:DIRECTORS])
    attendees = [
        Attendee(
            meeting=meeting,
            name=f"Dr Director {n}" + (" (Chair)" if n == 1 else ""),
            represents=f"{name} Locality",
            attendance=MeetingAttendance.APOLOGIES if n % 4 == 0 else MeetingAttendance.PRESENT,
        )
        for n, name in enumerate(localities, start=1)
    ]
    attendees.append(
        Attendee(
            meeting=meeting,
            name="Chief Operating Officer",
            represents="the federation",
            attendance=MeetingAttendance.IN_ATTENDANCE,
        )
    )
    Attendee.objects.bulk_create(attendees)


def _actions(rng, meetings: list[BoardMeeting]) -> None:
    statuses = [ActionStatus.OPEN] * 6 + [ActionStatus.DONE] * 3 + [ActionStatus.DROPPED]
    BoardAction.objects.bulk_create(
        BoardAction(
            action=f"{rng.choice(BULLETS)[:-1]}: report back to the Board",
            owner=rng.choice(["JW", "HP", "RB", "Joe", "JW / HP"]),
            raised_at=meeting,
            due_date=meeting.held_on + timedelta(days=rng.randint(14, 90)),
            status=rng.choice(statuses),
        )
        for meeting in meetings
        for _ in range(ACTIONS_PER_MEETING)
    )


def paper_pdf(title: str, pages: int) -> bytes:
    """An uploaded paper of exactly ``pages`` A4 pages, as WeasyPrint makes it."""
    from weasyprint import HTML

    text = (
        "<p>This paper sets out the position this month, the options considered and the recommendation "
        "to the Board. The figures are those reported by the localities and agreed with the commissioners.</p>"
    ) * 4
    body = "".join(
        f"<section style='break-after: page'><h2>{title}: part {n}</h2>{text}</section>"
        for n in range(1, pages + 1)
    )
    return HTML(string=f"<html lang='en-GB'><title>{title}</title><h1>{title}</h1>{body}</html>").write_pdf()


def _papers_and_pack(meeting: BoardMeeting, staff, coo_pages: int) -> BoardPack:
    """The papers, the last uploaded one sized to bring the pack to about
    ``PACK_PAGES``, and the pack built; should the estimate of the rendered
    papers miss, the last paper is sized again and the pack rebuilt."""
    fixed = sum(pages for _, _, pages in PAPERS[:-1])
    filler = max(PAPERS[-1][2], PACK_PAGES - ESTIMATED_RENDERED_PAGES - coo_pages - fixed)
    last = None
    for title, kind, pages in PAPERS:
        last = _paper(meeting, staff, title, kind, filler if (title, kind, pages) == PAPERS[-1] else pages)
    pack = BoardPack.objects.create(meeting=meeting)
    build_board_pack.call(pack.pk, staff.pk)
    pack.refresh_from_db()
    missed = PACK_PAGES - pack.page_count
    if pack.status == PackStatus.BUILT and abs(missed) > 1 and filler + missed >= PAPERS[-1][2]:
        # The last paper is last in the order too: added again, it keeps its letter.
        last.file.delete(save=False)
        last.delete()
        _paper(meeting, staff, last.title, last.kind, filler + missed)
        build_board_pack.call(pack.pk, staff.pk)
        pack.refresh_from_db()
    if pack.status != PackStatus.BUILT:
        raise RuntimeError(f"the scale board pack was not built: {pack.error}")
    pack_publish(user=staff, pack=pack)
    return pack


def _paper(meeting: BoardMeeting, staff, title: str, kind: str, pages: int) -> Paper:
    upload = None
    if kind == PaperKind.UPLOADED:
        upload = ContentFile(paper_pdf(title, pages), name=f"{title.lower().replace(' ', '-')}.pdf")
    return paper_add(user=staff, meeting=meeting, title=title, kind=kind, upload=upload)
