"""The board's papers in a real browser: federation staff publish the March
2019 COO report from its draft, and rebuild the February 2019 board pack
(built by the background worker, its progress on the page) and publish it as
a corrected version; a board member downloads that pack and checks, on the
verification page, that the file they hold is that published version."""

import hashlib
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from reports.models import BoardMeeting, PublishedVersion

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


def run_worker(monkeypatch) -> None:
    """The django-tasks database worker, as `make run` starts it, until the queue is empty."""
    # The worker closes the database connections it finds between tasks; this
    # one is the test's own.
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def test_staff_publish_march_and_the_board_verifies_the_february_pack(
    page, log_in, console_errors, monkeypatch
):
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

    # when they rebuild the February pack, the page shows the build queued, never waiting on it
    february = BoardMeeting.objects.get(held_on="2019-02-27")
    page.goto(f"/reports/meetings/{february.pk}/pack/")
    page.get_by_role("button", name="Build it again").click()
    expect(page.locator("main")).to_contain_text("The pack is being built.")
    expect(page.get_by_role("status").filter(has_text="% done")).to_contain_text(
        "Waiting for the worker: 0% done"
    )

    # and the background worker builds it
    run_worker(monkeypatch)
    page.get_by_role("link", name="Refresh to see its progress").click()
    expect(page.locator("main")).to_contain_text(re.compile(r"Built .+: \d+ pages"))

    # then they publish it as a correction, and the first version is superseded
    page.get_by_role("link", name="Publish a corrected version").click()
    page.get_by_label("What this version corrects").fill("Paper E rebuilt from the risk register")
    page.get_by_role("button", name="Publish the pack").click()
    expect(page.locator("main")).to_contain_text("Version 2 of the board pack is published.")
    expect(page.locator("main")).to_contain_text("Superseded")

    # given a board member, who sees published papers only
    page.get_by_role("button", name="Log out").click()
    log_in("demo-board")
    open_board_reports(page)
    published = page.locator("table", has_text="Published reports and packs")

    # when they download the February pack's latest version
    with page.expect_download() as download_info:
        published.get_by_role("link", name=re.compile(f"^PDF of {PACK}, version 2")).click()
    held = Path(download_info.value.path()).read_bytes()
    assert held.startswith(b"%PDF-")
    sha256 = hashlib.sha256(held).hexdigest()
    pack = PublishedVersion.objects.get(pack__isnull=False, version=2)
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
    expect(result).to_contain_text(f"{PACK}, version 2")
    expect(result).to_contain_text("It is the latest version.")
    expect(page.locator("main")).to_contain_text(sha256)

    # and a changed copy is not
    page.get_by_label("The PDF you hold").set_input_files(
        files=[{"name": "pack.pdf", "mimeType": "application/pdf", "buffer": held + b"\n"}]
    )
    page.get_by_role("button", name="Check the PDF").click()
    expect(page.get_by_role("status")).to_contain_text("Not a published version")
    assert console_errors == []
