"""A quarterly return is for a quarter that has ended. On 15 February 2019
Q4 2018/19 (January to March 2019) is not over: a practice cannot return it,
staff approve it only with a reason to accept it early (kept on the return,
with who and when, and shown on its page), and an unfinished quarter's
return never enters a payment schedule unless it was accepted early."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from contracts.models import ActivityReturn, ActivityReturnLine, ReturnStatus
from contracts.payment_schedule import payment_schedule_rows
from contracts.services.returns import return_decide, return_submit
from fedportal.periods import Quarter
from tests.pages import error_beside

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("february_2019")]

Q4 = Quarter(2018, 4)
NOT_ENDED = "Q4 2018/19 ends on 31 March 2019: a return is made once its quarter has ended."


def create_url(subcontract, quarter=None):
    url = reverse("contracts:return-create", args=[subcontract.pk])
    return f"{url}?quarter={quarter.key}" if quarter else url


def unfinished_return(subcontract, user, *, status=ReturnStatus.SUBMITTED) -> ActivityReturn:
    """A Q4 return as the database might hold one from before this rule
    (written straight to it)."""
    made = ActivityReturn.objects.create(
        subcontract=subcontract, year=2018, quarter=4, submitted_by=user, status=ReturnStatus.SUBMITTED
    )
    ActivityReturnLine.objects.create(
        activity_return=made, period_start=Q4.start, period_end=Q4.end, unit_price="25.00", units=30
    )
    if status != ReturnStatus.SUBMITTED:
        ActivityReturn.objects.filter(pk=made.pk).update(status=status, decided_by=user)
    return made


def test_a_practice_is_not_offered_a_quarter_that_has_not_ended(client_for, practice_user, subcontract):
    page = client_for(practice_user).get(create_url(subcontract)).content.decode()

    assert 'value="2018-Q3" selected' in page
    assert 'value="2018-Q4"' not in page


def test_a_practice_asking_for_an_unfinished_quarter_is_told_why_and_given_no_inputs(
    client_for, practice_user, subcontract
):
    page = client_for(practice_user).get(create_url(subcontract, Q4)).content.decode()

    assert NOT_ENDED in page
    assert 'name="units_0"' not in page


def test_a_practice_return_for_an_unfinished_quarter_is_refused(client_for, practice_user, subcontract):
    # when the practice posts Q4 2018/19 on 15 February 2019
    response = client_for(practice_user).post(
        create_url(subcontract), {"quarter": "2018-Q4", "units_0": "30", "accepted_early_reason": "Please"}
    )

    # then it is refused beside the quarter, and nothing is written
    assert response.status_code == 400
    assert error_beside(response.content, "quarter") == NOT_ENDED
    assert not ActivityReturn.objects.exists()


def test_the_service_refuses_a_practice_even_with_a_reason(practice_user, subcontract):
    with pytest.raises(ValidationError) as refused:
        return_submit(
            subcontract=subcontract,
            quarter=Q4,
            units=[30],
            user=practice_user,
            accepted_early_reason="Please",
        )

    assert refused.value.message_dict == {"quarter": [NOT_ENDED]}
    assert not ActivityReturn.objects.exists()


def test_staff_must_give_a_reason_to_make_a_return_early(client_for, staff_user, subcontract):
    response = client_for(staff_user).post(create_url(subcontract), {"quarter": "2018-Q4", "units_0": "30"})

    assert response.status_code == 400
    assert error_beside(response.content, "accepted_early_reason").startswith(NOT_ENDED)
    assert not ActivityReturn.objects.exists()


def test_staff_accept_a_return_early_with_a_reason_kept_on_it_and_shown(client_for, staff_user, subcontract):
    client = client_for(staff_user)

    response = client.post(
        create_url(subcontract),
        {"quarter": "2018-Q4", "units_0": "30", "accepted_early_reason": "Practice closing on 28 February"},
    )

    assert response.status_code == 302
    made = ActivityReturn.objects.get()
    assert (made.accepted_early_by, made.accepted_early_reason) == (
        staff_user,
        "Practice closing on 28 February",
    )
    assert made.accepted_early_at.date() == date(2019, 2, 15)
    page = client.get(made.get_absolute_url()).content.decode()
    assert "Accepted before the quarter ended" in page
    assert "Helen Parker, 15 February 2019 at 10am" in page or "staff, 15 February 2019 at 10am" in page
    assert "Practice closing on 28 February" in page


def test_approving_an_unfinished_quarter_needs_a_reason(client_for, staff_user, practice_user, subcontract):
    made = unfinished_return(subcontract, practice_user)
    client = client_for(staff_user)

    # the page says why before anyone presses a button
    assert NOT_ENDED in client.get(made.get_absolute_url()).content.decode()
    refused = client.post(made.get_absolute_url(), {"decision": "approve", "reason": ""})
    made.refresh_from_db()
    assert refused.status_code == 400
    assert error_beside(refused.content, "accepted_early_reason").startswith(NOT_ENDED)
    assert made.status == ReturnStatus.SUBMITTED

    approved = client.post(
        made.get_absolute_url(),
        {"decision": "approve", "reason": "", "accepted_early_reason": "Year-end accrual agreed with PCL"},
    )
    made.refresh_from_db()
    assert approved.status_code == 302
    assert made.status == ReturnStatus.APPROVED
    assert (made.accepted_early_by, made.accepted_early_reason) == (
        staff_user,
        "Year-end accrual agreed with PCL",
    )


def test_sending_back_an_unfinished_quarter_needs_no_early_reason(staff_user, practice_user, subcontract):
    made = unfinished_return(subcontract, practice_user)

    sent_back = return_decide(
        return_id=made.pk, approve=False, reason="Wait for the quarter to end", user=staff_user
    )

    assert sent_back.status == ReturnStatus.REJECTED
    assert not sent_back.accepted_early


def test_an_unfinished_quarter_enters_no_payment_schedule_unless_accepted_early(
    staff_user, practice_user, subcontract, other_subcontract, h_pylori
):
    # given one approved Q4 return from before the rule, and one staff accepted early
    unfinished_return(subcontract, practice_user, status=ReturnStatus.APPROVED)
    early = return_submit(
        subcontract=other_subcontract,
        quarter=Q4,
        units=[12],
        user=staff_user,
        accepted_early_reason="Closing",
    )
    return_decide(return_id=early.pk, approve=True, user=staff_user)

    # then the Q4 schedule holds only the one accepted early, until the quarter ends
    assert [row.ods_code for row in payment_schedule_rows(h_pylori, Q4)] == ["C82010"]
    assert sorted(row.ods_code for row in payment_schedule_rows(h_pylori, Q4, date(2019, 4, 1))) == [
        "C82009",
        "C82010",
    ]
