"""The COO report of a month: the same numbers in the HTML preview, the PDF
(tagged, outlined, in British English) and the xlsx, computed from the
other apps' records; markup in an update shown as text everywhere."""

from datetime import date, datetime
from io import BytesIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import services
from tests.reports.papers.conftest import outline_titles, pdf_text

pytestmark = pytest.mark.django_db


def test_the_pdf_holds_the_computed_tables_and_totals(papers, client_as):
    response = client_as("staff").get("/reports/2019-02/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Chief Operating Officer Report – February 2019" in text
    # Contracts held on 28 February 2019, and their total.
    assert "First Contact Physio" in text and "Jamie Bell Physiotherapy Ltd" in text
    assert "GPTeamNet" in text and "Clarity Informatics" in text
    assert "£66,040.00" in text
    assert "Total (2 contracts)" in text
    # Key risk with its score, the milestone at risk, the open action.
    assert "Clinical workforce recruitment" in text
    assert "4 × 5" in text
    assert "UC2" in text and "At risk" in text  # due 28 February, forecast 20 March
    assert "Write up a clinical governance process" in text
    # What changed: the GPTeamNet contract started in February.
    assert "Contracts started" in text
    # Running header and page numbers.
    reader = PdfReader(BytesIO(response.content))
    pages = len(reader.pages)
    assert pages >= 2
    assert f"Page 2 of {pages}" in reader.pages[1].extract_text()
    assert "ELR GP Federation – COO report February 2019" in reader.pages[1].extract_text()


def test_the_pdf_is_tagged_outlined_and_in_british_english(papers, client_as):
    data = client_as("staff").get("/reports/2019-02/pdf/").content
    reader = PdfReader(BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/MarkInfo"]["/Marked"]
    titles = outline_titles(data)
    assert "(a) Business plan for FY19/20" in titles
    assert "(b) Urgent Care" in titles
    for section in (
        "Contracts held for practices",
        "Key risks",
        "Open actions",
        "What changed since last month",
    ):
        assert section in titles


def test_markup_and_script_in_an_update_are_text_in_the_page_and_the_pdf(papers, client_as):
    staff = client_as("staff")
    page = staff.get("/reports/2019-02/").content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "<script>alert" not in page and "<b>bold</b>" not in page
    assert 'href="javascript:' not in page
    text = pdf_text(staff.get("/reports/2019-02/pdf/").content)
    assert '<script>alert("x")</script>' in text
    assert "<b>bold</b>" in text


def test_the_preview_has_the_same_figures(papers, client_as):
    page = client_as("staff").get("/reports/2019-02/").content.decode()
    assert "£66,040.00" in page
    assert "(a) Business plan for FY19/20" in page


def test_xlsx_exports_hold_the_same_numbers(papers, client_as):
    response = client_as("staff").get("/reports/2019-02/tables/contracts.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "Locality"
    projects = {row[2]: row for row in rows[2:-1]}
    assert set(projects) == {"First Contact Physio", "GPTeamNet"}
    assert float(rows[-1][-1]) == 66040.0
    risks = load_workbook(
        BytesIO(b"".join(client_as("staff").get("/reports/2019-02/tables/risks.xlsx").streaming_content))
    ).active
    assert list(risks.iter_rows(values_only=True))[2][:5] == (
        "Clinical workforce recruitment",
        "JW",
        4,
        5,
        20,
    )
    assert client_as("staff").get("/reports/2019-02/tables/nothing.xlsx").status_code == 404


def test_a_risk_trend_comes_from_last_months_history(papers, client_as, staff_user):
    risk = papers["risk"]
    # The register had this risk at 3 x 5 when January's report went out.
    events = apps.get_model("reports", "RiskEvent").objects
    events.filter(pgh_obj_id=risk.pk).update(pgh_created_at=timezone.make_aware(datetime(2019, 1, 20)))
    events.filter(pgh_obj_id=risk.pk).update(likelihood=3)
    page = client_as("staff").get("/reports/2019-02/").content.decode()
    assert "Rising (was 15)" in page


def test_a_risk_new_since_last_month_says_so(papers, client_as):
    assert "New" in client_as("staff").get("/reports/2019-02/").content.decode()


def test_the_report_page_reads_a_bounded_number_of_queries(
    papers, client_as, django_assert_max_num_queries, staff_user
):
    staff = client_as("staff")
    for n in range(5):
        workstream = services.workstream_save(user=staff_user, title=f"Workstream {n}", position=10 + n)
        services.update_save(
            user=staff_user, workstream=workstream, month=date(2019, 2, 1), body=f"Update {n}"
        )
        services.risk_save(
            user=staff_user, title=f"Risk {n}", owner="JW", likelihood=2, impact=2, is_key=True
        )
    # The report composes the other apps' selectors (contracts, compliance,
    # PCNs, finance, the fund's fees): a fixed number of queries, whatever the rows.
    with django_assert_max_num_queries(12):
        assert staff.get("/reports/2019-02/").status_code == 200


def test_render_coo_report_writes_the_same_pdf(papers, tmp_path):
    out = tmp_path / "report.pdf"
    call_command("render_coo_report", "2019-02", "--out", str(out))
    text = pdf_text(out.read_bytes())
    assert "£66,040.00" in text and "Chief Operating Officer Report – February 2019" in text


def test_render_coo_report_says_what_is_wrong(papers, tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM"):
        call_command("render_coo_report", "Feb-2019", "--out", str(tmp_path / "x.pdf"))
    with pytest.raises(CommandError, match="no COO report for March 2019"):
        call_command("render_coo_report", "2019-03", "--out", str(tmp_path / "x.pdf"))
