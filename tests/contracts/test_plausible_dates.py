"""A slip in a year (0201, 9999) is refused beside the field on every date the
portal reasons about, rather than breaking quarters and durations later."""

import pytest

from contracts.models import SubContract
from tests.pages import errors_beside

pytestmark = pytest.mark.django_db

MESSAGE = "Enter a date between 1948 and 2999."


@pytest.mark.parametrize("start", ["0201-04-01", "9999-04-01"])
def test_a_sub_contract_starting_in_an_implausible_year_is_refused(client_as, practice, h_pylori, start):
    response = client_as("staff").post(
        "/subcontracts/new/", {"practice": practice.pk, "service": h_pylori.pk, "start_date": start}
    )
    assert response.status_code == 400
    assert errors_beside(response.content, "start_date") == [MESSAGE]
    assert not SubContract.objects.exists()


def test_a_tariff_from_an_implausible_year_is_refused(client_as, h_pylori):
    response = client_as("staff").post(
        f"/services/{h_pylori.slug}/tariffs/new/", {"unit_price": "25.00", "effective_from": "0218-04-01"}
    )
    assert response.status_code == 400
    assert errors_beside(response.content, "effective_from") == [MESSAGE]


def test_a_clinician_is_added_on_the_portals_today(client_as, subcontract, settings):
    settings.FEDPORTAL_TODAY = "2019-02-15"
    client_as("staff").post(f"/subcontracts/{subcontract.pk}/clinicians/new/", {"name": "Dr Ann Fitter"})
    assert str(subcontract.clinicians.get().added_on) == "2019-02-15"
