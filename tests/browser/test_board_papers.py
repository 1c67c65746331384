"""The board's papers in a real browser: federation staff publish the March
2019 COO report from its draft; a board member downloads the published
February 2019 board pack and checks, on the verification page, that the file
they hold is that published version."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from reports.models import PublishedVersion

pytestmark = pytest.mark.browser

PACK = "Board pack 27 February 2019"


@pytest.fixture(autouse=True)
def february_2019(settings):
    settings.FEDPORTAL_TODAY = "2019-02-15"


@pytest.fixture(autouse=True)
def media(media_root):
    """Published PDFs are written under the test's own folder."""
    return media_root


def open_board_reports(page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Board reports").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_staff_publish_march_and_the_board_verifies_the_february_pack(page, log_in, console_errors):
    # given federation staff on the March 2019 report, still a draft
    log_in("demo-staff")
    open_board_reports(page)
    page.get_by_role("link", name="March 2019", exact=True).click()
    expect(page.locator("main")).to_contain_text("Not published yet")

    # when they publish it
    page.get_by_role("link", name="Publish", exact=True).click()
    page.get_by_role("button", name="Publish this version").click()

    # then version 1 is frozen, and listed among the published papers
    expect(page.locator("main")).to_contain_text("Version 1 of the COO report for March 2019 is published.")
    march = PublishedVersion.objects.get(report__month__month=3)
    assert march.version == 1 and len(march.sha256) == 64
    open_board_reports(page)
    expect(page.locator("table", has_text="Published reports and packs")).to_contain_text(
        "COO report March 2019"
    )

    # given a board member, who sees published papers only
    page.get_by_role("button", name="Log out").click()
    log_in("demo-board")
    open_board_reports(page)
    published = page.locator("table", has_text="Published reports and packs")
    row = published.locator("tbody tr", has_text=PACK)

    # when they download the February pack
    with page.expect_download() as download_info:
        row.get_by_role("link", name=re.compile("^PDF")).click()
    held = Path(download_info.value.path()).read_bytes()
    assert held.startswith(b"%PDF-")
    sha256 = hashlib.sha256(held).hexdigest()
    pack = PublishedVersion.objects.get(pack__isnull=False)
    assert sha256 == pack.sha256  # exactly the published bytes

    # and check the file they hold on the verification page
    page.get_by_role("link", name="Check a PDF you hold").click()
    page.get_by_label("The PDF you hold").set_input_files(
        files=[{"name": "pack.pdf", "mimeType": "application/pdf", "buffer": held}]
    )
    page.get_by_role("button", name="Check the PDF").click()

    # then the page says which published version it is
    result = page.get_by_role("status")
    expect(result).to_contain_text("This is a published version")
    expect(result).to_contain_text(f"{PACK}, version 1")
    expect(result).to_contain_text("It is the latest version.")
    expect(page.locator("main")).to_contain_text(sha256)

    # and a changed copy is not
    page.get_by_label("The PDF you hold").set_input_files(
        files=[{"name": "pack.pdf", "mimeType": "application/pdf", "buffer": held + b"\n"}]
    )
    page.get_by_role("button", name="Check the PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Not a published version")
    assert console_errors == []
