"""A practice's page shows its network at any date (?on=YYYY-MM-DD, or
today): pcn adds the section through fedportal.extensions, since localities
cannot import pcn. Moves keep the history; the page stays within 12 queries."""

from datetime import date

import pytest

from fedportal.extensions import PracticeSection, register_practice_section, registered_practice_sections
from pcn.models import Membership
from tests.pages import error_beside

pytestmark = pytest.mark.django_db


@pytest.fixture
def moved(network, other_network, practice):
    """The practice leaves Market Harborough & Bosworth for Rutland Health on 1 April 2020."""
    Membership.objects.filter(practice=practice, pcn=network).update(end_date=date(2020, 3, 31))
    return Membership.objects.create(practice=practice, pcn=other_network, start_date=date(2020, 4, 1))


@pytest.mark.parametrize(
    ("on", "shown"),
    [
        ("2019-08-01", "On 1 August 2019: <a"),
        (
            "2020-03-31",
            "Market Harborough &amp; Bosworth PCN</a> (U50165), a member from 1 July 2019 to 31 March 2020",
        ),
        ("2020-05-01", "Rutland Health PCN</a> (U67590), a member from 1 April 2020."),
        ("2019-06-30", "Not in a network on 30 June 2019."),
    ],
)
def test_the_practice_page_shows_its_network_on_a_date(client_as, moved, practice, on, shown):
    page = client_as("staff").get(f"/practices/{practice.ods_code}/?on={on}").content.decode()
    assert shown in page
    history = page[page.index('id="pcn-membership-history"') :]
    assert history.index("/pcn/U67590/") < history.index("/pcn/U50165/")  # both kept, newest first


def test_the_date_in_three_parts_and_today_by_default(client_as, settings, moved, practice):
    settings.FEDPORTAL_TODAY = "2020-06-01"
    client = client_as("staff")
    assert "On 1 June 2020" in client.get(f"/practices/{practice.ods_code}/").content.decode()
    page = client.get(f"/practices/{practice.ods_code}/?on_day=5&on_month=9&on_year=2019").content.decode()
    assert "On 5 September 2019" in page and "Market Harborough &amp; Bosworth PCN</a> (U50165)" in page


@pytest.mark.parametrize("on", ["notadate", "2019-02-30", "%00"])
def test_a_bad_date_is_said_beside_the_field_and_today_shown(client_as, settings, moved, practice, on):
    settings.FEDPORTAL_TODAY = "2019-08-01"
    response = client_as("staff").get(f"/practices/{practice.ods_code}/?on={on}")
    assert response.status_code == 200
    assert error_beside(response.content, "on")
    assert "On 1 August 2019" in response.content.decode()


def test_a_practice_user_sees_their_practices_network(client_as, network, practice):
    page = client_as("practice").get(f"/practices/{practice.ods_code}/?on=2019-08-01").content.decode()
    assert "Market Harborough &amp; Bosworth PCN" in page


@pytest.mark.parametrize("role", ["staff", "practice"])
def test_the_practice_page_stays_within_12_queries(
    client_as, moved, practice, django_assert_max_num_queries, role
):
    client = client_as(role)
    with django_assert_max_num_queries(12):
        response = client.get(f"/practices/{practice.ods_code}/?on=2019-08-01")
    assert response.status_code == 200


def test_a_section_registered_again_replaces_itself():
    before = registered_practice_sections()
    [pcn] = [s for s in before if s.name == "pcn"]
    register_practice_section(PracticeSection("pcn", pcn.template_name, pcn.context, pcn.position))
    assert [s.name for s in registered_practice_sections()] == [s.name for s in before]
