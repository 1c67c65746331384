"""The apps' layers (DESIGN.md, Layout): each app declares its own menu
entries and URLs, and the portal shows them as one header and one site. The
direction of imports itself is checked by `lint-imports` (run by `make test`)."""

import re

import pytest
from django.urls import reverse

# Each role's menu, in order: (label, link).
EVERY_MENU_ITEM = [
    ("Home", "/"),
    ("Localities", "/localities/"),
    ("Practices", "/practices/"),
    ("PCNs", "/pcn/"),
    ("Contracts", "/contracts/"),
    ("Sub-contracts", "/subcontracts/"),
    ("Returns", "/returns/"),
    ("Finance", "/finance/"),
    ("Board reports", "/reports/"),
    ("Imports", "/imports/"),
]
WITHOUT_IMPORTS = [item for item in EVERY_MENU_ITEM if item[0] != "Imports"]
# Practice users see neither the federation's localities, its finances nor the board's papers.
PRACTICE_MENU = [
    item for item in WITHOUT_IMPORTS if item[0] not in ("Localities", "Finance", "Board reports")
]

MENU_LINK = re.compile(
    r'<li class="nhsuk-header__navigation-item( nhsuk-header__navigation-item--current)?">\s*'
    r'<a class="nhsuk-header__navigation-link" href="([^"]+)"[^>]*>([^<]+)</a>'
)


def menu(body: str) -> list[tuple[str, str, bool]]:
    """The header's menu: (label, link, whether it is marked current)."""
    return [(label, href, bool(current)) for current, href, label in MENU_LINK.findall(body)]


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("staff", EVERY_MENU_ITEM),
        ("administrator", EVERY_MENU_ITEM),
        ("board", WITHOUT_IMPORTS),
        ("practice", PRACTICE_MENU),
    ],
)
def test_each_role_sees_its_menu_in_the_same_order(client_as, role, expected):
    # when a user of the role opens the home page
    body = client_as(role).get("/").content.decode()

    # then the header lists their pages, Home marked as the current one
    assert menu(body) == [(label, href, label == "Home") for label, href in expected]


@pytest.mark.parametrize(
    ("path", "current"),
    [
        ("/practices/", "Practices"),
        ("/localities/", "Localities"),
        ("/contracts/", "Contracts"),
        ("/subcontracts/list/", "Sub-contracts"),
        ("/evidence/", "Sub-contracts"),
        ("/services/", "Sub-contracts"),
        ("/returns/", "Returns"),
        ("/imports/", "Imports"),
        ("/reports/", "Board reports"),
    ],
)
def test_the_menu_marks_the_section_of_the_page(client_as, path, current):
    body = client_as("staff").get(path).content.decode()

    assert [label for label, _, is_current in menu(body) if is_current] == [current]


def test_anonymous_users_get_no_menu(client):
    body = client.get(reverse("login")).content.decode()

    assert menu(body) == []


@pytest.mark.parametrize(
    ("name", "kwargs", "path"),
    [
        ("home", {}, "/"),
        ("localities:locality-list", {}, "/localities/"),
        ("localities:locality-detail", {"slug": "harborough"}, "/localities/harborough/"),
        ("localities:practice-list", {}, "/practices/"),
        ("localities:practice-create", {}, "/practices/new/"),
        ("localities:practice-detail", {"ods_code": "C82009"}, "/practices/C82009/"),
        ("localities:practice-edit", {"ods_code": "C82009"}, "/practices/C82009/edit/"),
        ("localities:list-size-create", {"ods_code": "C82009"}, "/practices/C82009/list-sizes/new/"),
        ("localities:import-start", {}, "/imports/"),
        ("localities:import-preview", {"pk": 3}, "/imports/3/"),
        ("contracts:contract-list", {}, "/contracts/"),
        ("contracts:contract-create", {}, "/contracts/new/"),
        ("contracts:organisation-create", {}, "/contracts/organisations/new/"),
        ("contracts:contract-detail", {"pk": 3}, "/contracts/3/"),
        ("contracts:contract-edit", {"pk": 3}, "/contracts/3/edit/"),
        ("contracts:contract-archive", {"pk": 3}, "/contracts/3/archive/"),
        ("contracts:contract-document-create", {"pk": 3}, "/contracts/3/documents/new/"),
        ("contracts:contract-document-download", {"pk": 3}, "/contracts/documents/3/download/"),
        ("contracts:contract-note-create", {"pk": 3}, "/contracts/3/notes/new/"),
        ("contracts:compliance-dashboard", {}, "/subcontracts/"),
        ("contracts:subcontract-list", {}, "/subcontracts/list/"),
        ("contracts:subcontract-create", {}, "/subcontracts/new/"),
        ("contracts:subcontract-detail", {"pk": 3}, "/subcontracts/3/"),
        ("contracts:subcontract-change", {"pk": 3}, "/subcontracts/3/edit/"),
        ("contracts:evidence-create", {"pk": 3}, "/subcontracts/3/evidence/new/"),
        ("contracts:clinician-create", {"pk": 3}, "/subcontracts/3/clinicians/new/"),
        ("contracts:clinician-remove", {"pk": 3}, "/subcontracts/clinicians/3/remove/"),
        ("contracts:return-create", {"pk": 3}, "/subcontracts/3/returns/new/"),
        ("contracts:evidence-list", {}, "/evidence/"),
        ("contracts:evidence-detail", {"pk": 3}, "/evidence/3/"),
        ("contracts:evidence-download", {"pk": 3}, "/evidence/3/download/"),
        ("contracts:service-list", {}, "/services/"),
        ("contracts:service-create", {}, "/services/new/"),
        ("contracts:head-contract-create", {}, "/services/head-contracts/new/"),
        ("contracts:requirement-edit", {"pk": 3}, "/services/requirements/3/edit/"),
        ("contracts:service-detail", {"slug": "phlebotomy"}, "/services/phlebotomy/"),
        ("contracts:tariff-create", {"slug": "phlebotomy"}, "/services/phlebotomy/tariffs/new/"),
        ("contracts:requirement-create", {"slug": "phlebotomy"}, "/services/phlebotomy/requirements/new/"),
        (
            "contracts:payment-schedule",
            {"slug": "phlebotomy", "quarter": "2019-Q1"},
            "/services/phlebotomy/payment-schedule/2019-Q1/",
        ),
        ("contracts:return-list", {}, "/returns/"),
        ("contracts:payment-schedule-index", {}, "/returns/payment-schedules/"),
        ("contracts:return-detail", {"pk": 3}, "/returns/3/"),
        ("contracts:return-amend", {"pk": 3}, "/returns/3/amend/"),
    ],
)
def test_every_page_keeps_its_name_and_address(name, kwargs, path):
    assert reverse(name, kwargs=kwargs) == path


def test_the_user_admin_still_shows_a_users_practices(admin, practice_user, practice):
    # fedportal registers the user admin; localities adds the practices to it
    body = admin.get(reverse("admin:fedportal_user_change", args=[practice_user.pk])).content.decode()

    assert 'id="practice_memberships-group"' in body
    assert practice.name in body
    assert "Portal role" in body
