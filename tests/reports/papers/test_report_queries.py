"""How many queries the COO report takes: the preview page at most 12 (the
house rule) on the demo federation and whatever the rows, the PDF no more
than the page, and the versions read with the report still shown right."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports import services
from tests.reports.papers.conftest import FEBRUARY

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _more_rows(user, n: int):
    meeting = services.meeting_save(user=user, held_on=date(2019, 1, 30), venue="Market Harborough")
    for i in range(n):
        workstream = services.workstream_save(user=user, title=f"Extra workstream {i}", position=50 + i)
        services.update_save(user=user, workstream=workstream, month=FEBRUARY, body=f"Update {i}")
        services.risk_save(
            user=user, title=f"Extra risk {i}", owner="JW", likelihood=3, impact=2, is_key=True
        )
        services.milestone_save(
            user=user,
            workstream=workstream,
            code=f"X{i}",
            description=f"Milestone {i}",
            due_date=date(2019, 2, 20),
            forecast_date=None,
            completed_on=None,
            exception_note="",
        )
        services.action_save(
            user=user,
            action=f"Action {i}",
            owner="RB",
            raised_at=meeting,
            due_date=date(2019, 3, 1),
            status="open",
        )


def test_the_report_reads_as_many_queries_whatever_the_rows(papers, client_as, staff_user):
    staff = client_as("staff")
    staff.get("/reports/2019-02/")
    page, pdf = _count(staff, "/reports/2019-02/"), _count(staff, "/reports/2019-02/pdf/")
    _more_rows(staff_user, 6)
    services.report_publish(user=staff_user, report=papers["report"])
    services.report_publish(user=staff_user, report=papers["report"], correction="Figures corrected")
    assert _count(staff, "/reports/2019-02/") == page
    assert _count(staff, "/reports/2019-02/pdf/") == pdf
    # The PDF reads the same records as the page, without its list of versions.
    assert pdf <= page


def test_the_versions_read_with_the_report_show_who_published_and_which_is_superseded(
    papers, client_as, staff_user
):
    services.report_publish(user=staff_user, report=papers["report"])
    services.report_publish(user=staff_user, report=papers["report"], correction="Figures corrected")
    page = client_as("staff").get("/reports/2019-02/").content.decode()
    assert "Version 1" in page and "Version 2" in page
    assert page.count("Superseded") == 1
    assert str(staff_user) in page


# The report in `manage.py bench` ---------------------------------------------------------


@pytest.fixture
def scale_users(db):
    from fedportal.models import User

    for name, role, superuser in [
        ("scale-staff", "staff", False),
        ("scale-board", "board", False),
        ("scale-admin", "administrator", True),
    ]:
        User.objects.create(username=name, role=role, is_superuser=superuser, is_staff=superuser)


def test_bench_times_the_render_the_preview_and_a_published_download(papers, scale_users, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    monkeypatch.setattr("reports.bench.shutil.which", lambda name: None)
    out = StringIO()
    call_command("bench", only="COO report", repeat=1, stdout=out)
    text = out.getvalue()
    for name in ("COO report PDF (warm render)", "COO report preview", "COO report published download"):
        assert name in text
    assert "/reports/2019-02/pdf/" in text and "/reports/versions/" in text


def test_bench_times_libreoffice_as_a_whole_process(tmp_path, monkeypatch):
    from reports.bench import libreoffice_ms

    # A stand-in soffice: writes the PDF where LibreOffice would.
    fake = tmp_path / "soffice"
    fake.write_text(
        '#!/bin/sh\nwhile [ "$1" != --outdir ]; do shift; done\necho "%PDF-1.7" > "$2/report.pdf"\n'
    )
    fake.chmod(0o755)
    monkeypatch.setattr("reports.bench.shutil.which", lambda name: str(fake) if name == "soffice" else None)
    timings = libreoffice_ms("<p>Report</p>", runs=2)
    assert timings is not None and len(timings) == 2
    # soffice exits 0 having written nothing when no export filter fits: not a timing
    fake.write_text("#!/bin/sh\nexit 0\n")
    with pytest.raises(RuntimeError, match="wrote no PDF"):
        libreoffice_ms("<p>Report</p>", runs=1)
    monkeypatch.setattr("reports.bench.shutil.which", lambda name: None)
    assert libreoffice_ms("<p>Report</p>") is None
