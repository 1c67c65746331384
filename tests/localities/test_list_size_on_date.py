"""'The list size' of a practice is one rule at one date: its latest figure as
at the portal's today or before. A figure typed in for a later date is
refused; one imported with a later extract date is kept and listed, but is
not yet anyone's list size, on any page."""

import re
from datetime import date

import pytest

from localities.models import ListSize, Practice
from tests.pages import error_beside, input_value

DEMO_TODAY = "2019-02-15"
FUTURE_FIGURE = 99_999


@pytest.fixture
def demo_today(settings):
    settings.FEDPORTAL_TODAY = DEMO_TODAY


@pytest.fixture
def extract_ahead(practice, other_practice):
    """A list-size file whose extract date is after the portal's today, as an
    import keeps it: its figures stay as they are."""
    for each in (practice, other_practice):
        ListSize.objects.create(
            practice=each,
            as_at=date(2019, 4, 1),
            registered_patients=FUTURE_FIGURE,
            source="gp-reg-pat-prac-all-apr-19.csv",
        )


def test_a_list_size_dated_after_today_is_refused_beside_the_date(demo_today, client_as, practice):
    # when staff type a figure as at 1 January 2030 on 15 February 2019
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": "2030-01-01", "registered_patients": "23000", "source": "Phoned in"},
    )

    # then it is refused beside the date, the input kept, nothing written
    assert response.status_code == 400
    assert error_beside(response.content, "as_at") == (
        "The date must be today or in the past: today is 15 February 2019."
    )
    assert input_value(response.content, "as_at_year") == "2030"
    assert input_value(response.content, "registered_patients") == "23000"
    assert practice.list_sizes.count() == 1


def test_a_list_size_dated_today_is_recorded(demo_today, client_as, practice):
    response = client_as("staff").post(
        f"/practices/{practice.ods_code}/list-sizes/new/",
        {"as_at": DEMO_TODAY, "registered_patients": "21700"},
    )

    assert response.status_code == 302
    assert practice.list_sizes.filter(as_at=date(2019, 2, 15), registered_patients=21700).exists()


def test_list_size_on_reads_the_latest_figure_on_or_before_the_day(practice, extract_ahead):
    on = {
        day: Practice.objects.list_size_on(day).get(pk=practice.pk)
        for day in (date(2019, 2, 15), date(2019, 4, 1))
    }

    assert (on[date(2019, 2, 15)].list_size, on[date(2019, 2, 15)].list_size_at) == (21627, date(2019, 1, 1))
    assert (on[date(2019, 4, 1)].list_size, on[date(2019, 4, 1)].list_size_at) == (
        FUTURE_FIGURE,
        date(2019, 4, 1),
    )


@pytest.mark.parametrize(
    ("role", "url"),
    [
        ("staff", "/"),
        ("practice", "/"),
        ("staff", "/practices/"),
        ("staff", "/practices/?format=csv"),
        ("staff", "/localities/"),
        ("staff", "/localities/harborough/"),
        ("practice", "/localities/harborough/"),
        ("staff", "/practices/C82009/"),
        ("practice", "/practices/C82009/"),
    ],
)
def test_a_figure_dated_after_today_is_nobodys_list_size_yet(demo_today, extract_ahead, client_as, role, url):
    # given a figure imported with an extract date after today
    # when any page that shows a list size or a population is read
    body = client_as(role).get(url).content.decode()

    # then it shows the figure of 1 January 2019, not the later one (which
    # the practice page still lists, marked as not yet counted, as its
    # history does)
    counted = re.sub(r'<table[^>]*id="list-size-history".*?</table>', "", body, flags=re.S)
    counted = counted.split('id="history"')[0]
    assert f"{FUTURE_FIGURE:,}" not in counted
    assert str(FUTURE_FIGURE) not in counted
    assert "21,627" in body or "21627" in body


def test_the_practice_page_and_its_locality_page_agree(demo_today, extract_ahead, client_as, practice):
    staff = client_as("staff")

    practice_page = staff.get(f"/practices/{practice.ods_code}/").content.decode()
    locality_page = staff.get("/localities/harborough/").content.decode()

    today_figure = re.search(
        r'id="list-size-today">([\d,]+) registered patients, as at ([^<]+)<', practice_page
    )
    assert today_figure.groups() == ("21,627", "1 January 2019")
    assert "Registered patients at 15 February 2019" in locality_page
    assert re.search(r"Registered patients at 15 February 2019</dt>\s*<dd[^>]*>\s*21,627\s*<", locality_page)
    assert "After today: not yet counted" in practice_page


def test_the_practice_list_reads_list_sizes_on_the_day_its_filter_chooses(
    demo_today, extract_ahead, client_as
):
    staff = client_as("staff")

    today = staff.get("/practices/?q=C82009").content.decode()
    april = staff.get("/practices/?q=C82009&on_day=2&on_month=4&on_year=2019").content.decode()

    assert "21,627" in today and f"{FUTURE_FIGURE:,}" not in today
    assert f"{FUTURE_FIGURE:,}" in april
