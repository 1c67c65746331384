"""The home page as each role's work queue, in a real browser on the demo
federation: staff see what waits for them and land on exactly those rows;
the practice manager sees their things to do and lands on the form that
does one."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture(autouse=True)
def february_2019(settings):
    settings.FEDPORTAL_TODAY = "2019-02-15"


def test_staff_follow_a_queue_item_to_the_rows_it_counts(page, log_in, console_errors):
    # given federation staff on their home page
    log_in("demo-staff")
    page.goto("/")
    queue = page.locator("#work-queue")
    expect(queue).to_contain_text("evidence awaiting review")
    expect(queue).to_contain_text("activity returns awaiting approval")

    # when they follow each item, its list shows as many rows as it said
    items = queue.get_by_role("link")
    labels = [(items.nth(n).inner_text(), items.nth(n).get_attribute("href")) for n in range(items.count())]
    assert len(labels) >= 3
    for text, href in labels:
        count = int(re.match(r"([\d,]+)", text).group(1).replace(",", ""))
        page.goto(href)
        if href.startswith("/imports/"):
            expect(page.locator("#import-runs tbody tr")).to_have_count(count)
        else:
            expect(page.locator(".fp-result-count")).to_contain_text(f"{count:,} result")

    # and the home page's headline figures match their lists too
    page.goto("/")
    card = page.locator(".fp-headlines .nhsuk-card", has_text="Open member practices")
    figure = card.get_by_role("link").inner_text()
    card.get_by_role("link").click()
    expect(page.locator(".fp-result-count")).to_contain_text(f"{figure} results")
    assert console_errors == []


def test_the_practice_manager_follows_a_thing_to_do_to_its_form(page, log_in, console_errors):
    # given the Wycliffe's practice manager, whose indemnity certificate expires soon
    log_in("demo-practice")
    page.goto("/")
    things = page.locator("#things-to-do")
    expect(things).to_contain_text("Indemnity certificate")

    # when they follow it
    things.get_by_role("link", name=re.compile("Indemnity certificate")).first.click()

    # then they are on the upload form, with the requirement chosen
    expect(page.get_by_role("heading", level=1)).to_contain_text("Upload evidence")
    expect(page.locator("select[name=requirement] option:checked")).to_contain_text("Indemnity certificate")
    assert console_errors == []
