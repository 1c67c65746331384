"""Two send_reminders at once would remind everyone twice: the second stops."""

import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connections

from contracts.reminders import REMINDERS_LOCK

pytestmark = pytest.mark.django_db


def test_a_second_run_while_one_is_running_sends_nothing(practice_user, subcontract, indemnity):
    practice_user.email = "pm@harborough.example.nhs.uk"
    practice_user.save()
    # given another run holds the lock, on its own database connection
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [REMINDERS_LOCK])
        # when reminders are sent
        with pytest.raises(CommandError, match="Another send_reminders is running"):
            call_command("send_reminders", stdout=io.StringIO())
        # then nothing went
        assert mail.outbox == []
    finally:
        # Unlocked explicitly: a closed connection's backend releases its
        # locks a moment after the client has gone, which raced the next run.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REMINDERS_LOCK])
        other.close()
    # and once it has finished, a run goes ahead
    call_command("send_reminders", stdout=io.StringIO())
    assert len(mail.outbox) == 1
