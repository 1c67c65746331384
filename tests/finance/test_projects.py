"""Staff keep the transformation-fund projects, their dated progress updates
and per-patient funding from pages; board members read them, practice users
reach none of it. Per-patient funding reads a constant number of queries."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Contract, Organisation
from finance import selectors
from finance.models import PerPatientFunding, ProjectUpdate, TransformationProject
from localities.models import ListSize
from tests.pages import error_beside, input_value
from tests.roles import FORBIDDEN, OK, role_table

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(harborough):
    return TransformationProject.objects.create(
        locality=harborough, title="GPTeamNet roll-out", allocation=Decimal("50000"), fee=Decimal("2500")
    )


@pytest.fixture
def contract(db):
    physio = Organisation.objects.create(name="Jamie Bell Physiotherapy Ltd", kind="provider")
    return Contract.objects.create(
        reference="FCP-1",
        title="First Contact Physio",
        contractor=physio,
        start_date=date(2019, 4, 1),
        end_date=date(2020, 3, 31),
        value=Decimal("30000"),
    )


EDIT_PAGES = [
    "/finance/transformation-fund/new/",
    "/finance/transformation-fund/{project}/edit/",
    "/finance/transformation-fund/{project}/updates/new/",
    "/finance/per-patient/new/",
    "/finance/per-patient/{funding}/edit/",
]
EDITORS = {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK}


@pytest.mark.parametrize(("path", "role", "expected"), role_table([(p, EDITORS) for p in EDIT_PAGES]))
def test_only_staff_keep_projects_and_funding(project, client_as, path, role, expected):
    funding = PerPatientFunding.objects.create(
        title="25p", per_patient=Decimal("0.25"), as_at=date(2019, 1, 1)
    )
    path = path.format(project=project.pk, funding=funding.pk)
    assert client_as(role).get(path).status_code == (expected or 302)
    if role in ("board", "practice"):
        assert client_as(role).post(path, {"title": "x"}).status_code == FORBIDDEN


@pytest.mark.parametrize(
    ("role", "expected"), [("staff", OK), ("board", OK), ("practice", FORBIDDEN), ("anonymous", 302)]
)
def test_board_reads_a_project_practice_users_do_not(project, client_as, role, expected):
    assert client_as(role).get(project.get_absolute_url()).status_code == expected


def test_staff_add_a_project_with_the_contracts_it_pays_for(harborough, contract, client_as):
    response = client_as("staff").post(
        "/finance/transformation-fund/new/",
        {
            "locality": harborough.pk,
            "title": "First Contact Physio pilot",
            "allocation": "£40,000",
            "fee": "2,000.50",
            "project_management": "1500",
            "status": "in_progress",
            "contracts": [contract.pk],
            "position": "1",
        },
    )
    project = TransformationProject.objects.get(title="First Contact Physio pilot")
    assert response.status_code == 302 and response["Location"] == project.get_absolute_url()
    assert (project.allocation, project.fee, project.project_management) == (
        Decimal("40000"),
        Decimal("2000.50"),
        Decimal("1500"),
    )
    assert list(project.contracts.all()) == [contract]
    page = client_as("board").get(project.get_absolute_url()).content.decode()
    assert "First Contact Physio" in page and "£2,000.50" in page
    assert (
        "First Contact Physio pilot"
        in client_as("board").get("/finance/transformation-fund/").content.decode()
    )


def test_staff_change_a_project_and_its_history_says_who(project, client_as, staff_user):
    data = {
        "locality": project.locality_id,
        "title": "GPTeamNet roll-out",
        "allocation": "50000",
        "fee": "3000",
        "project_management": "0",
        "status": "completed",
        "position": "0",
    }
    assert (
        client_as("staff").post(f"/finance/transformation-fund/{project.pk}/edit/", data).status_code == 302
    )
    project.refresh_from_db()
    assert project.fee == Decimal("3000") and project.status == "completed"
    event = project.events.latest("pgh_id")
    assert event.pgh_context.metadata["user"] == staff_user.pk


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("fee", "-5", "cannot be negative"),
        ("allocation", "lots", "Enter an amount in pounds"),
        ("project_management", "1e12", "at most £999,999,999.99"),
    ],
)
def test_bad_amounts_are_refused_beside_the_field_with_the_input_kept(
    harborough, client_as, field, typed, message
):
    data = {
        "locality": harborough.pk,
        "title": "Care navigation",
        "allocation": "100",
        "fee": "10",
        "project_management": "0",
        "status": "approved",
        "position": "0",
        field: typed,
    }
    response = client_as("staff").post("/finance/transformation-fund/new/", data)
    assert response.status_code == 400
    assert message in error_beside(response.content, field)
    assert input_value(response.content, field) == typed
    assert not TransformationProject.objects.exists()


def test_a_locality_has_one_project_of_a_title(project, client_as):
    response = client_as("staff").post(
        "/finance/transformation-fund/new/",
        {
            "locality": project.locality_id,
            "title": "GPTeamNet roll-out",
            "allocation": "1",
            "fee": "1",
            "project_management": "0",
            "status": "approved",
            "position": "0",
        },
    )
    assert response.status_code == 400
    assert "already has a project of this title" in error_beside(response.content, "title")


def test_dated_progress_updates_are_appended_and_shown_newest_first(project, client_as):
    client = client_as("staff")
    url = f"/finance/transformation-fund/{project.pk}/updates/new/"
    assert client.post(url, {"on": "2019-01-10", "text": "Q3 report to the CCG panel."}).status_code == 302
    assert client.post(url, {"on": "2019-04-10", "text": "Q4: live in all practices."}).status_code == 302
    page = client_as("board").get(project.get_absolute_url()).content.decode()
    assert page.index("Q4: live in all practices.") < page.index("Q3 report to the CCG panel.")
    assert "10 January 2019" in page
    bad = client.post(url, {"on": "9999-01-01", "text": "typo"})
    assert bad.status_code == 400 and "Enter a date between" in error_beside(bad.content, "on")
    assert ProjectUpdate.objects.count() == 2


def test_per_patient_funding_is_kept_from_a_page_and_worked_out_from_the_list_sizes(practice, client_as):
    client = client_as("staff")
    response = client.post(
        "/finance/per-patient/new/",
        {"title": "PCN work", "per_patient": "0.25", "as_at": "2019-01-01", "notes": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/finance/shop-rate/"
    page = client_as("board").get("/finance/shop-rate/").content.decode()
    # 21,627 patients at 25p.
    assert "21,627" in page and "£5,406.75" in page
    funding = PerPatientFunding.objects.get()
    bad = client.post(
        f"/finance/per-patient/{funding.pk}/edit/",
        {"title": "PCN work", "per_patient": "-1", "as_at": "2019-01-01"},
    )
    assert bad.status_code == 400 and "cannot be negative" in error_beside(bad.content, "per_patient")
    assert input_value(bad.content, "per_patient") == "-1"


def test_per_patient_funding_takes_two_queries_whatever_the_dates(
    practice, other_practice, staff_user, django_assert_num_queries
):
    ListSize.objects.create(practice=practice, as_at=date(2018, 1, 1), registered_patients=20000)
    for n, day in enumerate([date(2018, 6, 1), date(2019, 1, 1), date(2019, 6, 1), date(2017, 1, 1)]):
        PerPatientFunding.objects.create(title=f"Funding {n}", per_patient=Decimal("0.25"), as_at=day)
    with django_assert_num_queries(2):
        rows = selectors.per_patient_funding(user=staff_user)
    by_title = {row.funding.title: row.population for row in rows}
    from localities.models import Locality

    for row in rows:
        expected = sum(
            loc.population for loc in Locality.objects.with_population(row.funding.as_at, user=staff_user)
        )
        assert by_title[row.funding.title] == expected
    assert by_title["Funding 3"] == 0  # before any list size
    assert by_title["Funding 0"] != by_title["Funding 1"]
