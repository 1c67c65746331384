"""Every date field is the NHS.UK date input: day, month and year, three text
inputs with a numeric keyboard in a fieldset with its legend and hint, its
errors in the NHS.UK words beside it, what was typed kept."""

from datetime import date

import lxml.html
import pytest
from django import forms

from fedportal.widgets import DateInput
from tests.pages import error_beside, input_value

LIST_SIZE_FORM = "/practices/{}/list-sizes/new/"


class AnyForm(forms.Form):
    """A form as any app writes it, asking for nothing special."""

    on = forms.DateField(label="Date")


def test_every_date_field_gets_the_nhs_date_input_without_asking():
    assert isinstance(AnyForm().fields["on"].widget, DateInput)


@pytest.mark.parametrize(
    ("data", "cleaned"),
    [
        ({"on_day": "15", "on_month": "2", "on_year": "2019"}, date(2019, 2, 15)),
        ({"on_day": " 05 ", "on_month": "02", "on_year": "2019"}, date(2019, 2, 5)),
        ({"on_day": "15", "on_month": "Feb", "on_year": "2019"}, date(2019, 2, 15)),
        ({"on_day": "15", "on_month": "february", "on_year": "2019"}, date(2019, 2, 15)),
        # one key, as links and older forms send it
        ({"on": "2019-02-15"}, date(2019, 2, 15)),
    ],
)
def test_a_date_is_read_from_its_three_parts(data, cleaned):
    form = AnyForm(data)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["on"] == cleaned


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"on_day": "15", "on_month": "", "on_year": "2019"}, "Date must include a month."),
        ({"on_day": "", "on_month": "", "on_year": "2019"}, "Date must include a day and month."),
        ({"on_day": "15", "on_month": "2", "on_year": ""}, "Date must include a year."),
        ({"on_day": "31", "on_month": "2", "on_year": "2019"}, "Enter a real date."),
        ({"on_day": "15", "on_month": "13", "on_year": "2019"}, "Enter a real date."),
        ({"on_day": "fif", "on_month": "2", "on_year": "2019"}, "Enter a real date."),
        ({"on_day": "15", "on_month": "2", "on_year": "19"}, "Year must include 4 numbers."),
        ({"on": "2019-02-31"}, "Enter a real date."),
        ({"on_day": "", "on_month": "", "on_year": ""}, "This field is required."),
    ],
)
def test_a_date_that_is_not_one_says_what_is_wrong(data, message):
    form = AnyForm(data)

    assert not form.is_valid()
    assert form.errors["on"] == [message]


def test_the_list_size_form_shows_the_nhs_date_input(client_as, practice):
    page = client_as("staff").get(LIST_SIZE_FORM.format(practice.ods_code)).content.decode()

    tree = lxml.html.fromstring(page)
    (fieldset,) = tree.xpath('//fieldset[.//div[@class="nhsuk-date-input"]]')
    assert fieldset.get("role") == "group"
    assert fieldset.get("aria-describedby") == "id_as_at-hint"
    assert fieldset.xpath("string(legend)").strip() == "As at"
    assert "For example, 15 3 2019" in fieldset.xpath('string(.//div[@id="id_as_at-hint"])')
    inputs = fieldset.xpath(".//input")
    assert [i.get("name") for i in inputs] == ["as_at_day", "as_at_month", "as_at_year"]
    assert {(i.get("type"), i.get("inputmode")) for i in inputs} == {("text", "numeric")}
    assert [fieldset.xpath(f'string(.//label[@for="{i.get("id")}"])').strip() for i in inputs] == [
        "Day",
        "Month",
        "Year",
    ]
    assert 'type="date"' not in page


def test_a_date_typed_in_three_parts_is_recorded(client_as, practice):
    response = client_as("staff").post(
        LIST_SIZE_FORM.format(practice.ods_code),
        {"as_at_day": "1", "as_at_month": "2", "as_at_year": "2019", "registered_patients": "21700"},
    )

    assert response.status_code == 302
    assert practice.list_sizes.filter(as_at=date(2019, 2, 1), registered_patients=21700).exists()


def test_a_date_without_its_month_is_refused_beside_it_with_the_input_kept(client_as, practice):
    response = client_as("staff").post(
        LIST_SIZE_FORM.format(practice.ods_code),
        {"as_at_day": "1", "as_at_month": "", "as_at_year": "2019", "registered_patients": "21700"},
    )

    page = response.content.decode()
    assert response.status_code == 400
    assert error_beside(page, "as_at") == "Date must include a month."
    assert (
        input_value(page, "as_at_day"),
        input_value(page, "as_at_month"),
        input_value(page, "as_at_year"),
    ) == (
        "1",
        None,
        "2019",
    )
    tree = lxml.html.fromstring(page)
    # only the month is marked; the summary's link goes to the day
    marked = tree.xpath('//input[contains(@class, "nhsuk-input--error")]/@name')
    assert marked == ["as_at_month"]
    assert tree.xpath('//div[contains(@class, "nhsuk-error-summary")]//a/@href') == ["#id_as_at_day"]
    assert tree.xpath('//*[@id="id_as_at_day"]')
    assert "id_as_at-error" in tree.xpath("//fieldset/@aria-describedby")[0]


def test_a_filter_reads_a_date_in_three_parts_or_in_one(client_as, practice):
    staff = client_as("staff")

    in_parts = staff.get("/localities/?as_at_day=1&as_at_month=1&as_at_year=2019").content.decode()
    in_one = staff.get("/localities/?as_at=2019-01-01").content.decode()

    assert "Registered patients at 1 January 2019" in in_parts
    assert "Registered patients at 1 January 2019" in in_one
    assert input_value(in_one, "as_at_year") == "2019"
