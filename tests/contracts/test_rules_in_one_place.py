"""Rules written once and asked everywhere: the tariff in force on a day,
what a line of a return is worth, the long quarter label, who receives a
practice's mail, the practice guard, and links that never fall back
silently."""

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import NoReverseMatch

from contracts.models import ActivityReturn, ActivityReturnLine, SubContract, Tariff
from contracts.models.returns import long_quarter_label, tariff_in_force, tariff_periods
from contracts.notifications import practice_mail_memberships, practice_recipients
from contracts.reminders import ReminderItem
from contracts.selectors import services_with_figures
from fedportal.models import Role, User
from fedportal.periods import Quarter
from localities.models import PracticeMembership
from localities.permissions import keeps_practice_records
from tests.contracts.helpers import Q3, make_return

pytestmark = pytest.mark.django_db


# The tariff in force on a day


@pytest.fixture
def rise(h_pylori):
    """The H. pylori tariff (£25.00 from 1 April 2018) rises to £27.50 on 15 November 2018."""
    return Tariff.objects.create(
        service=h_pylori, effective_from=date(2018, 11, 15), unit_price=Decimal("27.50")
    )


@pytest.mark.parametrize(
    ("day", "price"),
    [
        (date(2018, 3, 31), None),
        (date(2018, 4, 1), Decimal("25.00")),
        (date(2018, 11, 14), Decimal("25.00")),
        (date(2018, 11, 15), Decimal("27.50")),
        (date(2030, 1, 1), Decimal("27.50")),
    ],
)
def test_the_tariff_in_force_is_the_latest_by_that_day_wherever_it_is_asked(
    h_pylori, rise, staff_user, day, price
):
    # asked directly, as a periods' list of one day, and as the services list's annotation
    in_force = tariff_in_force(day, service=h_pylori).first()
    periods = tariff_periods(h_pylori, day, day)
    listed = services_with_figures(user=staff_user, today=day).get(pk=h_pylori.pk)
    assert (in_force.unit_price if in_force else None) == price
    assert [p.unit_price for p in periods] == ([price] if price else [])
    assert listed.unit_price == price
    assert listed.tariff_in_force_id == (in_force.pk if in_force else None)


def test_the_service_page_marks_the_tariff_in_force_today(client_as, h_pylori, rise, time_machine):
    time_machine.move_to(date(2018, 12, 1))
    page = client_as("staff").get("/services/h-pylori/").content.decode()
    assert page.count("In force today") == 1
    assert page.index("In force today") < page.index("£25.00")  # newest first: the rise is above


# What a line of a return is worth


def test_a_returns_claim_is_the_sum_of_its_lines_amounts(subcontract, practice_user, rise, february_2019):
    activity_return = make_return(subcontract, practice_user, quarter=Q3, units=(13, 7))
    lines = list(ActivityReturnLine.objects.filter(activity_return=activity_return).with_amount())
    assert [line.amount for line in lines] == [Decimal("325.00"), Decimal("192.50")]
    claimed = ActivityReturn.objects.with_claim().get(pk=activity_return.pk)
    assert (claimed.units_total, claimed.claim_value) == (20, Decimal("517.50"))


# The long quarter label


def test_the_long_quarter_label_names_its_months():
    assert long_quarter_label(Quarter(2018, 3)) == "Q3 2018/19 (October to December 2018)"
    assert long_quarter_label(Quarter(2018, 4)) == "Q4 2018/19 (January to March 2019)"


# Who receives a practice's mail


def test_a_practices_mail_goes_to_its_active_users_with_an_email_address(practice, other_practice):
    def member(username, **extra):
        user = User.objects.create_user(username, role=Role.PRACTICE, **extra)
        PracticeMembership.objects.create(user=user, practice=practice)
        return user

    reader = member("reader", email="reader@example.nhs.uk")
    member("no-email")
    member("gone", email="gone@example.nhs.uk", is_active=False)
    elsewhere = User.objects.create_user("elsewhere", role=Role.PRACTICE, email="e@example.nhs.uk")
    PracticeMembership.objects.create(user=elsewhere, practice=other_practice)

    # then a decision's email and the reminders reach the same people
    assert practice_recipients(practice) == [reader]
    assert {m.user for m in practice_mail_memberships().filter(practice=practice)} == {reader}


# The practice guard


def guard_user(role: str, practice):
    if role == "anonymous":
        return AnonymousUser()
    kind, _, rest = role.partition(" ")
    user = User.objects.create_user(role.replace(" ", "-"), role=kind, is_active=rest != "inactive")
    if role in ("practice", "practice inactive"):
        PracticeMembership.objects.create(user=user, practice=practice)
    return user


@pytest.mark.parametrize(
    ("role", "keeps"),
    [
        ("staff", True),
        ("administrator", True),
        ("board", False),
        ("practice", True),
        ("practice elsewhere", False),
        ("practice inactive", False),
        ("staff inactive", False),
        ("anonymous", False),
    ],
)
def test_who_keeps_a_practices_records(practice, role, keeps):
    user = guard_user(role, practice)
    assert keeps_practice_records(user, practice) is keeps
    assert keeps_practice_records(user, practice.pk) is keeps  # a Practice or its id


def test_the_guard_reads_a_users_practices_once(
    practice, other_practice, practice_user, django_assert_num_queries
):
    with django_assert_num_queries(1):
        assert keeps_practice_records(practice_user, practice)
        assert not keeps_practice_records(practice_user, other_practice)
        assert keeps_practice_records(practice_user, practice.pk)


# Links that never fall back


def test_a_reminder_whose_page_has_no_route_is_an_error_not_a_link_elsewhere():
    item = ReminderItem(
        key="evidence:missing:1:1:-",
        practice_id=1,
        practice="Somewhere",
        kind="missing",
        text="Something is missing.",
        link=("contracts:no-such-page", (1,), ()),
    )
    with pytest.raises(NoReverseMatch):
        _ = item.path


def test_a_reminders_link_is_the_page_it_names(subcontract):
    item = ReminderItem(
        key=f"return:{subcontract.pk}:2018-Q3",
        practice_id=subcontract.practice_id,
        practice="Market Harborough Medical Centre",
        kind="return",
        text="Due.",
        link=("contracts:return-create", (subcontract.pk,), (("quarter", "2018-Q3"),)),
    )
    assert item.path == f"/subcontracts/{subcontract.pk}/returns/new/?quarter=2018-Q3"


# The sub-contract page: compliance computed once


def test_a_sub_contract_whose_service_asks_for_nothing_is_compliant(client_as, practice, h_pylori):
    subcontract = SubContract.objects.create(practice=practice, service=h_pylori, start_date=date(2018, 4, 1))
    page = client_as("staff").get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert 'data-compliance="compliant"' in page
    assert "This service asks for no evidence." in page
