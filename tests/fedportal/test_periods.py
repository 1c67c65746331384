"""Quarter arithmetic across financial-year ends."""

from datetime import date

import pytest

from fedportal.periods import Quarter


@pytest.mark.parametrize(
    ("quarter", "by", "expected"),
    [
        (Quarter(2018, 3), 1, Quarter(2018, 4)),
        (Quarter(2018, 4), 1, Quarter(2019, 1)),
        (Quarter(2019, 1), -1, Quarter(2018, 4)),
        (Quarter(2019, 2), -19, Quarter(2014, 3)),
        (Quarter(2018, 3), 0, Quarter(2018, 3)),
    ],
)
def test_shifting_a_quarter_crosses_financial_years(quarter, by, expected):
    assert quarter.shifted(by) == expected
    assert expected.shifted(-by) == quarter


def test_a_quarter_starts_on_the_first_day_of_its_calendar_quarter():
    # Q4 2018/19 is January to March 2019
    assert Quarter.of(date(2019, 2, 15)).start == date(2019, 1, 1)
    assert Quarter.of(date(2019, 2, 15)).shifted(-1).start == date(2018, 10, 1)
