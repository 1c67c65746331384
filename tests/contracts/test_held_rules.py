"""The rules of a contract run once per save, in ``contract_save``: the form
checks input only. Spies count the calls of the model's ``clean`` and of the
coverage rule (still calling them), through the page and through the service."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from contracts.models import Contract, Organisation
from contracts.services import held as held_services
from contracts.services.held import COVERAGE_MESSAGE, VAT_RATE_MESSAGE, contract_save, organisation_create
from tests.contracts.helpers import make_contract
from tests.pages import error_beside

pytestmark = pytest.mark.django_db


def spy(monkeypatch, owner, name: str) -> list:
    """Count the calls of ``owner.name`` (still calling it): one entry per call."""
    calls = []
    original = getattr(owner, name)

    def counted(*args, **kwargs):
        calls.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    return calls


@pytest.fixture
def staff(client_for, staff_user):
    return client_for(staff_user)


@pytest.fixture
def valid(harborough):
    """The Harborough physio contract as staff type it."""
    jamie_bell = Organisation.objects.create(name="Jamie Bell Physiotherapy Ltd")
    return {
        "reference": "FCP-HARB",
        "title": "First Contact Physio",
        "contractor": jamie_bell.pk,
        "localities": [harborough.pk],
        "start_date": "2018-09-01",
        "end_date": "2019-03-31",
        "value": "35000.00",
        "vat_rate": "20",
    }


@pytest.fixture
def rules(monkeypatch):
    """Spies on the contract's rules: the model's clean, and the coverage rule."""
    return {
        "clean": spy(monkeypatch, Contract, "clean"),
        "coverage": spy(monkeypatch, held_services, "contract_coverage_error"),
    }


def test_saving_a_contract_through_the_form_runs_each_rule_once(staff, valid, rules):
    # when staff add a contract through the form
    response = staff.post("/contracts/new/", valid)

    # then it is saved, the model's rules and the coverage rule having run once each
    assert response.status_code == 302
    assert (len(rules["clean"]), len(rules["coverage"])) == (1, 1)


def test_a_contract_covering_nobody_is_refused_once(staff, valid, rules):
    # when staff leave out whom the contract covers
    valid["localities"] = []
    response = staff.post("/contracts/new/", valid)

    # then the one message is beside the localities, each rule having run once
    assert response.status_code == 400
    assert error_beside(response.content.decode(), "localities") == COVERAGE_MESSAGE
    assert (len(rules["clean"]), len(rules["coverage"])) == (1, 1)
    assert not Contract.objects.exists()


def test_an_edit_runs_each_rule_once(staff, valid, harborough, rules):
    contract = make_contract("FCP-HARB", localities=[harborough])

    response = staff.post(f"/contracts/{contract.pk}/edit/", {**valid, "value": "37500.00"})

    assert response.status_code == 302
    assert (len(rules["clean"]), len(rules["coverage"])) == (1, 1)


def test_input_the_form_cannot_read_never_reaches_the_rules(staff, valid, rules):
    # when the value is not an amount at all
    response = staff.post("/contracts/new/", {**valid, "value": "lots"})

    # then the form says so, and the service (with its rules) is not called
    assert response.status_code == 400
    assert (len(rules["clean"]), len(rules["coverage"])) == (0, 0)


def test_a_refused_edit_still_names_the_contract_as_saved(staff, valid, harborough):
    # given a contract, changed to a new project name but ending before it starts
    contract = make_contract("FCP-HARB", localities=[harborough])
    response = staff.post(
        f"/contracts/{contract.pk}/edit/", {**valid, "title": "Renamed", "end_date": "2018-01-01"}
    )

    # then the page is headed with the contract as it is, the typed name kept in the input
    html = response.content.decode()
    assert response.status_code == 400
    assert '<h1 class="nhsuk-heading-l">Edit First Contact Physio</h1>' in html
    assert 'value="Renamed"' in html


def test_contract_save_says_every_broken_rule_at_once_beside_its_field(staff_user, valid):
    contractor = Organisation.objects.get(pk=valid["contractor"])
    with pytest.raises(ValidationError) as refusal:
        contract_save(
            reference="X-1",
            title="Everything wrong",
            contractor=contractor,
            start_date=date(2019, 1, 1),
            end_date=date(2018, 1, 1),
            value=Decimal("-1.00"),
            vat_rate=Decimal("150"),
            user=staff_user,
        )
    assert refusal.value.message_dict == {
        "localities": [COVERAGE_MESSAGE],
        "end_date": ["The end date must be on or after the start date."],
        "value": ["The value cannot be negative."],
        "vat_rate": [VAT_RATE_MESSAGE],
    }


def test_organisation_create_refuses_a_name_already_used(staff_user):
    organisation_create(name="DHU", kind="provider", user=staff_user)
    with pytest.raises(ValidationError) as refusal:
        organisation_create(name=" DHU ", kind="provider", user=staff_user)
    assert refusal.value.message_dict == {
        "name": ["An organisation with this name is already in the portal."]
    }
    assert Organisation.objects.filter(name="DHU").count() == 1
