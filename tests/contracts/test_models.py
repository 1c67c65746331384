from datetime import date

import pytest
from django.core.exceptions import ValidationError

from contracts.models import SubContract, contract_months
from fedportal.periods import Quarter


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (date(2018, 9, 1), date(2019, 3, 31), 7),  # seed 000: Harborough First Contact Physio
        (date(2018, 10, 1), date(2019, 3, 31), 6),  # O&W and SLAM pilots
        (date(2019, 2, 1), date(2020, 1, 31), 12),  # GPTeamNet
        (date(2018, 10, 15), date(2019, 4, 14), 6),
        (date(2019, 1, 31), date(2019, 2, 27), 1),
        (date(2019, 1, 1), date(2019, 1, 10), 0),
    ],
)
def test_contract_duration_in_months(start, end, months):
    assert contract_months(start, end) == months


def test_a_subcontract_ending_before_it_starts_is_a_message_not_a_database_error(practice, h_pylori):
    subcontract = SubContract(
        practice=practice, service=h_pylori, start_date=date(2019, 4, 1), end_date=date(2019, 3, 1)
    )
    with pytest.raises(ValidationError) as refused:
        subcontract.full_clean()
    assert refused.value.message_dict["end_date"] == ["The end date must be on or after the start date."]


@pytest.mark.parametrize(
    ("day", "label", "start", "end"),
    [
        (date(2018, 11, 14), "Q3 2018/19", date(2018, 10, 1), date(2018, 12, 31)),
        (date(2019, 2, 15), "Q4 2018/19", date(2019, 1, 1), date(2019, 3, 31)),
        (date(2019, 4, 1), "Q1 2019/20", date(2019, 4, 1), date(2019, 6, 30)),
    ],
)
def test_financial_quarters(day, label, start, end):
    quarter = Quarter.of(day)
    assert (str(quarter), quarter.start, quarter.end) == (label, start, end)
    assert Quarter.parse(quarter.key) == quarter
    assert quarter.next().previous() == quarter
