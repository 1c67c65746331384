"""Stamps follow the portal's clock: in the demo (a portal date of 15 February
2019) a return submitted and decided, or evidence uploaded, reads 15 February
2019, not the real date. And one date style across the site, the NHS.UK one:
"15 February 2019", "15 February 2019 at 2:05pm"."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template

from fedportal import clock
from fedportal.formats import when

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def demo_clock(settings, time_machine):  # also in tests/contracts/test_returns_stamps.py
    """The demo: the portal's date pinned to 15 February 2019 while the real
    clock says 30 November 2026, 2:05pm."""
    settings.FEDPORTAL_TODAY = "2019-02-15"
    time_machine.move_to(datetime(2026, 11, 30, 14, 5, tzinfo=LONDON), tick=False)


def test_now_is_the_real_time_of_day_on_the_portals_date(demo_clock):
    moment = clock.now()

    assert moment.astimezone(LONDON).replace(tzinfo=None) == datetime(2019, 2, 15, 14, 5)
    assert clock.today() == date(2019, 2, 15)


def test_now_is_the_real_moment_when_the_date_is_not_pinned(settings, time_machine):
    settings.FEDPORTAL_TODAY = None
    time_machine.move_to(datetime(2026, 11, 30, 14, 5, tzinfo=LONDON), tick=False)

    assert clock.now() == datetime(2026, 11, 30, 14, 5, tzinfo=LONDON)


@pytest.mark.parametrize(
    ("moment", "written"),
    [
        (datetime(2019, 2, 15, 14, 5, tzinfo=LONDON), "15 February 2019 at 2:05pm"),
        (datetime(2019, 2, 15, 9, 0, tzinfo=LONDON), "15 February 2019 at 9am"),
        (datetime(2019, 2, 15, 12, 30, tzinfo=LONDON), "15 February 2019 at 12:30pm"),
        (datetime(2019, 2, 15, 0, 10, tzinfo=LONDON), "15 February 2019 at 12:10am"),
        (datetime(2019, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC")), "1 July 2019 at 9am"),  # British Summer Time
        (date(2019, 2, 15), "15 February 2019"),
        (None, ""),
    ],
)
def test_a_moment_is_written_in_the_nhs_style(moment, written):
    assert when(moment) == written


def test_templates_write_dates_in_the_nhs_style():
    rendered = Template("{{ day|date }} | {{ moment|when }} | {{ day|date:'SHORT_DATE_FORMAT' }}").render(
        Context({"day": date(2019, 2, 5), "moment": datetime(2019, 2, 5, 14, 5, tzinfo=LONDON)})
    )

    assert rendered == "5 February 2019 | 5 February 2019 at 2:05pm | 5 February 2019"


def test_the_practice_page_writes_its_dates_in_the_nhs_style(client_as, practice):
    page = client_as("staff").get(f"/practices/{practice.ods_code}/").content.decode()

    assert "1 April 1974" in page
    assert "1 January 2019" in page
    assert "1 Jan 2019" not in page
    assert "01/01/2019" not in page


@pytest.mark.django_db
def test_list_sizes_and_imports_are_stamped_on_the_portals_date(demo_clock, practice, import_run):
    from localities.models import ListSize

    recorded = ListSize.objects.create(practice=practice, as_at=date(2019, 2, 1), registered_patients=21700)

    assert recorded.recorded_at.astimezone(LONDON).date() == date(2019, 2, 15)
    assert import_run.uploaded_at.astimezone(LONDON).date() == date(2019, 2, 15)
