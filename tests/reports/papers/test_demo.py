"""The demo's board papers: the February 2019 COO report with seed 000's
sections (a) to (t), published; a March 2019 draft the board cannot see."""

import hashlib
import re
from io import StringIO

import pytest
from django.core.management import call_command

from reports.models import CooReport, PublishedVersion, Workstream
from tests.reports.papers.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_february_report_is_published_with_seed_000s_sections(demo_client):
    board = demo_client("board")
    version = PublishedVersion.objects.get(report__month="2019-02-01")
    response = board.get(f"/reports/versions/{version.pk}/download/")
    data = b"".join(response.streaming_content)
    assert hashlib.sha256(data).hexdigest() == version.sha256
    text = pdf_text(data)
    assert "(a) Business plan for FY19/20" in text
    assert "(d) Urgent Care / extended primary care" in text
    assert "(t) Active signposting" in text
    assert "Clinical workforce recruitment (GPs and ANPs)" in text
    assert "JW will write up a clinical governance process" in text
    assert "Jamie Bell Physiotherapy Ltd" in text
    assert Workstream.objects.count() == 20
    # published on the portal's date, as the board would have had it in 2019
    listed = board.get("/reports/").content.decode()
    assert re.search(r"COO report February 2019</th>\s*<td>1</td>\s*<td>15 February 2019", listed)


def test_the_march_draft_is_staff_only(demo_client):
    assert CooReport.objects.filter(month="2019-03-01", versions__isnull=True).exists()
    assert demo_client("board").get("/reports/2019-03/").status_code == 404
    page = demo_client("staff").get("/reports/2019-03/").content.decode()
    assert "Not published yet" in page
    assert "The first session took place on 27th March 2019." in page


def test_the_key_risks_trend_since_january(demo_client):
    page = demo_client("staff").get("/reports/2019-02/").content.decode()
    assert "Falling (was 25)" in page  # workforce: 5 x 5 in January, 4 x 5 now
    assert "Rising (was 8)" in page  # activity over contracted volume: 2 x 4, now 3 x 4


def test_loading_the_demo_again_publishes_nothing_more(demo):
    assert PublishedVersion.objects.count() == 2  # the February report and the February pack
    call_command("load_demo", force=True, stdout=StringIO())
    assert PublishedVersion.objects.count() == 2
    assert CooReport.objects.count() == 2


def test_the_february_pack_is_published_with_its_papers_in_order(demo_client):
    version = PublishedVersion.objects.get(pack__isnull=False)
    data = b"".join(demo_client("board").get(f"/reports/versions/{version.pk}/download/").streaming_content)
    assert hashlib.sha256(data).hexdigest() == version.sha256
    text = pdf_text(data)
    assert "Board pack" in text and "Kibworth Medical Centre" in text
    # Paper B is the published COO report; C to F follow.
    assert "B-1 ·" in text and "F-1 ·" in text
    assert "Fracture Liaison Service business case" in text


def test_the_demo_report_page_and_pdf_take_at_most_12_queries(demo_client, django_assert_max_num_queries):
    staff = demo_client("staff")
    staff.get("/reports/2019-02/")  # the session's first save is not the page's
    with django_assert_max_num_queries(12):
        assert staff.get("/reports/2019-02/").status_code == 200
    with django_assert_max_num_queries(12):
        assert staff.get("/reports/2019-02/pdf/").status_code == 200
