"""What the form pages share: a model's errors by field for the services
(``full_clean_by_field``), and the summary-list row every detail page writes
(``{% summary_row %}``)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template, TemplateSyntaxError

from fedportal.forms import full_clean_by_field
from localities.models import Practice

CLOSE_BEFORE_OPEN = "The close date must be on or after the open date."


def render(source: str, **context) -> str:
    return Template(source).render(Context(context))


# ---------------------------------------------------------------- full_clean_by_field


@pytest.mark.django_db
def test_a_check_constraint_message_goes_beside_the_field_it_is_about():
    practice = Practice(
        ods_code="C82099", name="Kibworth", open_date=date(2001, 5, 1), close_date=date(2001, 1, 1)
    )

    with pytest.raises(ValidationError) as refusal:
        full_clean_by_field(practice, constraints={"practice_closes_after_opening": "close_date"})

    assert refusal.value.message_dict == {"close_date": [CLOSE_BEFORE_OPEN]}


@pytest.mark.django_db
def test_without_a_field_named_the_message_stays_at_the_top():
    practice = Practice(
        ods_code="C82099", name="Kibworth", open_date=date(2001, 5, 1), close_date=date(2001, 1, 1)
    )

    with pytest.raises(ValidationError) as refusal:
        full_clean_by_field(practice)

    assert refusal.value.message_dict == {"__all__": [CLOSE_BEFORE_OPEN]}


@pytest.mark.django_db
def test_an_error_is_worded_again_by_its_field_and_code():
    practice = Practice(ods_code="C82099", name="")

    with pytest.raises(ValidationError) as refusal:
        full_clean_by_field(practice, messages={("name", "blank"): "Enter the practice's name."})

    assert refusal.value.message_dict == {"name": ["Enter the practice's name."]}


@pytest.mark.django_db
def test_a_moved_constraint_is_worded_again_by_its_name():
    practice = Practice(
        ods_code="C82099", name="Kibworth", open_date=date(2001, 5, 1), close_date=date(2001, 1, 1)
    )

    with pytest.raises(ValidationError) as refusal:
        full_clean_by_field(
            practice,
            constraints={"practice_closes_after_opening": "close_date"},
            messages={("close_date", "practice_closes_after_opening"): "It closed before it opened."},
        )

    assert refusal.value.message_dict == {"close_date": ["It closed before it opened."]}


@pytest.mark.django_db
def test_a_valid_record_passes():
    full_clean_by_field(Practice(ods_code="C82099", name="Kibworth"))


# ---------------------------------------------------------------- {% summary_row %}

ROW = (
    '<div class="nhsuk-summary-list__row"><dt class="nhsuk-summary-list__key">{label}</dt>'
    '<dd class="nhsuk-summary-list__value"{attrs}>{value}</dd>{action}</div>'
)


def row(label, value, attrs="", action=""):
    return ROW.format(label=label, value=value, attrs=attrs, action=action)


def test_a_label_and_a_value_escaped():
    html = render('{% summary_row "Name" name %}', name="Smith & <Sons>")
    assert html.strip() == row("Name", "Smith &amp; &lt;Sons&gt;")


def test_a_linked_value_and_attributes_of_its_cell():
    html = render(
        '{% summary_row "Locality" name href=url id="locality" data_count="1" %}', name="Rutland", url="/r/"
    )
    assert html.strip() == row("Locality", '<a href="/r/">Rutland</a>', attrs=' id="locality" data-count="1"')


def test_no_link_when_the_address_is_empty():
    html = render('{% summary_row "Locality" "Not in a locality" href=missing.url %}')
    assert html.strip() == row("Locality", "Not in a locality")


def test_a_value_written_between_the_tags():
    html = render(
        '{% summary_row "Address" %}{% for line in lines %}{{ line }}<br>{% endfor %}{% endsummary_row %}',
        lines=["1 High St", "Oakham"],
    )
    assert html.strip() == row("Address", "1 High St<br>Oakham<br>")


def test_a_label_written_between_the_tags_too():
    html = render(
        '{% summary_row id="vat" %}VAT ({{ rate }}%){% value %}{{ amount }}{% endsummary_row %}',
        rate=20,
        amount="£2",
    )
    assert html.strip() == row("VAT (20%)", "£2", attrs=' id="vat"')


def test_an_action_names_its_row_for_screen_readers():
    html = render('{% summary_row "Postcode" "LE15 6NT" action="Change" action_href="/edit/" %}')
    action = (
        '<dd class="nhsuk-summary-list__actions"><a href="/edit/">Change'
        '<span class="nhsuk-u-visually-hidden"> postcode</span></a></dd>'
    )
    assert html.strip() == row("Postcode", "LE15 6NT", action=action)


def test_a_third_value_is_a_mistake_not_a_silent_row():
    with pytest.raises(TemplateSyntaxError):
        Template('{% summary_row "A" b c %}')
