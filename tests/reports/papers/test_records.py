"""The records behind the COO report: workstreams and their monthly updates
(Markdown shown safely, with a preview), milestones and their derived
status, the risk register, the action log and board meetings; who may see
them, and how many queries their pages take."""

from datetime import date

import pytest

from reports.models import Milestone, MilestoneStatus, WorkstreamUpdate, milestone_status
from tests.pages import error_beside

pytestmark = pytest.mark.django_db

ON = date(2019, 2, 15)


@pytest.mark.parametrize(
    ("due", "forecast", "completed", "expected"),
    [
        (date(2019, 3, 1), None, None, MilestoneStatus.ON_TRACK),
        (date(2019, 3, 1), date(2019, 3, 1), None, MilestoneStatus.ON_TRACK),
        (date(2019, 3, 1), date(2019, 3, 20), None, MilestoneStatus.AT_RISK),
        (date(2019, 2, 14), None, None, MilestoneStatus.OVERDUE),
        (date(2019, 2, 14), date(2019, 3, 1), None, MilestoneStatus.OVERDUE),
        (date(2019, 2, 14), None, date(2019, 2, 10), MilestoneStatus.COMPLETED),
        # Done later than the day looked at: not yet done then.
        (date(2019, 3, 1), None, date(2019, 2, 20), MilestoneStatus.ON_TRACK),
    ],
)
def test_milestone_status_is_derived_from_the_dates(due, forecast, completed, expected):
    assert milestone_status(due_date=due, completed_on=completed, forecast_date=forecast, on=ON) == expected


def test_a_slipping_milestone_needs_an_exception_note(papers, client_as):
    staff = client_as("staff")
    url = f"/reports/workstreams/{papers['urgent'].pk}/milestones/new/"
    data = {
        "code": "UC3",
        "description": "Rota filled",
        "due_date": "2019-03-01",
        "forecast_date": "2019-04-01",
    }
    response = staff.post(url, data)
    assert response.status_code == 400
    assert "slipped" in error_beside(response.content, "exception_note")
    assert not Milestone.objects.filter(code="UC3").exists()
    response = staff.post(url, {**data, "exception_note": "Recruitment slower than planned"})
    assert response.status_code == 302
    assert Milestone.objects.get(code="UC3").status_on(ON) == MilestoneStatus.AT_RISK


def test_update_preview_shows_markup_as_text_and_saves_nothing(papers, client_as):
    staff = client_as("staff")
    url = f"/reports/workstreams/{papers['plan'].pk}/updates/2019-03/"
    body = "Hello <script>alert('x')</script> <img src=x onerror=alert(1)>\n\n- one\n- [bad](javascript:alert(1))"
    response = staff.post(url, {"body": body, "preview": "1"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page or "&lt;script&gt;" in page
    assert "<script>alert" not in page
    assert "<img src=x" not in page
    assert 'href="javascript:' not in page
    assert "<li>one</li>" in page
    assert not WorkstreamUpdate.objects.filter(month=date(2019, 3, 1)).exists()

    response = staff.post(url, {"body": body})
    assert response.status_code == 302
    update = WorkstreamUpdate.objects.get(workstream=papers["plan"], month=date(2019, 3, 1))
    assert update.body == body
    detail = staff.get(papers["plan"].get_absolute_url()).content.decode()
    assert "&lt;script&gt;" in detail and "<script>alert" not in detail


def test_an_empty_update_is_refused_beside_the_field(papers, client_as):
    response = client_as("staff").post(
        f"/reports/workstreams/{papers['plan'].pk}/updates/2019-03/", {"body": "  "}
    )
    assert response.status_code == 400
    assert error_beside(response.content, "body")


def test_a_risk_score_outside_1_to_5_is_refused(papers, client_as):
    response = client_as("staff").post(
        "/reports/risks/new/",
        {"title": "New risk", "owner": "HP", "likelihood": "6", "impact": "2", "status": "open"},
    )
    assert response.status_code == 400
    assert error_beside(response.content, "likelihood")


STAFF_PAGES = [
    "/reports/workstreams/",
    "/reports/workstreams/new/",
    "/reports/risks/",
    "/reports/risks/new/",
    "/reports/actions/",
    "/reports/actions/new/",
    "/reports/meetings/",
    "/reports/meetings/new/",
    "/reports/new/",
]


@pytest.mark.parametrize("url", STAFF_PAGES)
def test_staff_pages_are_for_staff(papers, client_as, url):
    assert client_as("staff").get(url).status_code == 200
    assert client_as("board").get(url).status_code == 403
    assert client_as("practice").get(url).status_code == 403


def test_a_draft_report_is_404_to_the_board(papers, client_as):
    board = client_as("board")
    for url in (
        "/reports/2019-02/",
        "/reports/2019-02/pdf/",
        "/reports/2019-02/publish/",
        "/reports/2019-02/tables/contracts.xlsx",
    ):
        assert board.get(url).status_code in (403, 404), url
    assert board.get("/reports/2019-02/").status_code == 404
    assert "2019-02" not in board.get("/reports/").content.decode()
    assert client_as("practice").get("/reports/2019-02/").status_code == 403


def test_record_pages_of_the_board_are_out_of_reach(papers, client_as):
    board = client_as("board")
    assert board.get(papers["plan"].get_absolute_url()).status_code == 403
    assert board.get(papers["meeting"].get_absolute_url()).status_code == 403


def test_meeting_papers_are_lettered_and_uploads_must_be_pdfs(papers, client_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reports.models import Paper
    from tests.contracts.test_upload_security import encrypted_pdf
    from tests.reports.papers.conftest import small_pdf

    staff = client_as("staff")
    url = f"/reports/meetings/{papers['meeting'].pk}/papers/new/"
    assert staff.post(url, {"title": "COO report", "kind": "coo_report"}).status_code == 302
    not_pdf = SimpleUploadedFile("minutes.pdf", b"<html>not a pdf</html>")
    response = staff.post(url, {"title": "Minutes", "kind": "uploaded", "upload": not_pdf})
    assert response.status_code == 400
    assert "PDF" in error_beside(response.content, "upload")
    broken = SimpleUploadedFile("broken.pdf", b"%PDF-1.4 broken")
    response = staff.post(url, {"title": "Minutes", "kind": "uploaded", "upload": broken})
    assert "cannot be opened" in error_beside(response.content, "upload")
    locked = SimpleUploadedFile("minutes.pdf", encrypted_pdf("secret"))
    response = staff.post(url, {"title": "Minutes", "kind": "uploaded", "upload": locked})
    assert response.status_code == 400
    assert "protected by a password or encryption" in error_beside(response.content, "upload")
    assert 'value="Minutes"' in response.content.decode()  # what was typed is kept
    assert not Paper.objects.filter(title="Minutes").exists()
    good = SimpleUploadedFile("minutes.pdf", small_pdf("Minutes"))
    assert staff.post(url, {"title": "Minutes", "kind": "uploaded", "upload": good}).status_code == 302
    page = staff.get(papers["meeting"].get_absolute_url()).content.decode()
    assert '<th scope="row">A</th><td>COO report' in page
    assert '<th scope="row">B</th><td><a class="nhsuk-link" href="/reports/papers/' in page


@pytest.mark.parametrize(
    "url",
    ["/reports/workstreams/", "/reports/risks/", "/reports/actions/", "/reports/meetings/", "/reports/"],
)
def test_register_pages_take_few_queries_whatever_the_rows(
    papers, client_as, django_assert_max_num_queries, url
):
    from reports import services

    staff, user = client_as("staff"), _staff()
    for n in range(6):
        workstream = services.workstream_save(user=user, title=f"Workstream {n}", position=10 + n)
        services.risk_save(
            user=user, title=f"Risk {n}", owner="JW", likelihood=2, impact=3, workstream=workstream
        )
        meeting = services.meeting_save(user=user, held_on=date(2018, 1 + n, 10), venue="Kibworth")
        services.action_save(
            user=user, action=f"Action {n}", owner="HP", raised_at=meeting, due_date=date(2019, 4, 1)
        )
        services.report_start(user=user, month=date(2018, 1 + n, 1))
    with django_assert_max_num_queries(12):
        assert staff.get(url).status_code == 200


def test_workstream_page_takes_few_queries(papers, client_as, django_assert_max_num_queries):
    staff = client_as("staff")
    with django_assert_max_num_queries(12):
        assert staff.get(papers["urgent"].get_absolute_url()).status_code == 200


def _staff():
    from fedportal.models import User

    return User.objects.get(username="staff")


def test_a_paper_larger_than_a_read_block_downloads_whole_and_unchanged(papers, client_as, media_root):
    import hashlib
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfWriter

    from fedportal.downloads import BLOCK_SIZE
    from reports.models import Paper

    # given a paper of several read blocks (a long description in its metadata)
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    writer.add_metadata({"/Subject": "Business case. " * (BLOCK_SIZE // 5)})
    out = BytesIO()
    writer.write(out)
    data = out.getvalue()
    assert len(data) > 2 * BLOCK_SIZE
    staff = client_as("staff")
    upload = SimpleUploadedFile("business-case.pdf", data)
    url = f"/reports/meetings/{papers['meeting'].pk}/papers/new/"
    assert (
        staff.post(url, {"title": "Business case", "kind": "uploaded", "upload": upload}).status_code == 302
    )

    # when it is downloaded
    paper = Paper.objects.get(title="Business case")
    response = staff.get(f"/reports/papers/{paper.pk}/download/")
    chunks = list(response.streaming_content)

    # then it comes in blocks of BLOCK_SIZE (not Django's 4 KB), every byte as uploaded
    assert len(chunks) == -(-len(data) // BLOCK_SIZE)
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == hashlib.sha256(data).hexdigest()
