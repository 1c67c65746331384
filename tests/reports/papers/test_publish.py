"""Publishing freezes a report: its PDF kept once with its SHA-256 and
version; the board downloads exactly those bytes every time, whatever
changes after; a correction is a new version and the old one stays,
marked superseded; anyone signed in can check a PDF they hold."""

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from reports import services
from reports.models import PublishedVersion
from tests.pages import error_beside
from tests.reports.papers.conftest import pdf_text, small_pdf

pytestmark = pytest.mark.django_db


def download(client, version) -> bytes:
    response = client.get(f"/reports/versions/{version.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]
    return b"".join(response.streaming_content)


def test_publishing_stores_the_pdf_once_with_its_hash(papers, client_as):
    staff = client_as("staff")
    response = staff.post("/reports/2019-02/publish/", {"correction": ""})
    assert response.status_code == 302
    version = PublishedVersion.objects.get()
    assert version.version == 1
    with version.file.open("rb") as handle:
        stored = handle.read()
    assert hashlib.sha256(stored).hexdigest() == version.sha256
    assert version.size == len(stored)
    assert "Version 1." in pdf_text(stored)


def test_the_board_downloads_the_same_bytes_every_time_even_after_the_data_changes(
    papers, client_as, staff_user
):
    version = services.report_publish(user=staff_user, report=papers["report"])
    board = client_as("board")
    first = download(board, version)
    assert hashlib.sha256(first).hexdigest() == version.sha256
    # The data behind the report changes: the published file does not.
    services.update_save(
        user=staff_user, workstream=papers["plan"], month=date(2019, 2, 1), body="Rewritten entirely"
    )
    services.risk_save(
        user=staff_user,
        risk=papers["risk"],
        title="Renamed risk",
        owner="HP",
        likelihood=1,
        impact=1,
        is_key=True,
    )
    assert download(board, version) == first
    assert download(client_as("staff"), version) == first
    assert "Rewritten entirely" not in pdf_text(first)
    assert "Rewritten entirely" in pdf_text(client_as("staff").get("/reports/2019-02/pdf/").content)


def test_a_second_publication_is_a_correction_beside_the_first(papers, client_as, staff_user):
    staff = client_as("staff")
    first = services.report_publish(user=staff_user, report=papers["report"])
    response = staff.post("/reports/2019-02/publish/", {"correction": ""})
    assert response.status_code == 400
    assert "corrects" in error_beside(response.content, "correction")
    assert PublishedVersion.objects.count() == 1
    services.update_save(
        user=staff_user, workstream=papers["plan"], month=date(2019, 2, 1), body="Corrected figure"
    )
    assert (
        staff.post("/reports/2019-02/publish/", {"correction": "Business plan figure corrected"}).status_code
        == 302
    )
    second = PublishedVersion.objects.get(version=2)
    assert second.sha256 != first.sha256
    board = client_as("board")
    page = board.get("/reports/").content.decode()
    # Newest first, the first marked superseded, both downloadable.
    assert page.index(f"/reports/versions/{second.pk}/download/") < page.index(
        f"/reports/versions/{first.pk}/download/"
    )
    assert page.count("Superseded") == 1
    assert hashlib.sha256(download(board, first)).hexdigest() == first.sha256
    assert hashlib.sha256(download(board, second)).hexdigest() == second.sha256
    assert board.get("/reports/2019-02/").status_code == 200


def test_published_reports_page_lists_newest_report_first(papers, client_as, staff_user):
    january = services.report_start(user=staff_user, month=date(2019, 1, 1))
    services.report_publish(user=staff_user, report=january)
    services.report_publish(user=staff_user, report=papers["report"])
    page = client_as("board").get("/reports/").content.decode()
    assert page.index("COO report February 2019") < page.index("COO report January 2019")


def test_the_verification_page_names_the_version_a_pdf_is(papers, client_as, staff_user):
    first = services.report_publish(user=staff_user, report=papers["report"])
    services.report_publish(user=staff_user, report=papers["report"], correction="Typo")
    with first.file.open("rb") as handle:
        data = handle.read()
    for role in ("board", "practice", "staff"):
        response = client_as(role).post("/reports/verify/", {"pdf": SimpleUploadedFile("mine.pdf", data)})
        page = response.content.decode()
        assert response.status_code == 200
        assert "This is a published version" in page
        assert "COO report February 2019, version 1" in page
        assert "superseded" in page
    other = client_as("board").post(
        "/reports/verify/", {"pdf": SimpleUploadedFile("x.pdf", small_pdf("Other"))}
    )
    assert "Not a published version" in other.content.decode()


def test_verifying_without_a_file_says_so_beside_the_field(papers, client_as):
    response = client_as("board").post("/reports/verify/", {})
    assert response.status_code == 400
    assert error_beside(response.content, "pdf")


def test_the_verification_page_needs_a_sign_in(client, db):
    assert client.get("/reports/verify/").status_code == 302


def test_a_practice_user_cannot_download_a_published_report(papers, client_as, staff_user):
    version = services.report_publish(user=staff_user, report=papers["report"])
    assert client_as("practice").get(f"/reports/versions/{version.pk}/download/").status_code == 403


def test_board_pages_take_few_queries(papers, client_as, staff_user, django_assert_max_num_queries):
    for month in range(1, 7):
        report = (
            papers["report"]
            if month == 2
            else services.report_start(user=staff_user, month=date(2018, month, 1))
        )
        services.report_publish(user=staff_user, report=report, pdf=small_pdf(f"Report {month}"))
    board = client_as("board")
    with django_assert_max_num_queries(12):
        assert board.get("/reports/").status_code == 200
    with django_assert_max_num_queries(12):
        assert board.get("/reports/2019-02/").status_code == 200
