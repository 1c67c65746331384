"""A locality's population at a date: the sum of its open practices' latest
figures on or before that date (PracticeQuerySet.open_on decides "open"), the
same on the list page, the locality page, its chart and the home page."""

from datetime import date

import pytest

from localities.models import ListSize, Locality, Practice, PracticeStatus
from localities.population import population_series
from reports.dashboard import home_context

pytestmark = pytest.mark.django_db


def practice_with(locality, code, figures, **fields) -> Practice:
    fields.setdefault("member_from", date(1974, 4, 1))
    practice = Practice.objects.create(ods_code=code, name=f"Practice {code}", locality=locality, **fields)
    ListSize.objects.bulk_create(
        ListSize(practice=practice, as_at=day, registered_patients=n) for day, n in figures.items()
    )
    return practice


@pytest.fixture
def harborough_2019(harborough, rutland):
    """Harborough's practices across 2019, each a case of "open"."""
    practice_with(  # open throughout, three figures
        harborough,
        "C82001",
        {date(2018, 10, 1): 1000, date(2019, 1, 1): 1100, date(2019, 4, 1): 1200},
        open_date=date(1974, 4, 1),
    )
    practice_with(  # closed on 1 March 2019
        harborough,
        "C82108",
        {date(2018, 10, 1): 50},
        status=PracticeStatus.CLOSED,
        open_date=date(1974, 4, 1),
        close_date=date(2019, 3, 1),
    )
    practice_with(  # dormant, when it stopped unknown: never counted
        harborough, "C82641", {date(2018, 10, 1): 7}, status=PracticeStatus.DORMANT
    )
    kibworth = Practice.objects.get(ods_code="C82001")
    practice_with(  # merged into C82001 on 1 April 2019, dormant since
        harborough,
        "C82036",
        {date(2019, 1, 1): 300},
        status=PracticeStatus.DORMANT,
        merged_into=kibworth,
        merged_on=date(2019, 4, 1),
    )
    practice_with(  # opened 1 February 2019
        harborough, "C82700", {date(2019, 2, 1): 20}, open_date=date(2019, 2, 1)
    )
    practice_with(harborough, "C82800", {})  # open, no figure yet
    practice_with(rutland, "C82010", {date(2019, 1, 1): 15160})  # another locality
    return harborough


@pytest.mark.parametrize(
    ("as_at", "expected", "open_count"),
    [
        (date(2018, 9, 30), 0, 4),  # before any figure
        (date(2018, 12, 31), 1000 + 50, 4),  # C82036 open but no figure yet
        (date(2019, 1, 1), 1100 + 50 + 300, 4),
        (date(2019, 2, 15), 1100 + 50 + 300 + 20, 5),
        (date(2019, 3, 1), 1100 + 300 + 20, 4),  # C82108 closed that day
        (date(2019, 4, 1), 1200 + 20, 3),  # C82036 merged that day
        (date(2030, 1, 1), 1200 + 20, 3),
    ],
)
def test_population_counts_open_practices_latest_figures(
    harborough_2019, staff_user, as_at, expected, open_count
):
    locality = Locality.objects.with_population(as_at, user=staff_user).get(pk=harborough_2019.pk)

    assert locality.population == expected
    assert locality.practice_count == open_count


@pytest.mark.parametrize(("as_at", "expected"), [("2019-01-01", "1,450"), ("2019-03-01", "1,420")])
def test_locality_pages_agree_with_each_other(client_for, staff_user, harborough_2019, as_at, expected):
    client = client_for(staff_user)

    listed = client.get(f"/localities/?as_at={as_at}")
    detail = client.get(f"/localities/harborough/?as_at={as_at}")

    harborough_row = next(r for r in listed.context["table"].rows if r.record.name == "Harborough")
    assert f"{harborough_row.record.population:,}" == expected
    assert f"{detail.context['population']:,}" == expected
    assert expected in detail.content.decode()


def test_the_localities_page_shows_population_at_the_chosen_date(client_for, board_user, harborough_2019):
    body = client_for(board_user).get("/localities/?as_at=2019-01-01").content.decode()

    assert "Registered patients at 1 January 2019" in body
    assert "1,450" in body
    assert "15,160" in body


def test_a_bad_date_falls_back_to_today_without_an_error(client_for, staff_user, harborough_2019):
    response = client_for(staff_user).get("/localities/?as_at=2019-02-30")

    assert response.status_code == 200
    harborough_row = next(r for r in response.context["table"].rows if r.record.name == "Harborough")
    assert harborough_row.record.population == 1200 + 20


def test_population_series_carries_each_latest_figure_forward(harborough_2019):
    practices = Practice.objects.filter(locality=harborough_2019)

    series = [(p.when, p.value) for p in population_series(practices)]

    assert series == [
        (date(2018, 10, 1), 1000 + 50),
        (date(2019, 1, 1), 1100 + 50 + 300),
        (date(2019, 2, 1), 1100 + 50 + 300 + 20),
        (date(2019, 4, 1), 1200 + 20),
    ]


def test_population_series_matches_the_queryset_at_each_of_its_dates(harborough_2019, staff_user):
    for point in population_series(Practice.objects.filter(locality=harborough_2019)):
        localities = Locality.objects.with_population(point.when, user=staff_user)
        assert localities.get(pk=harborough_2019.pk).population == point.value


def test_open_on_follows_dates_not_just_status(harborough_2019):
    open_codes = sorted(Practice.objects.open_on(date(2019, 1, 1)).values_list("ods_code", flat=True))

    assert open_codes == ["C82001", "C82010", "C82036", "C82108", "C82800"]


def test_the_home_page_totals_every_locality_today(staff_user, harborough_2019):
    context = home_context(staff_user, date(2019, 1, 1))

    headlines = {headline.label: headline.value for headline in context["headlines"]}
    assert headlines["Registered patients"] == 1100 + 50 + 300 + 15160
    assert headlines["Localities"] == 2
    # Open on the day by the dates (C82036, dormant in today's file, merges in
    # April), as the localities table under it counts them: the two agree.
    assert headlines["Open member practices"] == 5
    assert sum(locality.practice_count for locality in context["localities"]) == 5


def test_the_locality_page_draws_the_trend_as_svg(client_for, staff_user, harborough_2019):
    body = client_for(staff_user).get("/localities/harborough/").content.decode()

    assert '<svg class="fp-chart' in body
    assert "Registered patients in Harborough over time" in body
    assert "<script" not in body.split("</head>")[1]
