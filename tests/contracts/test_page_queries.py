"""Every page of sub-contracts, evidence, services and returns runs at most 12
SQL queries, for each role that may open it, shown or refused: a detail
page fetches its record once, with what it shows, and a template asking a
rule (``user_can``) asks no more of the database than its view did."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from contracts.models import ScheduledClinician
from tests.contracts.helpers import Q2, make_evidence, make_return

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("february_2019", "media_root")]

MAX_QUERIES = 12


@pytest.fixture
def world(subcontract, indemnity, fitters, signed_subcontract, practice_user, staff_user):
    """The practice's sub-contract with a clinician, evidence of each kind
    (decided and not) and returns: approved, amended and awaiting approval."""
    clinician = ScheduledClinician.objects.create(subcontract=subcontract, name="Dr Ann Fitter")
    accepted = make_evidence(subcontract, indemnity, staff_user, status="accepted", valid_to=date(2019, 3, 1))
    make_evidence(subcontract, indemnity, practice_user, valid_to=date(2020, 3, 31), status="pending")
    make_evidence(subcontract, fitters, practice_user, clinician=clinician, valid_to=date(2020, 1, 1))
    approved = make_return(subcontract, practice_user, approved_by=staff_user)
    amendment = make_return(subcontract, practice_user, units=(38,), amends=approved, notes="Two twice")
    waiting = make_return(subcontract, practice_user, quarter=Q2)
    return {
        "sub": subcontract.pk,
        "ev": accepted.pk,
        "req": indemnity.pk,
        "approved": approved.pk,
        "amendment": amendment.pk,
        "waiting": waiting.pk,
    }


PAGES = [
    "/subcontracts/{sub}/",
    "/subcontracts/{sub}/edit/",
    "/subcontracts/new/",
    "/subcontracts/{sub}/evidence/new/",
    "/subcontracts/{sub}/clinicians/new/",
    "/subcontracts/{sub}/returns/new/",
    "/evidence/{ev}/",
    "/services/",
    "/services/h-pylori/",
    "/services/new/",
    "/services/head-contracts/new/",
    "/services/h-pylori/tariffs/new/",
    "/services/h-pylori/requirements/new/",
    "/services/requirements/{req}/edit/",
    "/returns/",
    "/returns/payment-schedules/",
    "/returns/{approved}/",
    "/returns/{amendment}/",
    "/returns/{waiting}/",
    "/returns/{approved}/amend/",
]


@pytest.mark.parametrize("role", ["staff", "board", "practice"])
@pytest.mark.parametrize("path", PAGES)
def test_each_page_runs_at_most_12_queries(client_as, world, django_assert_max_num_queries, path, role):
    client = client_as(role)
    with django_assert_max_num_queries(MAX_QUERIES):
        response = client.get(path.format(**world))
    assert response.status_code in (200, 302, 403, 404)


FORMS = [
    ("/subcontracts/{sub}/edit/", {"start_date": "2018-04-01", "end_date": "2018-01-01"}),
    ("/subcontracts/new/", {"start_date": "nonsense"}),
    ("/subcontracts/{sub}/evidence/new/", {"description": ""}),
    ("/subcontracts/{sub}/clinicians/new/", {"name": ""}),
    ("/subcontracts/{sub}/returns/new/", {"quarter": "2018-Q3", "units_0": "-1"}),
    ("/evidence/{ev}/", {"decision": ""}),
    ("/services/h-pylori/tariffs/new/", {"effective_from": "2018-04-01", "unit_price": "-1"}),
    ("/services/requirements/{req}/edit/", {"name": ""}),
    ("/returns/{waiting}/", {"decision": "reject", "reason": ""}),
    ("/returns/{approved}/amend/", {"units_0": "1", "notes": ""}),
]


def data_queries(context) -> list[str]:
    """The queries that read or write data: a test runs inside a transaction,
    so each transaction.atomic of the request (the service's, the session's)
    is a savepoint here, where in production it is the BEGIN and COMMIT of
    its own transaction, which are not queries."""
    savepoints = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")
    return [q["sql"] for q in context.captured_queries if not q["sql"].startswith(savepoints)]


@pytest.mark.parametrize(("path", "data"), FORMS)
def test_a_refused_form_runs_at_most_12_queries(client_as, world, path, data):
    client = client_as("staff")
    with CaptureQueriesContext(connection) as context:
        response = client.post(path.format(**world), data)
    assert response.status_code in (302, 400)
    assert len(data_queries(context)) <= MAX_QUERIES, "\n".join(data_queries(context))
