"""The staff forms of contracts held for practices: a contract, a review note,
an organisation, and the contract_save service behind the contract form."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils.html import escape

from contracts.models import Contract, ContractReviewNote, Organisation, contract_months
from contracts.services.held import COVERAGE_MESSAGE, contract_note_add, contract_save
from fedportal.history import history_for
from tests.contracts.helpers import make_contract
from tests.pages import error_beside, errors_beside, input_value

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client_for, staff_user):
    return client_for(staff_user)


@pytest.fixture
def jamie_bell(db):
    return Organisation.objects.create(name="Jamie Bell Physiotherapy Ltd")


@pytest.fixture
def valid(jamie_bell, harborough):
    """What staff type for the Harborough First Contact Physio contract."""
    return {
        "reference": "FCP-HARB",
        "title": "First Contact Physio",
        "contractor": jamie_bell.pk,
        "funding_source": "Transformation Fund 2018/19",
        "localities": [harborough.pk],
        "start_date": "2018-09-01",
        "end_date": "2019-03-31",
        "value": "35000.00",
        "vat_rate": "20",
        "extension_decision_by": "2019-02-28",
    }


# ---------------------------------------------------------------- the contract form


def test_staff_add_a_contract_and_see_it(staff, valid, harborough, practice, other_practice):
    # given the details of the Harborough physio contract, one practice of Rutland covered too
    valid["practices"] = [other_practice.pk]

    # when staff submit the form
    response = staff.post("/contracts/new/", valid)

    # then the contract is saved with what it covers, and staff land on its page
    contract = Contract.objects.get(reference="FCP-HARB")
    assert response.status_code == 302
    assert response["Location"] == f"/contracts/{contract.pk}/"
    assert contract.title == "First Contact Physio"
    assert contract.value == Decimal("35000.00")
    assert contract.vat_rate == Decimal("20")
    assert list(contract.localities.all()) == [harborough]
    assert list(contract.practices.all()) == [other_practice]
    assert contract.duration_months == 7
    assert contract.extension_decision_by == date(2019, 2, 28)
    page = staff.get(response["Location"]).content.decode()
    assert "First Contact Physio (FCP-HARB) saved." in page
    assert "7 months" in page


def test_the_form_labels_the_title_project(staff, harborough):
    html = staff.get("/contracts/new/").content.decode()
    assert '<label class="nhsuk-label" for="id_title">Project</label>' in html
    assert 'type="checkbox" value=' in html  # localities as checkboxes


def test_amounts_are_accepted_as_people_type_them(staff, valid):
    valid["value"] = "£12,500.50"
    assert staff.post("/contracts/new/", valid).status_code == 302
    assert Contract.objects.get().value == Decimal("12500.50")


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2018-08-31"}, "end_date", "The end date must be on or after the start date."),
        ({"value": "-1.00"}, "value", "The value cannot be negative."),
        ({"value": "lots"}, "value", "Enter the value in pounds, like 12500.00."),
        ({"vat_rate": "150"}, "vat_rate", "The VAT rate is a percentage between 0 and 100."),
        ({"vat_rate": "-5"}, "vat_rate", "The VAT rate is a percentage between 0 and 100."),
        ({"localities": [], "practices": []}, "localities", COVERAGE_MESSAGE),
        ({"start_date": "2019-02-30"}, "start_date", "Enter a real date."),
        ({"end_date": "9999-12-31"}, "end_date", "Enter a date between 1948 and 2999."),
        ({"reference": ""}, "reference", "Enter the contract's reference."),
        ({"contractor": ""}, "contractor", "Choose the contractor."),
        (
            {"extension_decision_by": "2019-04-30"},
            "extension_decision_by",
            "Practices must decide on extension by the end date, not after it.",
        ),
    ],
)
def test_bad_input_gets_a_message_beside_the_field_and_keeps_what_was_typed(
    staff, valid, changes, field, message
):
    # given the contract's details with one mistake
    valid.update(changes)

    # when staff submit them
    response = staff.post("/contracts/new/", valid)
    html = response.content.decode()

    # then the form comes back (400) with the message beside the field and in the summary
    assert response.status_code == 400
    assert error_beside(html, field) == message
    assert "There is a problem" in html
    # (a date's link goes to its day input)
    anchor = f"id_{field}_day" if field.endswith(("_date", "_by")) else f"id_{field}"
    assert f'<li><a href="#{anchor}">{escape(message)}</a></li>' in html
    # and what they typed is still there, and nothing was saved
    assert 'value="Transformation Fund 2018/19"' in html
    assert 'value="First Contact Physio"' in html
    assert not Contract.objects.exists()


def test_several_mistakes_are_all_reported_at_once(staff, valid):
    valid.update(end_date="2018-01-01", value="-5", vat_rate="150", localities=[])
    html = staff.post("/contracts/new/", valid).content.decode()
    assert errors_beside(html, "end_date")
    assert errors_beside(html, "value")
    assert errors_beside(html, "vat_rate")
    assert errors_beside(html, "localities")


def test_covering_all_localities_needs_no_locality(staff, valid):
    valid.update(localities=[], covers_all_localities="on")
    assert staff.post("/contracts/new/", valid).status_code == 302
    assert Contract.objects.get().covers_all_localities is True


def test_a_practice_alone_is_enough_cover(staff, valid, practice):
    valid.update(localities=[], practices=[practice.pk])
    assert staff.post("/contracts/new/", valid).status_code == 302


def test_a_reference_is_used_once(staff, valid):
    make_contract("FCP-HARB", covers_all_localities=True)
    response = staff.post("/contracts/new/", valid)
    assert response.status_code == 400
    assert error_beside(response.content.decode(), "reference") == (
        "A contract with this reference is already in the portal."
    )


def test_staff_edit_a_contract_keeping_its_reference(staff, valid, harborough, rutland):
    # given a contract
    contract = make_contract("FCP-HARB", localities=[harborough])
    # whose edit form shows its dates in the date pickers (ISO, whatever the locale)
    form = staff.get(f"/contracts/{contract.pk}/edit/").content.decode()
    assert input_value(form, "start_date") == f"{contract.start_date:%Y-%m-%d}"

    # when staff move it to Rutland and mark it a draft
    valid.update(localities=[rutland.pk], is_draft="on")
    response = staff.post(f"/contracts/{contract.pk}/edit/", valid)

    # then it is changed in place
    assert response.status_code == 302
    contract.refresh_from_db()
    assert list(contract.localities.all()) == [rutland]
    assert contract.is_draft is True
    assert Contract.objects.count() == 1


def test_editing_a_missing_contract_is_404(staff):
    assert staff.get("/contracts/999999/edit/").status_code == 404


# ---------------------------------------------------------------- the service


def test_contract_save_refuses_a_contract_covering_nobody(staff_user, jamie_bell):
    with pytest.raises(ValidationError) as refusal:
        contract_save(
            reference="X-1",
            title="Nothing",
            contractor=jamie_bell,
            start_date=date(2019, 1, 1),
            end_date=date(2019, 12, 31),
            value=Decimal("1.00"),
            vat_rate=Decimal("20"),
            user=staff_user,
        )
    assert refusal.value.message_dict == {"localities": [COVERAGE_MESSAGE]}
    assert not Contract.objects.exists()


def test_contract_save_runs_the_models_rules(staff_user, jamie_bell):
    with pytest.raises(ValidationError) as refusal:
        contract_save(
            reference="X-1",
            title="Backwards",
            contractor=jamie_bell,
            covers_all_localities=True,
            start_date=date(2019, 1, 1),
            end_date=date(2018, 1, 1),
            value=Decimal("-1.00"),
            vat_rate=Decimal("150"),
            user=staff_user,
        )
    messages = " ".join(m for ms in refusal.value.message_dict.values() for m in ms)
    assert "The end date must be on or after the start date." in messages
    assert "The value cannot be negative." in messages
    assert not Contract.objects.exists()


def test_contract_save_records_who_made_the_change_outside_a_request(staff_user, jamie_bell):
    # given a contract saved by a command (no web request)
    contract = contract_save(
        reference="GPTN-ALL",
        title="GPTeamNet",
        contractor=jamie_bell,
        covers_all_localities=True,
        start_date=date(2018, 4, 1),
        end_date=date(2019, 3, 31),
        value=Decimal("12000.00"),
        vat_rate=Decimal("20"),
        user=staff_user,
    )

    # then its history names the user
    [created] = history_for(contract, user=staff_user)
    assert created.who == "Helen Parker"
    assert created.action == "Created"


def test_seed_durations(db):
    # the seed's table: 7, 6, 6 and 12 months
    assert contract_months(date(2018, 9, 1), date(2019, 3, 31)) == 7
    assert contract_months(date(2018, 10, 1), date(2019, 3, 31)) == 6
    assert contract_months(date(2018, 4, 1), date(2019, 3, 31)) == 12


# ---------------------------------------------------------------- review notes


def test_staff_add_dated_review_notes_shown_newest_first(staff, practice):
    # given a contract
    contract = make_contract("FCP-HARB", localities=[practice.locality])

    # when staff add two notes, the older review second
    first = staff.post(
        f"/contracts/{contract.pk}/notes/new/", {"reviewed_on": "2019-02-01", "note": "GP time saved."}
    )
    staff.post(f"/contracts/{contract.pk}/notes/new/", {"reviewed_on": "2018-12-01", "note": "Slow start."})

    # then both are kept, with their author, and the page lists the newest review first
    assert first.status_code == 302
    notes = ContractReviewNote.objects.filter(contract=contract)
    assert {n.author.username for n in notes} == {"staff"}
    html = staff.get(f"/contracts/{contract.pk}/").content.decode()
    assert html.index("GP time saved.") < html.index("Slow start.")
    assert "1 February 2019" in html


def test_a_review_note_needs_a_date_not_in_the_future_and_a_note(staff, staff_user, practice):
    contract = make_contract("FCP-HARB", localities=[practice.locality])
    london_15_feb_2019 = datetime(2019, 2, 15, 23, 30, tzinfo=ZoneInfo("Europe/London"))
    with time_machine.travel(london_15_feb_2019, tick=False), pytest.raises(ValidationError):
        contract_note_add(contract=contract, reviewed_on=date(2019, 2, 16), note="Soon", user=staff_user)
    empty = staff.post(f"/contracts/{contract.pk}/notes/new/", {"reviewed_on": "", "note": ""})
    future = staff.post(
        f"/contracts/{contract.pk}/notes/new/", {"reviewed_on": "2999-01-01", "note": "Later"}
    )
    assert empty.status_code == future.status_code == 400
    assert error_beside(empty.content.decode(), "reviewed_on") == "Enter the date of the review."
    assert error_beside(empty.content.decode(), "note") == "Enter the note."
    assert error_beside(future.content.decode(), "reviewed_on") == "The review date cannot be in the future."
    assert "Later</textarea>" in future.content.decode()
    assert not ContractReviewNote.objects.exists()


# ---------------------------------------------------------------- organisations


def test_staff_add_an_organisation_and_go_back_to_the_contract_form(staff):
    response = staff.post(
        "/contracts/organisations/new/",
        {"name": "Clarity Informatics", "kind": "provider", "next": "/contracts/new/"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/contracts/new/"
    assert Organisation.objects.filter(name="Clarity Informatics").exists()
    # and it is a choice of the contract form
    assert "Clarity Informatics" in staff.get("/contracts/new/").content.decode()


def test_an_organisation_name_is_used_once_and_next_stays_on_site(staff, jamie_bell):
    duplicate = staff.post(
        "/contracts/organisations/new/",
        {"name": jamie_bell.name, "kind": "provider", "next": "/contracts/new/"},
    )
    assert duplicate.status_code == 400
    assert error_beside(duplicate.content.decode(), "name") == (
        "An organisation with this name is already in the portal."
    )
    offsite = staff.post(
        "/contracts/organisations/new/", {"name": "DHU", "kind": "provider", "next": "https://evil.example/"}
    )
    assert offsite["Location"] == "/contracts/new/"
