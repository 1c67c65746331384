"""The board's action log reminders: owners emailed a week before and on the
due date, once each, never for done actions."""

from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from fedportal.models import Role
from fedportal.reminders import ReminderJob
from reports.models import ActionStatus, BoardAction, BoardMeeting
from reports.reminders import BOARD_REMINDERS_LOCK, DAYS_BEFORE
from tests.conftest import make_user
from tests.locks import held_by_another_run

DUE = date(2019, 3, 20)


@pytest.fixture
def director(db):
    return make_user(
        "jwalker", Role.BOARD, first_name="Jane", last_name="Walker", email="jane.walker@example.nhs.uk"
    )


@pytest.fixture
def action(director):
    meeting = BoardMeeting.objects.create(held_on=date(2019, 2, 27), venue="Civic Centre")
    return BoardAction.objects.create(
        action="Write up a clinical governance process for Board consideration",
        owner="JW",
        raised_at=meeting,
        due_date=DUE,
    )


def run(day: date) -> str:
    out, err = StringIO(), StringIO()
    call_command("send_board_reminders", today=day.isoformat(), stdout=out, stderr=err)
    return out.getvalue() + err.getvalue()


def test_owner_reminded_days_before_and_on_the_due_date(action, director):
    run(date(2019, 3, 12))  # eight days before: too early
    assert mail.outbox == []

    run(date(2019, 3, 20 - DAYS_BEFORE))
    assert [m.to for m in mail.outbox] == [["jane.walker@example.nhs.uk"]]
    assert "due in 7 days" in mail.outbox[0].subject
    assert "Write up a clinical governance process" in mail.outbox[0].body
    assert "27 February 2019" in mail.outbox[0].body

    run(date(2019, 3, 15))  # the week's reminder was sent already
    assert len(mail.outbox) == 1

    run(DUE)
    assert len(mail.outbox) == 2
    assert "due today" in mail.outbox[1].subject


def test_not_twice_on_the_same_day(action):
    run(DUE)
    output = run(DUE)
    assert len(mail.outbox) == 1
    assert "Sent 0 board action reminders" in output
    assert "1 skipped" in output


def test_done_and_dropped_actions_are_not_reminded(action):
    action.status = ActionStatus.DONE
    action.save()
    run(DUE)
    action.status = ActionStatus.DROPPED
    action.save()
    run(DUE)
    assert mail.outbox == []


def test_overdue_actions_are_not_emailed_daily(action):
    run(date(2019, 3, 21))
    assert mail.outbox == []


def test_each_of_several_owners_reminded_and_unknown_names_reported(action, staff_user):
    staff_user.email = "helen.parker@example.nhs.uk"
    staff_user.save()
    action.owner = "JW/HP, XY"
    action.save()
    output = run(DUE)
    assert sorted(m.to[0] for m in mail.outbox) == [
        "helen.parker@example.nhs.uk",
        "jane.walker@example.nhs.uk",
    ]
    assert "No single portal user matches the owner XY" in output


def test_practice_users_are_not_owners(action, director):
    make_user("jwright", Role.PRACTICE, first_name="Jo", last_name="Wright", email="jo@example.nhs.uk")
    run(DUE)
    assert [m.to for m in mail.outbox] == [["jane.walker@example.nhs.uk"]]


def test_ambiguous_initials_are_not_guessed(action, director):
    make_user("jwhite", Role.BOARD, first_name="John", last_name="White", email="john.white@example.nhs.uk")
    output = run(DUE)
    assert mail.outbox == []
    assert "No single portal user matches the owner JW" in output
    action.owner = "Jane Walker"
    action.save()
    run(DUE)
    assert [m.to for m in mail.outbox] == [["jane.walker@example.nhs.uk"]]


def test_moving_the_due_date_starts_the_reminders_again(action):
    run(DUE)
    action.due_date = date(2019, 3, 27)
    action.save()
    run(date(2019, 3, 27))
    assert len(mail.outbox) == 2


def test_dry_run_sends_and_records_nothing(action):
    out = StringIO()
    call_command("send_board_reminders", today=DUE.isoformat(), dry_run=True, stdout=out)
    assert "Would send to jane.walker@example.nhs.uk" in out.getvalue()
    run(DUE)
    assert len(mail.outbox) == 1


def test_the_daily_send_reminders_reminds_the_boards_action_owners_too(action):
    out = StringIO()
    call_command("send_reminders", today=DUE.isoformat(), stdout=out)
    assert [m.to for m in mail.outbox] == [["jane.walker@example.nhs.uk"]]
    assert "Sent 1 board action reminder as at 20 March 2019" in out.getvalue()
    assert "to practice users" in out.getvalue()  # the practices' job ran in the same command


def test_a_run_already_going_sends_none_of_its_reminders(action):
    with (
        held_by_another_run(BOARD_REMINDERS_LOCK),
        pytest.raises(CommandError, match="sending the board's action reminders"),
    ):
        call_command("send_board_reminders", today=DUE.isoformat(), stdout=StringIO())
    assert mail.outbox == []
    call_command("send_board_reminders", today=DUE.isoformat(), stdout=StringIO())
    assert len(mail.outbox) == 1


def test_one_jobs_failure_does_not_stop_the_others(action, settings):
    # given a job that fails before the board's
    settings.FEDPORTAL_REMINDER_JOBS = [
        "tests.reports.papers.test_reminders.failing_job",
        *settings.FEDPORTAL_REMINDER_JOBS,
    ]

    # when the daily run goes
    with pytest.raises(CommandError, match="Sending a failing job failed"):
        call_command("send_reminders", today=DUE.isoformat(), stdout=StringIO())

    # then the board's reminder still went
    assert [m.to for m in mail.outbox] == [["jane.walker@example.nhs.uk"]]


def _fail(**options):
    raise OSError("Connection refused")


failing_job = ReminderJob("a failing job", _fail)
