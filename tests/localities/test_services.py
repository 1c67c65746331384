"""The services behind the practice and list-size forms: each owns its rules,
which run once per save (the forms check input only), and say what is wrong
beside the field it is about, whoever calls them."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from fedportal.history import history_for
from localities.models import ODS_CODE_MESSAGE, ListSize, Practice
from localities.services import ALREADY_RECORDED, list_size_add, practice_save

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


def test_practice_save_keeps_the_code_in_capitals_and_the_postcode_with_its_space(staff_user, harborough):
    practice = practice_save(
        ods_code=" c82099 ",
        name="Kibworth Health Centre",
        postcode="le8 0lg",
        locality=harborough,
        user=staff_user,
    )

    practice.refresh_from_db()
    assert (practice.ods_code, practice.postcode, practice.locality) == ("C82099", "LE8 0LG", harborough)
    [created] = history_for(practice, user=staff_user)
    assert created.who == "Helen Parker"


def test_practice_save_says_every_broken_rule_beside_its_field(staff_user, practice):
    # given a practice, changed to a malformed code and to close before it opened
    with pytest.raises(ValidationError) as refusal:
        practice_save(
            practice=practice,
            ods_code="C8200A",
            name=practice.name,
            postcode="Infinity",
            open_date=date(2001, 5, 1),
            close_date=date(2001, 4, 30),
            user=staff_user,
        )

    # then each message is beside its field (the dates' check constraint included), and nothing is saved
    assert refusal.value.message_dict == {
        "ods_code": [ODS_CODE_MESSAGE],
        "postcode": ["Enter a full UK postcode, like LE16 7BB."],
        "close_date": ["The close date must be on or after the open date."],
    }
    assert Practice.objects.get(pk=practice.pk).ods_code == "C82009"


def test_practice_save_refuses_a_code_already_in_the_portal(staff_user, practice):
    with pytest.raises(ValidationError) as refusal:
        practice_save(ods_code="c82009", name="Again", user=staff_user)
    assert refusal.value.message_dict == {
        "ods_code": ["A practice with this ODS code is already in the portal."]
    }


def test_list_size_add_refuses_a_second_figure_for_the_same_date_beside_the_date(staff_user, practice):
    # given 21,627 patients at 1 January 2019
    with pytest.raises(ValidationError) as refusal:
        list_size_add(practice=practice, as_at=date(2019, 1, 1), registered_patients=99999, user=staff_user)

    assert refusal.value.message_dict == {"as_at": [ALREADY_RECORDED]}
    assert practice.list_sizes.get().registered_patients == 21627


def test_the_same_date_is_fine_for_another_practice(staff_user, practice, other_practice):
    # given both practices have a figure at 1 January 2019; the other's is removed
    ListSize.objects.filter(practice=other_practice).delete()

    figure = list_size_add(
        practice=other_practice,
        as_at=date(2019, 1, 1),
        registered_patients=15160,
        source=" NHS ",
        user=staff_user,
    )

    assert (figure.practice, figure.registered_patients, figure.source) == (other_practice, 15160, "NHS")


def test_a_practice_edit_runs_the_models_rules_once(client_as, practice, monkeypatch):
    # given a spy on the practice's rules (its clean and its constraints)
    cleans = spy(monkeypatch, Practice, "clean")
    constraints = spy(monkeypatch, Practice, "validate_constraints")

    # when staff save the practice through its form
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/edit/",
        {
            "ods_code": practice.ods_code,
            "name": "Market Harborough MC",
            "status": "open",
            "open_date": "1974-04-01",
        },
    )

    # then the rules ran once, in the service, not in the form as well
    assert response.status_code == 302
    assert (len(cleans), len(constraints)) == (1, 1)


def test_a_refused_practice_edit_runs_the_rules_once_and_names_the_practice_as_saved(
    client_as, practice, monkeypatch
):
    cleans = spy(monkeypatch, Practice, "clean")

    # when staff change the name and the code, but give a postcode that is not one
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/edit/",
        {"ods_code": "C82099", "name": "Renamed", "postcode": "Infinity", "status": "open"},
    )

    # then the rules ran once, and the page still names (and links back to) the practice as saved
    body = response.content.decode()
    assert response.status_code == 400
    assert len(cleans) == 1
    assert '<h1 class="nhsuk-heading-l">Edit Market Harborough Medical Centre</h1>' in body
    assert 'class="nhsuk-link fp-cancel" href="/practices/C82009/"' in body


def test_a_list_size_checks_its_date_once(client_as, practice, monkeypatch):
    constraints = spy(monkeypatch, ListSize, "validate_constraints")

    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-04-01", "registered_patients": "21700"},
    )

    assert response.status_code == 302
    assert len(constraints) == 1
