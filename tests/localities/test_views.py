"""Who may open which page: every page for every role, and the practice user's
scope (another practice or locality is 404, never 403, and never listed)."""

import logging
from datetime import date

import pytest

from localities.models import ListSize, Practice
from tests.pages import export_rows
from tests.roles import EVERYONE, NOT_FOR_PRACTICE, STAFF_ONLY, STAFF_ONLY_OUT_OF_SCOPE, role_table

pytestmark = pytest.mark.django_db


# {own}/{other}: the practice user's practice (C82009, Harborough) and one they
# must not see (C82010, Rutland); {run}: an import staff uploaded.
PAGES = [
    ("/", EVERYONE),
    ("/localities/", EVERYONE),
    ("/localities/?_export=xlsx", EVERYONE),
    ("/localities/?_export=csv", EVERYONE),
    ("/localities/harborough/", EVERYONE),
    ("/localities/rutland/", NOT_FOR_PRACTICE),
    ("/practices/", EVERYONE),
    ("/practices/?_export=xlsx", EVERYONE),
    ("/practices/?_export=csv", EVERYONE),
    ("/practices/{own}/", EVERYONE),
    ("/practices/{other}/", NOT_FOR_PRACTICE),
    ("/practices/new/", STAFF_ONLY),
    ("/practices/{own}/edit/", STAFF_ONLY),
    ("/practices/{other}/edit/", STAFF_ONLY_OUT_OF_SCOPE),
    ("/practices/{own}/list-sizes/new/", STAFF_ONLY),
    ("/practices/{other}/list-sizes/new/", STAFF_ONLY_OUT_OF_SCOPE),
    ("/imports/", STAFF_ONLY),
    ("/imports/{run}/", STAFF_ONLY),
]
ROLE_TABLE = role_table(PAGES)


@pytest.mark.parametrize(("path", "role", "expected"), ROLE_TABLE)
def test_each_role_gets_the_status_the_design_gives_it_on_each_page(
    client_as, practice, other_practice, import_run, path, role, expected
):
    # given a federation of two practices in two localities, and an import
    url = path.format(own=practice.ods_code, other=other_practice.ods_code, run=import_run.pk)

    # when the role asks for the page
    response = client_as(role).get(url)

    # then anonymous people are sent to log in, and everyone else gets the table's status
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/?next=")
    else:
        assert response.status_code == expected


def test_out_of_scope_practice_looks_exactly_like_a_missing_one(client_as, practice, other_practice):
    # given a practice user
    client = client_as("practice")

    # when they guess another practice's pages and a code that does not exist
    for suffix in ("", "edit/", "list-sizes/new/"):
        existing = client.get(f"/practices/{other_practice.ods_code}/{suffix}")
        missing = client.get(f"/practices/C99999/{suffix}")

        # then both are the same NHS-style 404
        assert existing.status_code == missing.status_code == 404
        assert existing.templates[0].name == missing.templates[0].name == "404.html"


def test_out_of_scope_lookups_are_logged(client_as, practice, other_practice, caplog):
    # given the security log is captured
    security_log = logging.getLogger("fedportal.security")
    security_log.addHandler(caplog.handler)
    try:
        # when a practice user asks for another practice, and a board member for an edit page
        client_as("practice").get(f"/practices/{other_practice.ods_code}/")
        client_as("board").get(f"/practices/{practice.ods_code}/edit/")
    finally:
        security_log.removeHandler(caplog.handler)

    # then both are in the log, naming the user
    messages = [record.getMessage() for record in caplog.records]
    assert any("out-of-scope lookup: user=practice" in m and "C82010" in m for m in messages)
    assert any("permission refused: user=board" in m for m in messages)


def test_practice_user_never_sees_another_practice_in_the_list(client_as, practice, other_practice):
    # given a practice user
    client = client_as("practice")

    # when they list practices, search for the other one, and filter by its locality
    listed = client.get("/practices/").content.decode()
    searched = client.get(f"/practices/?q={other_practice.ods_code}").content.decode()
    by_locality = client.get(f"/practices/?locality={other_practice.locality_id}").content.decode()

    # then only their own practice ever appears
    assert practice.ods_code in listed
    assert other_practice.ods_code not in listed
    assert other_practice.name not in listed
    assert "0 results" in searched
    assert other_practice.name not in by_locality
    # and the other practice's locality is not even a filter choice
    assert "Rutland" not in listed


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_practice_user_exports_hold_only_their_practice(client_as, practice, other_practice, export_format):
    # given a practice user
    client = client_as("practice")

    # when they export the practice list
    response = client.get(f"/practices/?_export={export_format}")

    # then the file holds their practice and nothing of the other
    codes = [row[0] for row in export_rows(response, export_format)[1:]]
    assert codes == [practice.ods_code]


def test_practice_user_sees_only_their_locality_and_their_own_patients(client_as, practice, other_practice):
    # given another practice in the practice user's own locality
    neighbour = Practice.objects.create(
        ods_code="C82022",
        name="The Billesdon Surgery",
        locality=practice.locality,
        open_date=date(1974, 4, 1),
    )
    ListSize.objects.create(practice=neighbour, as_at=date(2019, 1, 1), registered_patients=6060)
    client = client_as("practice")

    # when they look at the localities list (and its export) and their locality
    listed = client.get("/localities/?as_at=2019-01-01")
    exported = client.get("/localities/?as_at=2019-01-01&_export=csv")
    rows = export_rows(exported, "csv")
    detail = client.get("/localities/harborough/?as_at=2019-01-01").content.decode()

    # then they see only Harborough, counted from their own practice alone
    assert [row.record.name for row in listed.context["table"].rows] == ["Harborough"]
    assert [row.record.population for row in listed.context["table"].rows] == [21627]
    assert rows[1:] == [["Harborough", "1", "21627"]]
    assert neighbour.name not in detail
    assert "21,627" in detail
    assert "27,687" not in detail


def test_staff_and_board_see_every_practice(client_as, practice, other_practice):
    for role in ("staff", "board", "administrator"):
        # when each lists practices
        table = client_as(role).get("/practices/").context["table"]

        # then both practices are there
        assert [row.record.ods_code for row in table.rows] == ["C82009", "C82010"]


def test_practice_user_home_page_shows_their_practice_only(client_as, practice, other_practice):
    body = client_as("practice").get("/").content.decode()

    assert practice.name in body
    assert other_practice.name not in body
    # the header offers no federation-wide pages
    assert 'href="/localities/"' not in body
    assert 'href="/imports/"' not in body


def test_board_cannot_post_a_practice_and_nothing_is_written(client_as, harborough):
    # given a board member
    before = Practice.objects.count()

    # when they post the new-practice form
    response = client_as("board").post("/practices/new/", {"ods_code": "C82099", "name": "Sneaky"})

    # then it is refused and nothing is written
    assert response.status_code == 403
    assert Practice.objects.count() == before


def test_practice_user_cannot_post_a_list_size_for_another_practice(client_as, practice, other_practice):
    # given a practice user
    before = ListSize.objects.count()

    # when they post a list size to another practice, and to their own
    other = client_as("practice").post(
        f"/practices/{other_practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-04-01", "registered_patients": "1"},
    )
    own = client_as("practice").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-04-01", "registered_patients": "1"},
    )

    # then the other is 404, their own is 403 (staff record figures), and nothing is written
    assert other.status_code == 404
    assert own.status_code == 403
    assert ListSize.objects.count() == before


def test_missing_practice_is_an_nhs_style_404(client_as, practice):
    # when staff ask for a practice that does not exist
    response = client_as("staff").get("/practices/C99999/")

    # then it is the portal's own 404 page, in the NHS.UK layout
    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="nhsuk-header"' in body
    assert "Page not found" in body
    assert "nhsuk-footer" in body


def test_staff_record_a_list_size_and_see_it_on_the_practice_page(client_as, practice):
    # when staff record a new figure
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-04-01", "registered_patients": "21,700".replace(",", ""), "source": "Phoned in"},
        follow=True,
    )

    # then it is kept beside the old one and shown newest first
    assert response.status_code == 200
    figures = list(practice.list_sizes.order_by("-as_at").values_list("as_at", "registered_patients"))
    assert figures == [(date(2019, 4, 1), 21700), (date(2019, 1, 1), 21627)]
    body = response.content.decode()
    assert body.index("21,700") < body.index("21,627")
    assert "List size 21,700 at 1 April 2019 recorded." in body


def test_staff_edit_a_practice_through_the_form(client_as, practice, rutland):
    # when staff move the practice to Rutland and rename it
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/edit/",
        {
            "ods_code": practice.ods_code,
            "name": "Market Harborough MC",
            "postcode": "le16 9bx",
            "locality": rutland.pk,
            "status": "open",
            "open_date": "1974-04-01",
        },
    )

    # then the practice is saved (postcode tidied) and they are sent to its page
    assert response.status_code == 302
    assert response["Location"] == f"/practices/{practice.ods_code}/"
    practice.refresh_from_db()
    assert (practice.name, practice.locality, practice.postcode) == (
        "Market Harborough MC",
        rutland,
        "LE16 9BX",
    )


@pytest.mark.parametrize(
    "url", ["/practices/%00/", "/practices/C82%00001/edit/", "/practices/C82009%2F/", "/localities/%00/"]
)
def test_a_mangled_code_in_the_address_is_404(client_as, practice, url):
    assert client_as("staff").get(url).status_code == 404


def test_a_lower_case_ods_code_in_the_address_finds_the_practice(client_as, practice):
    assert client_as("staff").get("/practices/c82009/").status_code == 200


@pytest.mark.parametrize(("role", "shown"), [("staff", True), ("board", True), ("practice", False)])
def test_a_localitys_history_is_for_those_who_see_every_practice(client_as, practice, role, shown):
    # a locality's history names every practice's changes in it
    page = client_as(role).get(f"/localities/{practice.locality.slug}/").content.decode()
    assert ("History of changes" in page) is shown
