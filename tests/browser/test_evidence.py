"""Sub-contract evidence in a real browser: the practice manager uploads a
renewed indemnity certificate, federation staff accept it, and the practice
sees its sub-contract compliant again."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from contracts.models import EvidenceStatus, EvidenceSubmission
from tests.browser.dates import fill_date
from tests.contracts.conftest import PDF_BYTES

pytestmark = pytest.mark.browser

PRACTICE = "The Wycliffe Medical Practice"
SERVICE = "H. pylori breath test"


@pytest.fixture(autouse=True)
def february_2019(settings):
    """The demo federation as of its COO report: its indemnity runs out soon."""
    settings.FEDPORTAL_TODAY = "2019-02-15"


def open_h_pylori_subcontract(page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sub-contracts").click()
    row = page.locator("table.fp-table tbody tr", has_text=SERVICE)
    row.get_by_role("link", name=PRACTICE).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SERVICE)


def test_practice_uploads_an_indemnity_certificate_and_staff_accept_it(page, log_in, console_errors):
    # given the practice manager of The Wycliffe Medical Practice, whose
    # indemnity certificate expires within 30 days
    log_in("demo-practice")
    open_h_pylori_subcontract(page)
    expect(page.locator("main")).to_contain_text("Expiring within 30 days")

    # when they upload the renewed certificate
    page.get_by_role("link", name=re.compile(r"Upload evidence for Indemnity certificate")).click()
    expect(page.get_by_label("Evidence for")).to_have_value(re.compile(r"\d+"))
    page.get_by_label("File").set_input_files(
        {"name": "indemnity-2019-20.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_label("What it is").fill("MDDUS indemnity certificate 2019/20")
    fill_date(page, "Valid from", date(2019, 2, 20))
    fill_date(page, "Valid to", date(2020, 2, 19))
    page.get_by_role("button", name="Upload evidence").click()

    # then it waits for review, kept beside the earlier version
    expect(page.locator("main")).to_contain_text("Awaiting review")
    submission = EvidenceSubmission.objects.get(description="MDDUS indemnity certificate 2019/20")
    assert (submission.status, submission.version) == (EvidenceStatus.PENDING, 2)
    assert submission.subcontract.practice.name == PRACTICE

    # when federation staff find it in the evidence awaiting review and accept it
    page.get_by_role("button", name="Log out").click()
    log_in("demo-staff")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Sub-contracts").click()
    expect(page.locator("#awaiting-review")).to_be_visible()
    page.goto("/evidence/?status=pending")
    page.get_by_label("Practice name or ODS code").fill("C82025")
    page.get_by_role("button", name="Filter").click()
    page.locator("table.fp-table tbody tr", has_text="MDDUS indemnity").get_by_role(
        "link", name=re.compile("Indemnity certificate")
    ).click()
    page.get_by_label("Accept").check()
    page.get_by_role("button", name="Save decision").click()

    # then the decision is recorded once, and the practice is compliant again
    expect(page.locator("#decision")).to_contain_text("Accepted by Helen Parker")
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.ACCEPTED
    page.get_by_role("button", name="Log out").click()
    log_in("demo-practice")
    open_h_pylori_subcontract(page)
    expect(page.locator("main")).not_to_contain_text("Expiring within 30 days")
    expect(page.locator("main")).to_contain_text("Compliant")
    assert console_errors == []
