"""Board packs: built by a background task (django-tasks, database
backend, run here by its worker), papers merged in order with page numbers
across the pack and paper references ("B-2"), an outline entry per paper,
progress and failure kept for the page; published like a report."""

import hashlib
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from pypdf import PdfReader

from reports import services
from reports.models import BoardPack, PackStatus, PublishedVersion
from tests.reports.papers.conftest import outline_titles, pdf_text, small_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_keeps_the_test_connection(monkeypatch):
    # The worker closes connections between tasks (as a long-running process
    # should); inside a test's transaction that would end the test's.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)


def run_worker():
    """The real worker, as `make run` starts it, until the queue is empty."""
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def add_papers(client, meeting, *papers):
    for title, kind, upload in papers:
        data = {"title": title, "kind": kind}
        if upload is not None:
            data["upload"] = SimpleUploadedFile(f"{title}.pdf", upload)
        assert client.post(f"/reports/meetings/{meeting.pk}/papers/new/", data).status_code == 302


def build(client, meeting, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"/reports/meetings/{meeting.pk}/pack/build/").status_code == 302
    page = client.get(f"/reports/meetings/{meeting.pk}/pack/").content.decode()
    assert "Waiting for the worker" in page and "0% done" in page
    run_worker()
    return BoardPack.objects.get(meeting=meeting)


def test_a_pack_merges_the_papers_with_numbers_and_references(
    papers, client_as, django_capture_on_commit_callbacks
):
    staff, meeting = client_as("staff"), papers["meeting"]
    minutes = small_pdf("Minutes")
    add_papers(
        staff,
        meeting,
        ("Minutes of the January meeting", "uploaded", minutes),
        ("Chief Operating Officer report", "coo_report", None),
        ("Risk register", "risk_register", None),
        ("Action log", "action_log", None),
    )
    pack = build(staff, meeting, django_capture_on_commit_callbacks)
    assert pack.status == PackStatus.BUILT, pack.error
    assert pack.progress == 100
    response = staff.get(f"/reports/meetings/{meeting.pk}/pack/draft/download/")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == pack.sha256
    pdf = PdfReader(BytesIO(data))
    assert len(pdf.pages) == pack.page_count
    text = pdf_text(data)
    # Cover and agenda first, then paper A (one page) from the pack's page 3.
    assert f"A-1 · page 3 of {pack.page_count}" in text
    assert "B-1 ·" in text and "B-2 ·" in text  # the COO report has several pages
    assert "£66,040.00" in text  # the report's computed table is in the pack
    assert "Clinical workforce recruitment" in text  # the risk register
    assert "No actions." in text  # the only action was raised at this meeting: not yet in its log
    titles = outline_titles(data)
    assert titles[:1] == ["Cover and agenda"]
    for expected in (
        "Paper A: Minutes of the January meeting",
        "Paper B: Chief Operating Officer report",
        "Paper C: Risk register",
        "Paper D: Action log",
    ):
        assert expected in titles
    # The COO report's own sections are kept beneath its entry.
    assert "Contracts held for practices" in titles
    assert pdf.trailer["/Root"]["/Lang"] == "en-GB"


def test_a_failed_build_says_why_and_can_be_tried_again(
    papers, client_as, django_capture_on_commit_callbacks, staff_user
):
    staff, meeting = client_as("staff"), papers["meeting"]
    papers["report"].delete()  # the COO report paper has no report to print
    add_papers(staff, meeting, ("Chief Operating Officer report", "coo_report", None))
    pack = build(staff, meeting, django_capture_on_commit_callbacks)
    assert pack.status == PackStatus.FAILED
    page = staff.get(f"/reports/meetings/{meeting.pk}/pack/").content.decode()
    assert "There is no COO report for February 2019" in page
    assert "Try again" in page
    services.report_start(user=staff_user, month=meeting.held_on.replace(day=1))
    pack = build(staff, meeting, django_capture_on_commit_callbacks)
    assert pack.status == PackStatus.BUILT


def test_a_pack_with_no_papers_is_refused_with_a_message(papers, client_as):
    staff, meeting = client_as("staff"), papers["meeting"]
    response = staff.post(f"/reports/meetings/{meeting.pk}/pack/build/", follow=True)
    assert "The meeting has no papers" in response.content.decode()
    assert not BoardPack.objects.exists()


def test_a_published_pack_is_downloaded_byte_for_byte_and_verified(
    papers, client_as, django_capture_on_commit_callbacks, staff_user
):
    staff, meeting = client_as("staff"), papers["meeting"]
    add_papers(staff, meeting, ("Risk register", "risk_register", None))
    pack = build(staff, meeting, django_capture_on_commit_callbacks)
    assert staff.post(f"/reports/meetings/{meeting.pk}/pack/publish/", {"correction": ""}).status_code == 302
    version = PublishedVersion.objects.get(pack=pack)
    assert version.sha256 == pack.sha256
    board = client_as("board")
    data = b"".join(board.get(f"/reports/versions/{version.pk}/download/").streaming_content)
    assert hashlib.sha256(data).hexdigest() == version.sha256
    # Rebuilt after a change: the published pack stays as it was.
    services.risk_save(
        user=staff_user, risk=papers["risk"], title="Renamed", owner="JW", likelihood=1, impact=1
    )
    build(staff, meeting, django_capture_on_commit_callbacks)
    assert b"".join(board.get(f"/reports/versions/{version.pk}/download/").streaming_content) == data
    assert "Board pack 27 February 2019" in board.get("/reports/").content.decode()
    check = board.post("/reports/verify/", {"pdf": SimpleUploadedFile("pack.pdf", data)}).content.decode()
    assert "Board pack 27 February 2019, version 1" in check


def test_the_board_cannot_see_a_draft_pack(papers, client_as):
    meeting = papers["meeting"]
    board = client_as("board")
    assert board.get(f"/reports/meetings/{meeting.pk}/pack/").status_code == 403
    assert board.get(f"/reports/meetings/{meeting.pk}/pack/draft/download/").status_code == 403


def test_meeting_and_pack_pages_take_few_queries(
    papers, client_as, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    staff, meeting = client_as("staff"), papers["meeting"]
    add_papers(staff, meeting, *[(f"Paper {n}", "risk_register", None) for n in range(5)])
    build(staff, meeting, django_capture_on_commit_callbacks)
    with django_assert_max_num_queries(12):
        assert staff.get(meeting.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(12):
        assert staff.get(f"/reports/meetings/{meeting.pk}/pack/").status_code == 200
