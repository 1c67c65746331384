"""Quarterly activity returns through the pages: making a return (one input
per tariff period), validation beside the fields, who may do what, approval
that locks, sending back, and amendments that keep the original."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from contracts.models import ActivityReturn, ReturnStatus, Tariff
from contracts.services.returns import return_decide
from fedportal.periods import Quarter
from tests.contracts.helpers import Q2, Q3, make_return
from tests.pages import errors_beside, input_value
from tests.roles import FORBIDDEN, NOT_FOUND, OK

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("february_2019")]


def create_url(subcontract, quarter=None):
    url = reverse("contracts:return-create", args=[subcontract.pk])
    return f"{url}?quarter={quarter.key}" if quarter else url


def errors_of(response) -> str:
    return response.content.decode()


# Making a return


def test_the_return_form_offers_the_last_completed_quarter_with_one_input_at_its_tariff(
    client_for, practice_user, subcontract
):
    # given the practice user's H. pylori sub-contract at £25.00 a test
    # when they open the return form
    response = client_for(practice_user).get(create_url(subcontract))
    # then Q3 2018/19 is chosen and there is one units input, priced
    page = response.content.decode()
    assert response.status_code == OK
    assert '<option value="2018-Q3" selected>' in page
    assert 'name="units_0"' in page
    assert 'name="units_1"' not in page
    assert "£25.00 a breath test" in page


def test_a_practice_user_submits_units_and_the_claim_is_units_times_tariff(
    client_for, practice_user, subcontract
):
    # given the practice user
    client = client_for(practice_user)
    # when they return 40 breath tests for Q3
    response = client.post(
        create_url(subcontract), {"quarter": "2018-Q3", "units_0": "40", "notes": "All in Oct"}
    )
    # then the return awaits approval with one line of 40 at £25.00: £1,000.00
    activity_return = ActivityReturn.objects.with_claim().get()
    assert response.status_code == 302
    assert response["Location"] == activity_return.get_absolute_url()
    assert activity_return.status == ReturnStatus.SUBMITTED
    assert activity_return.period == Q3
    assert activity_return.submitted_by == practice_user
    assert [(line.units, line.unit_price) for line in activity_return.lines.all()] == [(40, Decimal("25.00"))]
    assert activity_return.claim_value == Decimal("1000.00")
    page = client.get(response["Location"]).content.decode()
    assert "£1,000.00" in page
    assert "Awaiting approval" in page


def test_a_tariff_change_mid_quarter_gives_two_inputs_two_lines_and_an_exact_total(
    client_for, practice_user, subcontract, h_pylori
):
    # given the tariff rises from £25.00 to £27.50 on 15 November 2018
    Tariff.objects.create(service=h_pylori, effective_from=date(2018, 11, 15), unit_price=Decimal("27.50"))
    client = client_for(practice_user)
    # when the practice opens Q3 2018/19
    page = client.get(create_url(subcontract, Q3)).content.decode()
    # then there is one input per tariff period, labelled with its dates and price
    assert "Units delivered 1 October 2018 to 14 November 2018" in page
    assert "Units delivered 15 November 2018 to 31 December 2018" in page
    assert "£27.50 a breath test" in page
    # when they return 13 then 7 tests
    client.post(create_url(subcontract), {"quarter": "2018-Q3", "units_0": "13", "units_1": "7"})
    # then there are two lines with those dates, and the total is 13 x 25 + 7 x 27.50 exactly
    activity_return = ActivityReturn.objects.with_claim().get()
    lines = list(activity_return.lines.all())
    assert [(line.period_start, line.period_end, line.units, line.unit_price) for line in lines] == [
        (date(2018, 10, 1), date(2018, 11, 14), 13, Decimal("25.00")),
        (date(2018, 11, 15), date(2018, 12, 31), 7, Decimal("27.50")),
    ]
    assert sum(line.units * line.unit_price for line in lines) == Decimal("517.50")
    assert activity_return.claim_value == Decimal("517.50")
    assert activity_return.units_total == 20
    assert "£517.50" in client.get(activity_return.get_absolute_url()).content.decode()


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-3", "Units delivered cannot be negative."),
        ("2.5", "Enter the units delivered as a whole number, like 12."),
        ("lots", "Enter the units delivered as a whole number, like 12."),
        ("", "Enter the breath tests delivered from 1 October to 31 December 2018 (0 if none)."),
        ("99999999999999", "Check this figure: more than 100,000 units in a quarter."),
    ],
)
def test_bad_units_are_refused_beside_the_field_keeping_what_was_typed(
    client_for, practice_user, subcontract, typed, message
):
    # given the practice user
    # when they type bad units
    response = client_for(practice_user).post(
        create_url(subcontract), {"quarter": "2018-Q3", "units_0": typed, "notes": "my notes"}
    )
    # then the page says why beside the input, keeps their input, and saves nothing
    page = errors_of(response)
    assert response.status_code == 400
    assert message in page
    assert 'id="id_units_0-error"' in page
    assert errors_beside(page, "units_0") == [message]
    assert input_value(page, "units_0") == (typed or None)
    assert "my notes" in page
    assert ActivityReturn.objects.count() == 0


def test_a_quarter_already_approved_says_to_amend(client_for, practice_user, staff_user, subcontract):
    # given Q3 was returned and approved
    approved = make_return(subcontract, practice_user, approved_by=staff_user)
    # when the practice returns Q3 again
    response = client_for(practice_user).post(
        create_url(subcontract), {"quarter": "2018-Q3", "units_0": "41"}
    )
    # then they are told to correct it with an amendment, beside the quarter
    page = errors_of(response)
    assert response.status_code == 400
    assert "Q3 2018/19 was already approved; correct it with an amendment." in page
    assert 'id="id_quarter-error"' in page
    assert ActivityReturn.objects.get() == approved


def test_a_quarter_awaiting_approval_cannot_be_returned_twice(client_for, practice_user, subcontract):
    # given a Q3 return awaits approval
    make_return(subcontract, practice_user)
    # when the practice returns Q3 again
    response = client_for(practice_user).post(
        create_url(subcontract), {"quarter": "2018-Q3", "units_0": "41"}
    )
    # then they are told it is already waiting
    assert response.status_code == 400
    assert "A return for Q3 2018/19 is already awaiting approval." in errors_of(response)
    assert ActivityReturn.objects.count() == 1


def test_a_quarter_not_started_is_refused(client_for, practice_user, subcontract):
    # given it is February 2019
    # when the practice asks for Q1 2019/20 (April-June 2019) by URL and submits it
    client = client_for(practice_user)
    assert client.get(create_url(subcontract, Quarter(2019, 1))).status_code == OK
    response = client.post(create_url(subcontract), {"quarter": "2019-Q1", "units_0": "5"})
    # then it has not started yet
    assert response.status_code == 400
    assert "Q1 2019/20 has not started yet." in errors_of(response)
    assert ActivityReturn.objects.count() == 0


def test_a_quarter_without_a_tariff_is_refused(client_for, practice_user, subcontract):
    # given the sub-contract and its tariff start on 1 April 2018
    client = client_for(practice_user)
    # when the practice asks for Q4 2017/18
    page = client.get(create_url(subcontract, Quarter(2017, 4))).content.decode()
    response = client.post(create_url(subcontract), {"quarter": "2017-Q4"})
    # then there is nothing to return, and a submission is refused beside the quarter
    assert "Nothing to return" in page
    assert 'name="units_0"' not in page
    assert response.status_code == 400
    assert "There is no tariff for this service in Q4 2017/18 within the sub-contract" in errors_of(response)


@pytest.mark.parametrize("quarter", ["2018-Q5", "0000-Q1", "9999-Q4", "Q3"])
def test_a_quarter_that_is_not_a_quarter_is_refused(client_for, practice_user, subcontract, quarter):
    client = client_for(practice_user)
    response = client.post(create_url(subcontract), {"quarter": quarter, "units_0": "5"})
    assert response.status_code == 400
    assert "Choose a quarter, like 2018-Q3." in errors_of(response)
    # and asking for the form of such a quarter shows the form of a real one
    assert client.get(f"{create_url(subcontract)}?quarter={quarter}").status_code == 200


def test_the_last_quarter_the_portal_knows_is_a_message_not_an_error(client_for, practice_user, subcontract):
    # Q4 2999/00 ends in March 3000: its end date once came from a next
    # quarter that cannot exist, and the form gave a 500.
    client = client_for(practice_user)
    page = client.get(f"{create_url(subcontract)}?quarter=2999-Q4")
    response = client.post(create_url(subcontract), {"quarter": "2999-Q4", "units_0": "5"})
    assert page.status_code == 200
    assert response.status_code == 400
    assert "Q4 2999/00 has not started yet." in errors_of(response)
    assert ActivityReturn.objects.count() == 0


def test_staff_can_make_a_return_for_a_practice(client_for, staff_user, subcontract):
    response = client_for(staff_user).post(create_url(subcontract), {"quarter": "2018-Q2", "units_0": "9"})
    assert response.status_code == 302
    assert ActivityReturn.objects.get().submitted_by == staff_user


def test_an_approved_quarter_offers_an_amendment_instead_of_inputs(
    client_for, practice_user, staff_user, subcontract
):
    # given Q3 was returned and approved
    approved = make_return(subcontract, practice_user, approved_by=staff_user)
    # when the practice opens the form for Q3
    page = client_for(practice_user).get(create_url(subcontract, Q3)).content.decode()
    # then the approved return is listed, locked, with a link to amend it and no inputs
    assert "Returns already made for Q3 2018/19" in page
    assert "in force, locked: correct it with an amendment" in page
    assert reverse("contracts:return-amend", args=[approved.pk]) in page
    assert 'name="units_0"' not in page


def test_a_quarter_awaiting_approval_shows_that_instead_of_inputs(client_for, practice_user, subcontract):
    waiting = make_return(subcontract, practice_user)
    page = client_for(practice_user).get(create_url(subcontract, Q3)).content.decode()
    assert "is already awaiting approval" in page
    assert waiting.get_absolute_url() in page
    assert 'name="units_0"' not in page
    # while another quarter can still be returned
    assert 'name="units_0"' in client_for(practice_user).get(create_url(subcontract, Q2)).content.decode()


# Who may do what


@pytest.fixture
def own_return(subcontract, practice_user):
    return make_return(subcontract, practice_user)


@pytest.fixture
def others_approved_return(other_subcontract, staff_user):
    return make_return(other_subcontract, staff_user, units=(12,), approved_by=staff_user)


def test_a_practice_user_gets_404_for_another_practices_returns_by_url(
    client_for, practice_user, other_subcontract, others_approved_return
):
    # given a return of another practice
    client = client_for(practice_user)
    # when the practice user guesses its URLs
    urls = [
        others_approved_return.get_absolute_url(),
        reverse("contracts:return-amend", args=[others_approved_return.pk]),
        create_url(other_subcontract),
    ]
    # then each is 404, reading and writing alike
    for url in urls:
        assert client.get(url).status_code == NOT_FOUND, url
        assert client.post(
            url, {"decision": "approve", "units_0": "1", "quarter": "2018-Q3"}
        ).status_code == (NOT_FOUND), url
    assert ActivityReturn.objects.count() == 1


def test_the_board_reads_returns_but_cannot_make_decide_or_amend_them(
    client_for, board_user, staff_user, subcontract, own_return, others_approved_return
):
    client = client_for(board_user)
    # reads
    assert client.get(reverse("contracts:return-list")).status_code == OK
    assert client.get(own_return.get_absolute_url()).status_code == OK
    # never writes
    assert client.get(create_url(subcontract)).status_code == FORBIDDEN
    assert (
        client.post(create_url(subcontract), {"quarter": "2018-Q2", "units_0": "1"}).status_code == FORBIDDEN
    )
    assert client.post(own_return.get_absolute_url(), {"decision": "approve"}).status_code == FORBIDDEN
    amend = reverse("contracts:return-amend", args=[others_approved_return.pk])
    assert client.get(amend).status_code == FORBIDDEN
    assert client.post(amend, {"units_0": "1", "notes": "x"}).status_code == FORBIDDEN
    own_return.refresh_from_db()
    assert own_return.status == ReturnStatus.SUBMITTED
    assert ActivityReturn.objects.count() == 2


def test_a_practice_user_cannot_approve_their_own_return(client_for, practice_user, own_return):
    response = client_for(practice_user).post(own_return.get_absolute_url(), {"decision": "approve"})
    assert response.status_code == FORBIDDEN
    own_return.refresh_from_db()
    assert own_return.status == ReturnStatus.SUBMITTED


@pytest.mark.parametrize(
    ("role", "expected"),
    [("staff", OK), ("board", OK), ("practice", OK), ("administrator", OK), ("anonymous", 302)],
)
def test_each_role_reaches_the_returns_list(client_as, role, expected):
    assert client_as(role).get(reverse("contracts:return-list")).status_code == expected


# Deciding


def test_staff_approve_a_return_which_is_then_locked_with_an_amend_button(
    client_for, staff_user, practice_user, own_return
):
    # given a return awaiting approval
    client = client_for(staff_user)
    assert 'value="approve"' in client.get(own_return.get_absolute_url()).content.decode()
    # when staff approve it
    response = client.post(own_return.get_absolute_url(), {"decision": "approve"})
    # then it is approved, by them, and its page shows it locked with an Amend button
    own_return.refresh_from_db()
    assert response.status_code == 302
    assert own_return.status == ReturnStatus.APPROVED
    assert own_return.decided_by == staff_user
    page = client_for(practice_user).get(own_return.get_absolute_url()).content.decode()
    assert 'id="locked"' in page
    assert "Locked" in page
    assert reverse("contracts:return-amend", args=[own_return.pk]) in page
    assert 'value="approve"' not in page


def test_a_second_decision_gets_a_clear_message_not_an_error(client_for, staff_user, admin_user, own_return):
    # given one member of staff approved the return
    client_for(staff_user).post(own_return.get_absolute_url(), {"decision": "approve"})
    # when another, from a page loaded before, sends it back
    response = client_for(admin_user).post(
        own_return.get_absolute_url(), {"decision": "reject", "reason": "Too many"}, follow=True
    )
    # then they are told it was already approved, and nothing changed
    own_return.refresh_from_db()
    assert response.status_code == OK
    assert "This return was already approved. Your decision was not recorded." in response.content.decode()
    assert own_return.status == ReturnStatus.APPROVED
    assert own_return.decided_by == staff_user


def test_sending_back_needs_a_reason_which_the_practice_then_sees(
    client_for, staff_user, practice_user, own_return
):
    client = client_for(staff_user)
    # when staff send it back without a reason
    response = client.post(own_return.get_absolute_url(), {"decision": "reject", "reason": "  "})
    # then the reason is asked for beside the field
    assert response.status_code == 400
    assert "Tell the practice why the return is sent back." in response.content.decode()
    own_return.refresh_from_db()
    assert own_return.status == ReturnStatus.SUBMITTED
    # when they give one
    client.post(own_return.get_absolute_url(), {"decision": "reject", "reason": "Q3 had 14 weeks?"})
    # then the practice sees the reason and can make the return again
    own_return.refresh_from_db()
    assert own_return.status == ReturnStatus.REJECTED
    page = client_for(practice_user).get(own_return.get_absolute_url()).content.decode()
    assert "Q3 had 14 weeks?" in page
    assert "Make the return again" in page
    again = client_for(practice_user).post(
        reverse("contracts:return-create", args=[own_return.subcontract_id]),
        {"quarter": "2018-Q3", "units_0": "39"},
    )
    assert again.status_code == 302


# Amending


def test_an_amendment_is_prefilled_needs_notes_and_keeps_the_original(
    client_for, practice_user, staff_user, subcontract
):
    # given an approved return of 40 tests
    original = make_return(subcontract, practice_user, approved_by=staff_user)
    decided_at = original.decided_at
    client = client_for(practice_user)
    amend = reverse("contracts:return-amend", args=[original.pk])
    # when the practice opens the amendment
    page = client.get(amend).content.decode()
    # then the units are filled in from the original
    assert 'name="units_0" value="40"' in page
    # when they send it without saying what it corrects
    response = client.post(amend, {"units_0": "38", "notes": ""})
    # then notes are asked for
    assert response.status_code == 400
    assert "Say what the amendment corrects." in response.content.decode()
    # when they say
    response = client.post(amend, {"units_0": "38", "notes": "Two tests were counted twice."})
    # then a new return amends the original, which stays approved and unchanged
    amendment = ActivityReturn.objects.with_claim().get(amends=original)
    assert response.status_code == 302
    assert response["Location"] == amendment.get_absolute_url()
    assert amendment.status == ReturnStatus.SUBMITTED
    assert amendment.claim_value == Decimal("950.00")
    original = ActivityReturn.objects.with_claim().get(pk=original.pk)
    assert original.status == ReturnStatus.APPROVED
    assert original.decided_at == decided_at
    assert original.claim_value == Decimal("1000.00")
    # and the original is still the one in force until the amendment is approved
    assert list(ActivityReturn.objects.current()) == [original]
    return_decide(return_id=amendment.pk, approve=True, user=staff_user)
    assert list(ActivityReturn.objects.current()) == [amendment]
    page = client.get(original.get_absolute_url()).content.decode()
    assert "Returns for this quarter" in page
    assert "replaced" in page


def test_an_amended_return_cannot_be_amended_again(client_for, practice_user, staff_user, subcontract):
    original = make_return(subcontract, practice_user, approved_by=staff_user)
    make_return(subcontract, practice_user, units=(38,), notes="fix", amends=original)
    response = client_for(practice_user).get(
        reverse("contracts:return-amend", args=[original.pk]), follow=True
    )
    assert "This return has already been amended" in response.content.decode()
    assert ActivityReturn.objects.count() == 2


def test_a_return_awaiting_approval_is_not_amended(client_for, practice_user, own_return):
    response = client_for(practice_user).post(
        reverse("contracts:return-amend", args=[own_return.pk]), {"units_0": "1", "notes": "x"}, follow=True
    )
    assert "Only an approved return is corrected by an amendment." in response.content.decode()
    assert ActivityReturn.objects.count() == 1
