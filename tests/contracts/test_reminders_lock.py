"""Two send_reminders at once would remind everyone twice: the second stops."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from contracts.reminders import REMINDERS_LOCK
from tests.locks import held_by_another_run

pytestmark = pytest.mark.django_db


def test_a_second_run_while_one_is_running_sends_nothing(practice_user, subcontract, indemnity):
    practice_user.email = "pm@harborough.example.nhs.uk"
    practice_user.save()
    # given another run holds the lock, on its own database connection
    with held_by_another_run(REMINDERS_LOCK):
        # when reminders are sent
        with pytest.raises(CommandError, match="Another run is sending the practices"):
            call_command("send_reminders", stdout=io.StringIO())
        # then nothing went
        assert mail.outbox == []
    # and once it has finished, a run goes ahead
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
