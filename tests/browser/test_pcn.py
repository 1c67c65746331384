"""The Network Contract DES registration in a real browser: the practice
manager of The Wycliffe Medical Practice signs South Blaby & Lutterworth
PCN's network agreement for their practice (the last signature it waits
for), then federation staff submit the registration."""

import re

import pytest
from playwright.sync_api import expect

from pcn.models import AgreementSignature, Registration, RegistrationStatus

pytestmark = pytest.mark.browser

NETWORK = "South Blaby & Lutterworth PCN"
PRACTICE = "The Wycliffe Medical Practice"


@pytest.fixture(autouse=True)
def february_2019(settings):
    """The demo federation as of its COO report, before registrations were
    due: its users, practices and networks (the rest of the demo plays no
    part in this story, and loading it for each test would only be slower)."""
    settings.FEDPORTAL_TODAY = "2019-02-15"
    settings.FEDPORTAL_DEMO_LOADERS = ["fedportal.demo.load", "localities.demo.load", "pcn.demo.load"]


def open_registration(page) -> None:
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="PCNs").click()
    page.locator("table.fp-table tbody tr", has_text=NETWORK).get_by_role("link", name=NETWORK).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(NETWORK)
    page.get_by_role("link", name="Registration 2019/20").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Network Contract DES registration 2019/20")


def test_practice_signs_the_network_agreement_and_staff_submit(page, log_in, console_errors):
    # given the practice manager of the one member that has not signed yet
    log_in("demo-practice")
    open_registration(page)
    expect(page.locator("#check-list")).to_contain_text("Not yet signed by C82025")
    # they may sign for their own practice only
    expect(page.locator("#member-table").get_by_role("link", name=re.compile("^Sign for"))).to_have_count(1)

    # when they sign for their practice
    page.get_by_role("link", name=f"Sign for {PRACTICE}").click()
    page.get_by_label("Signed for the practice by").fill("Dr Priya Mistry")
    page.get_by_role("button", name="Sign for the practice").click()

    # then the registration shows the signature, and every check is met
    expect(page.locator("main")).to_contain_text(f"{PRACTICE} has signed the network agreement.")
    expect(page.locator("#member-C82025")).to_contain_text("Signed by Dr Priya Mistry")
    expect(page.locator("#check-list")).to_contain_text("Every member practice has signed.")
    signature = AgreementSignature.objects.get(practice__ods_code="C82025")
    assert signature.signed_by.username == "demo-practice" and not signature.recorded_by_staff
    expect(page.get_by_role("link", name="Submit the registration")).to_have_count(0)  # staff submit

    # when federation staff submit the registration
    page.get_by_role("button", name="Log out").click()
    log_in("demo-staff")
    open_registration(page)
    page.get_by_role("link", name="Submit the registration").click()
    page.get_by_role("button", name="Submit registration").click()

    # then the page shows it submitted, with its members frozen
    expect(page.locator("main")).to_contain_text("Registration submitted.")
    expect(page.locator("#status")).to_contain_text("Submitted")
    expect(page.locator("main")).to_contain_text("As submitted: list sizes at 1 January 2019, frozen.")
    registration = Registration.objects.get(pcn__code="U71931")
    assert registration.status == RegistrationStatus.SUBMITTED
    assert registration.submitted_by.username == "demo-staff"
    assert console_errors == []


def test_the_new_pcn_pages_have_no_axe_violations(page, log_in):
    from pcn.models import WorkforcePost
    from tests.browser.test_accessibility import AXE, axe_violations

    assert AXE.exists(), "axe-core is installed by `make` (npm ci) into node_modules"
    log_in("demo-staff")
    registration = Registration.objects.get(pcn__code="U25294")  # a draft, half signed
    post = WorkforcePost.objects.filter(pcn__code="U12169").first()
    failures = {}
    for path in [
        "/pcn/U12169/workforce/",
        "/pcn/U12169/workforce/new/",
        f"/pcn/workforce/{post.pk}/claims/new/",
        "/pcn/U12169/maturity/",
        "/pcn/U12169/maturity/new/",
        f"/pcn/registrations/{registration.pk}/",
        f"/pcn/registrations/{registration.pk}/schedule/",
        "/practices/C82025/?on=2019-08-01",
        "/practices/C82025/?on=not-a-date",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        if violations := axe_violations(page):
            failures[path] = violations
    # a form refused, its errors beside the fields
    page.goto("/pcn/U12169/maturity/new/")
    page.get_by_role("button", name="Record assessment").click()
    expect(page.locator(".nhsuk-error-summary")).to_be_visible()
    if violations := axe_violations(page):
        failures["maturity form with errors"] = violations
    assert failures == {}
