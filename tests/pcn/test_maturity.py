"""Maturity self-assessments against seed 003's matrix: dated, kept, shown
side by side so progress shows; errors beside the fields; who sees what."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from pcn.models import MaturityAssessment, MaturityLevel
from pcn.services import maturity_assessment_add
from tests.pages import error_beside
from tests.roles import FORBIDDEN, NOT_FOUND, OK, role_table

pytestmark = pytest.mark.django_db

LEVELS = (
    "right_scale",
    "integrated_working",
    "targeting_care",
    "managing_resources",
    "empowered_primary_care",
)


def assess(pcn, day, levels, user, notes=""):
    return maturity_assessment_add(
        pcn=pcn, assessed_on=day, notes=notes, user=user, **dict(zip(LEVELS, levels, strict=True))
    )


def test_two_dated_assessments_show_progress(client_as, network, staff_user):
    assess(network, date(2019, 6, 1), (0, 0, 1, 0, 0), staff_user)
    assess(network, date(2020, 1, 15), (1, 2, 1, 0, 1), staff_user, notes="Shared pharmacist in post.")
    page = client_as("practice").get("/pcn/U50165/maturity/").content.decode()
    assert "1 Jun" in page and "15 Jan" in page
    assert page.index("1 Jun") < page.index("15 Jan")  # oldest first
    assert "Up 2" in page and "Up 1" in page  # integrated working 0 -> 2, right scale 0 -> 1
    assert "Practices identify partners for network-level working" in page  # right scale, step 1
    assert "Shared pharmacist in post." in page
    detail = client_as("board").get("/pcn/U50165/").content.decode()
    assert "latest on 15 January 2020" in detail and "integrated working step 2" in detail


def test_an_assessment_through_the_page(client_as, network):
    data = {name: str(MaturityLevel.STEP_1) for name in LEVELS}
    response = client_as("staff").post(
        "/pcn/U50165/maturity/new/",
        {**data, "assessed_on_day": "3", "assessed_on_month": "2", "assessed_on_year": "2020", "notes": ""},
    )
    assert response.status_code == 302 and response["Location"] == "/pcn/U50165/maturity/"
    assert MaturityAssessment.objects.get(pcn=network).assessed_on == date(2020, 2, 3)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"assessed_on": "2099-01-01"}, "assessed_on", "cannot be dated in the future"),
        ({"assessed_on": "2019-06-01"}, "assessed_on", "already has an assessment on 1 June 2019"),
        ({"right_scale": ""}, "right_scale", "required"),
        ({"targeting_care": "4"}, "targeting_care", "not one of the available choices"),
    ],
)
def test_an_assessment_refused_beside_the_field(client_as, network, staff_user, changes, field, message):
    assess(network, date(2019, 6, 1), (0, 0, 0, 0, 0), staff_user)
    data = {"assessed_on": "2019-12-01", **{name: "1" for name in LEVELS}}
    response = client_as("staff").post("/pcn/U50165/maturity/new/", {**data, **changes})
    assert response.status_code == 400
    assert message in error_beside(response.content, field)
    assert MaturityAssessment.objects.count() == 1


def test_one_assessment_a_day(network, staff_user):
    assess(network, date(2019, 6, 1), (0, 0, 0, 0, 0), staff_user)
    with pytest.raises(ValidationError):
        assess(network, date(2019, 6, 1), (1, 1, 1, 1, 1), staff_user)


EXPECTED = {
    "/pcn/U50165/maturity/": {"staff": OK, "board": OK, "practice": OK, "administrator": OK},
    "/pcn/U67590/maturity/": {"staff": OK, "board": OK, "practice": NOT_FOUND, "administrator": OK},
    "/pcn/U50165/maturity/new/": {
        "staff": OK,
        "board": FORBIDDEN,
        "practice": FORBIDDEN,
        "administrator": OK,
    },
    "/pcn/U67590/maturity/new/": {
        "staff": OK,
        "board": FORBIDDEN,
        "practice": NOT_FOUND,
        "administrator": OK,
    },
}


@pytest.mark.parametrize(("path", "role", "status"), role_table(EXPECTED.items()))
def test_who_reaches_what(client_as, network, other_network, path, role, status):
    response = client_as(role).get(path)
    if status is None:
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == status


@pytest.mark.parametrize("role", ["staff", "practice"])
def test_the_maturity_pages_stay_within_12_queries(
    client_as, network, staff_user, django_assert_max_num_queries, role
):
    for n in range(8):
        assess(network, date(2019, 1 + n, 1), (n % 4, 0, 1, 2, 3), staff_user, notes=f"Note {n}")
    client = client_as(role)
    for url in ("/pcn/U50165/maturity/", "/pcn/U50165/maturity/new/", "/pcn/U50165/"):
        with django_assert_max_num_queries(12):
            client.get(url)
