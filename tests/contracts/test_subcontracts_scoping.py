"""Who may open which page of services, sub-contracts and evidence: every page
for every role, and the practice user's scope (another practice's records are
404, never 403, and never listed, exported or shown in the matrix)."""

import logging
from datetime import date

import pytest

from contracts.models import EvidenceSubmission, ScheduledClinician
from contracts.services.evidence import evidence_submit
from tests.contracts.conftest import pdf_upload
from tests.pages import export_rows
from tests.roles import (
    EVERYONE,
    FORBIDDEN,
    NOT_FOR_PRACTICE,
    NOT_FOUND,
    OK,
    REDIRECT,
    STAFF_ONLY,
    STAFF_ONLY_OUT_OF_SCOPE,
    role_table,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]

FEDERATION = {"staff": OK, "board": OK, "practice": FORBIDDEN, "administrator": OK}
KEEPERS = {"staff": OK, "board": FORBIDDEN, "practice": OK, "administrator": OK}
KEEPERS_OUT_OF_SCOPE = STAFF_ONLY_OUT_OF_SCOPE
EVIDENCE = {"staff": OK, "board": NOT_FOUND, "practice": OK, "administrator": OK}
EVIDENCE_OUT_OF_SCOPE = {"staff": OK, "board": NOT_FOUND, "practice": NOT_FOUND, "administrator": OK}
DASHBOARD = {"staff": OK, "board": OK, "practice": REDIRECT, "administrator": OK}

# {own}/{other}: the practice user's sub-contract and another practice's;
# {own_ev}/{other_ev}: evidence uploaded for each; {req}: a requirement.
PAGES = [
    ("/subcontracts/", DASHBOARD),
    ("/subcontracts/?_export=xlsx", DASHBOARD),
    ("/subcontracts/?_export=csv", DASHBOARD),
    ("/subcontracts/list/", EVERYONE),
    ("/subcontracts/list/?_export=xlsx", EVERYONE),
    ("/subcontracts/list/?_export=csv", EVERYONE),
    ("/subcontracts/new/", STAFF_ONLY),
    ("/subcontracts/{own}/", EVERYONE),
    ("/subcontracts/{other}/", NOT_FOR_PRACTICE),
    ("/subcontracts/{own}/evidence/new/", KEEPERS),
    ("/subcontracts/{other}/evidence/new/", KEEPERS_OUT_OF_SCOPE),
    ("/subcontracts/{own}/clinicians/new/", KEEPERS),
    ("/subcontracts/{other}/clinicians/new/", KEEPERS_OUT_OF_SCOPE),
    ("/evidence/", EVERYONE),
    ("/evidence/?_export=xlsx", EVERYONE),
    ("/evidence/?_export=csv", EVERYONE),
    ("/evidence/{own_ev}/", EVIDENCE),
    ("/evidence/{other_ev}/", EVIDENCE_OUT_OF_SCOPE),
    ("/evidence/{own_ev}/download/", EVIDENCE),
    ("/evidence/{other_ev}/download/", EVIDENCE_OUT_OF_SCOPE),
    ("/services/", FEDERATION),
    ("/services/?_export=xlsx", FEDERATION),
    ("/services/h-pylori/", FEDERATION),
    ("/services/new/", STAFF_ONLY),
    ("/services/head-contracts/new/", STAFF_ONLY),
    ("/services/h-pylori/tariffs/new/", STAFF_ONLY),
    ("/services/h-pylori/requirements/new/", STAFF_ONLY),
    ("/services/requirements/{req}/edit/", STAFF_ONLY),
]
ROLE_TABLE = role_table(PAGES)


def upload(subcontract, requirement, user, name="indemnity.pdf"):
    return evidence_submit(
        subcontract=subcontract,
        requirement=requirement,
        upload=pdf_upload(name),
        description="Indemnity certificate",
        valid_from=date(2018, 4, 1),
        valid_to=date(2019, 3, 31),
        user=user,
    )


@pytest.fixture
def world(subcontract, other_subcontract, indemnity, staff_user):
    return {
        "own": subcontract.pk,
        "other": other_subcontract.pk,
        "own_ev": upload(subcontract, indemnity, staff_user).pk,
        "other_ev": upload(other_subcontract, indemnity, staff_user, name="oakham.pdf").pk,
        "req": indemnity.pk,
    }


@pytest.mark.parametrize(("path", "role", "expected"), ROLE_TABLE)
def test_each_role_gets_the_status_the_design_gives_it_on_each_page(client_as, world, path, role, expected):
    # given two practices' sub-contracts, each with evidence
    url = path.format(**world)

    # when the role asks for the page
    response = client_as(role).get(url)

    # then anonymous people are sent to log in, and everyone else gets the table's status
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


def test_practice_user_is_sent_from_the_dashboard_to_their_own_list(client_as, world):
    # when the practice user opens the dashboard
    response = client_as("practice").get("/subcontracts/")

    # then they land on the list of their sub-contracts
    assert response.status_code == 302
    assert response["Location"] == "/subcontracts/list/"


def test_out_of_scope_records_look_exactly_like_missing_ones(client_as, world):
    # given a practice user
    client = client_as("practice")

    # when they guess another practice's sub-contract, evidence and file, and ids that do not exist
    pairs = [
        (f"/subcontracts/{world['other']}/", "/subcontracts/999999/"),
        (f"/subcontracts/{world['other']}/evidence/new/", "/subcontracts/999999/evidence/new/"),
        (f"/evidence/{world['other_ev']}/", "/evidence/999999/"),
        (f"/evidence/{world['other_ev']}/download/", "/evidence/999999/download/"),
    ]
    for existing_url, missing_url in pairs:
        existing, missing = client.get(existing_url), client.get(missing_url)

        # then both are the same NHS-style 404
        assert existing.status_code == missing.status_code == 404
        assert existing.templates[0].name == missing.templates[0].name == "404.html"


def test_practice_user_cannot_upload_to_another_practice_by_posting(client_as, world, indemnity):
    # given a practice user who knows another practice's sub-contract id
    before = EvidenceSubmission.objects.count()

    # when they post an upload to it
    response = client_as("practice").post(
        f"/subcontracts/{world['other']}/evidence/new/",
        {"requirement": indemnity.pk, "file": pdf_upload(), "description": "x", "valid_to": "2020-01-01"},
    )

    # then it is a 404 and nothing is written
    assert response.status_code == 404
    assert EvidenceSubmission.objects.count() == before


def test_practice_user_cannot_remove_another_practices_clinician(client_as, other_subcontract, practice_user):
    # given a clinician on another practice's schedule
    clinician = ScheduledClinician.objects.create(subcontract=other_subcontract, name="Dr Other")

    # when the practice user posts its removal, and a board member too
    practice_response = client_as("practice").post(f"/subcontracts/clinicians/{clinician.pk}/remove/")
    board_response = client_as("board").post(f"/subcontracts/clinicians/{clinician.pk}/remove/")

    # then the practice user gets 404, the board 403, and the clinician stays on the schedule
    assert practice_response.status_code == 404
    assert board_response.status_code == 403
    clinician.refresh_from_db()
    assert clinician.removed_on is None


def test_out_of_scope_evidence_lookups_are_logged(client_as, world, caplog):
    # given the security log is captured
    security_log = logging.getLogger("fedportal.security")
    security_log.addHandler(caplog.handler)
    try:
        # when a practice user asks for another practice's evidence file
        client_as("practice").get(f"/evidence/{world['other_ev']}/download/")
    finally:
        security_log.removeHandler(caplog.handler)

    # then the attempt is logged with the user's name
    assert any(
        "out-of-scope lookup: user=practice" in r.getMessage() and "EvidenceSubmission" in r.getMessage()
        for r in caplog.records
    )


def test_practice_user_never_sees_another_practice_in_the_lists(client_as, world, other_practice):
    # given a practice user
    client = client_as("practice")

    # when they list sub-contracts and evidence, searching for the other practice too
    pages = [
        client.get("/subcontracts/list/").content.decode(),
        client.get(f"/subcontracts/list/?q={other_practice.ods_code}").content.decode(),
        client.get("/evidence/").content.decode(),
        client.get(f"/evidence/?q={other_practice.ods_code}").content.decode(),
    ]

    # then the other practice never appears, not even its locality as a filter choice
    for page in pages:
        assert other_practice.name not in page
        assert "Rutland" not in page
    assert other_practice.ods_code not in pages[0] + pages[2]
    assert "Market Harborough Medical Centre" in pages[0]
    assert "0 results" in pages[1]
    assert "0 results" in pages[3]


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
@pytest.mark.parametrize("path", ["/subcontracts/list/", "/evidence/"])
def test_practice_user_exports_hold_only_their_practice(client_as, world, path, export_format):
    # when the practice user exports a list
    response = client_as("practice").get(f"{path}?_export={export_format}")

    # then the file holds their practice's rows and nothing of the other
    rows = export_rows(response, export_format)
    assert [row[0] for row in rows[1:]] == ["Market Harborough Medical Centre"]
    assert not any("Oakham" in str(cell) for row in rows for cell in row)


def test_board_members_see_no_evidence_but_the_dashboard_and_sub_contracts(client_as, world):
    # given a board member
    client = client_as("board")

    # when they open the evidence list, its export, the dashboard and a sub-contract
    listing = client.get("/evidence/")
    export = export_rows(client.get("/evidence/?_export=csv"), "csv")
    dashboard = client.get("/subcontracts/").content.decode()
    detail = client.get(f"/subcontracts/{world['own']}/").content.decode()

    # then the evidence list is empty with a sentence saying why
    assert listing.status_code == 200
    assert "0 results" in listing.content.decode()
    assert "seen only by federation staff and the practice" in listing.content.decode()
    assert len(export) == 1  # the header row only
    # and the dashboard and sub-contract show where things stand, but no file or evidence list
    assert "Practices by service" in dashboard
    assert "Evidence awaiting review" not in dashboard
    assert "/download/" not in detail
    assert "Indemnity certificate" in detail  # the requirement and its state
    assert "seen by federation staff and the practice only" in detail
