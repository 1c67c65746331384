"""Validation through the pages: the message beside the field, the error
summary at the top, what the user typed kept in the input, status 400, and
nothing written."""

import re
from datetime import date

import pytest

from localities.forms import ListSizeForm, PracticeForm
from localities.models import ODS_CODE_MESSAGE, POSTCODE_MESSAGE, ListSize, Practice
from tests.pages import error_beside, input_value

pytestmark = pytest.mark.django_db

DUPLICATE_ODS_MESSAGE = "A practice with this ODS code is already in the portal."
CLOSE_BEFORE_OPEN_MESSAGE = "The close date must be on or after the open date."
ALREADY_RECORDED = "A list size for this practice at this date is already recorded"


def new_practice_data(**changes) -> dict:
    data = {
        "ods_code": "C82099",
        "name": "Kibworth Health Centre",
        "address": "Smeeton Road\nKibworth",
        "postcode": "LE8 0LG",
        "locality": "",
        "commissioner_code": "03W",
        "status": "open",
        "open_date": "1974-04-01",
        "close_date": "",
    }
    data.update(changes)
    return data


def summary_links(body: str) -> list[tuple[str, str]]:
    summary = re.search(r'<div class="nhsuk-error-summary".*?</ul>', body, re.S)
    assert summary, "no error summary"
    return re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary.group(0))


@pytest.mark.parametrize("typed", ["c8200", "CC82001", "82001C", "C8200A"])
def test_a_bad_ods_code_gets_the_ods_message_beside_the_field(client_as, harborough, typed):
    # given staff on the new-practice form
    client = client_as("staff")
    before = Practice.objects.count()

    # when they type a code that is not a letter and five digits
    response = client.post("/practices/new/", new_practice_data(ods_code=typed, name="Kept Name"))

    # then the page says why beside the field and in the summary, keeps what was typed, and writes nothing
    body = response.content.decode()
    assert response.status_code == 400
    assert ODS_CODE_MESSAGE in error_beside(body, "ods_code")
    assert ("id_ods_code", ODS_CODE_MESSAGE) in summary_links(body)
    assert input_value(body, "ods_code") == typed
    assert input_value(body, "name") == "Kept Name"
    assert Practice.objects.count() == before


def test_a_lower_case_ods_code_is_accepted_in_capitals(client_as):
    response = client_as("staff").post("/practices/new/", new_practice_data(ods_code=" c82099 "))

    assert response.status_code == 302
    assert Practice.objects.filter(ods_code="C82099").exists()


def test_a_duplicate_ods_code_is_refused_beside_the_field(client_as, practice):
    # given the portal already has C82009
    before = Practice.objects.count()

    # when staff add it again, typed in lower case
    response = client_as("staff").post("/practices/new/", new_practice_data(ods_code="c82009"))

    # then the duplicate message is beside the code, the input keeps it, and nothing is written
    body = response.content.decode()
    assert response.status_code == 400
    assert error_beside(body, "ods_code") == DUPLICATE_ODS_MESSAGE
    assert ("id_ods_code", DUPLICATE_ODS_MESSAGE) in summary_links(body)
    assert input_value(body, "ods_code") == "c82009"
    assert Practice.objects.count() == before


def test_a_close_date_before_the_open_date_is_refused_beside_the_close_date(client_as, practice):
    # when staff edit the practice to close before it opened
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/edit/",
        new_practice_data(ods_code=practice.ods_code, open_date="2001-05-01", close_date="2001-04-30"),
    )

    # then the message is beside the close date (once), the dates are kept, and nothing changed
    body = response.content.decode()
    assert response.status_code == 400
    assert error_beside(body, "close_date") == CLOSE_BEFORE_OPEN_MESSAGE
    assert summary_links(body) == [("id_close_date_day", CLOSE_BEFORE_OPEN_MESSAGE)]
    assert input_value(body, "open_date") == "2001-05-01"
    assert input_value(body, "close_date") == "2001-04-30"
    practice.refresh_from_db()
    assert (practice.open_date, practice.close_date) == (date(1974, 4, 1), None)


@pytest.mark.parametrize("typed", ["Infinity", "LE8", "12345678", "LE8 0LGX", "L E 8 0 L G 1"])
def test_a_postcode_that_is_not_one_is_refused_beside_the_field(client_as, practice, typed):
    # "Infinity" fits the column, but normalising adds a space: it once overflowed into a 500
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/edit/",
        new_practice_data(ods_code=practice.ods_code, postcode=typed),
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert error_beside(body, "postcode") == POSTCODE_MESSAGE
    assert input_value(body, "postcode") == typed
    practice.refresh_from_db()
    assert practice.postcode != typed


@pytest.mark.parametrize(("typed", "kept"), [("le8 0lg", "LE8 0LG"), ("EC1A1BB", "EC1A 1BB"), ("", "")])
def test_a_postcode_is_kept_in_capitals_with_its_space(client_as, practice, typed, kept):
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/edit/",
        new_practice_data(ods_code=practice.ods_code, postcode=typed),
    )
    assert response.status_code == 302
    practice.refresh_from_db()
    assert practice.postcode == kept


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "Registered patients cannot be negative."),
        ("lots", "Enter the number of registered patients as a whole number."),
        ("12.5", "Enter the number of registered patients as a whole number."),
    ],
)
def test_a_bad_list_size_gets_a_message_beside_the_figure(client_as, practice, typed, message):
    # given staff on the practice's new-list-size page
    before = ListSize.objects.count()

    # when they type something that is not a count of patients
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-04-01", "registered_patients": typed, "source": "Kept source"},
    )

    # then the message is beside the field and in the summary, the input is kept, and nothing written
    body = response.content.decode()
    assert response.status_code == 400
    assert error_beside(body, "registered_patients") == message
    assert ("id_registered_patients", message) in summary_links(body)
    assert input_value(body, "registered_patients") == typed
    assert input_value(body, "as_at") == "2019-04-01"
    assert input_value(body, "source") == "Kept source"
    assert ListSize.objects.count() == before


def test_a_second_figure_for_the_same_date_is_refused_and_never_overwrites(client_as, practice):
    # given the practice has 21,627 patients at 1 January 2019
    before = ListSize.objects.count()

    # when staff record a different figure for that date
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2019-01-01", "registered_patients": "99999"},
    )

    # then "already recorded" is beside the date, the typed figure is kept, and the old figure stands
    body = response.content.decode()
    assert response.status_code == 400
    assert ALREADY_RECORDED in error_beside(body, "as_at")
    assert any(anchor == "id_as_at_day" and ALREADY_RECORDED in text for anchor, text in summary_links(body))
    assert input_value(body, "registered_patients") == "99999"
    assert ListSize.objects.count() == before
    assert practice.list_sizes.get().registered_patients == 21627


def test_the_same_date_is_fine_for_another_practice(practice, other_practice):
    # given C82009 has a figure at 1 January 2019 (and so does C82010, whose form this is)
    ListSize.objects.filter(practice=other_practice).delete()

    form = ListSizeForm({"as_at": "2019-01-01", "registered_patients": "15160"})

    assert form.is_valid(), form.errors


def test_practice_form_rejects_an_unknown_status():
    form = PracticeForm(new_practice_data(status="gone"))

    assert not form.is_valid()
    assert "status" in form.errors
