"""Reminders of the board's action log (``manage.py send_reminders``, or
``send_board_reminders`` for these alone):
each open action's owner is emailed ``DAYS_BEFORE`` days before its due date
(or on the first run after that, if a day was missed) and again on the due
date itself.

An action's owner is free text as the minutes write it ("JW", "JW/HP",
"Jane Walker"): each name is matched to a portal user who is not a practice
user, by username, email, full name or initials. A name that matches nobody,
or more than one person, is reported and not guessed at: a reminder to the
wrong director is worse than none.

Each reminder is recorded in ``contracts.Reminder`` under a key naming the
action, its due date and the stage (before / due), in the same transaction
as the email is sent, so a second run the same day sends nothing, and moving
the due date starts its reminders again.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import Q

from contracts.models import Reminder
from fedportal import locks
from fedportal.models import Role
from fedportal.reminders import JobOutcome, ReminderJob
from reports.models import ActionStatus, BoardAction

DAYS_BEFORE = 7
# Any number unique to this job: PostgreSQL's advisory locks are keyed by it.
BOARD_REMINDERS_LOCK = 0x5E17_D012
OWNER_SEPARATORS = re.compile(r"\s*(?:/|,|&|\band\b)\s*", re.IGNORECASE)


def one_run_at_a_time():
    """This job's run, alone (``fedportal.locks``)."""
    return locks.one_run_at_a_time(BOARD_REMINDERS_LOCK)


@dataclass
class BoardReminderRun:
    """What a run did (or, dry, would do)."""

    emails: int = 0
    skipped: int = 0
    unmatched: list[str] = field(default_factory=list)
    recipients: list[str] = field(default_factory=list)


def _initials(user) -> str:
    return f"{user.first_name[:1]}{user.last_name[:1]}".upper()


class OwnerDirectory:
    """Who an owner's name means: the active users with an email address
    who are not practice users (board actions fall to directors and staff)."""

    def __init__(self):
        self.users = list(
            get_user_model()
            .objects.filter(is_active=True)
            .exclude(email="")
            .filter(~Q(role=Role.PRACTICE) | Q(is_superuser=True))
            .order_by("username")
        )

    def match(self, name: str) -> list:
        wanted = name.strip().casefold()
        if not wanted:
            return []
        return [
            user
            for user in self.users
            if wanted
            in {
                user.username.casefold(),
                user.email.casefold(),
                user.get_full_name().casefold(),
                _initials(user).casefold() if user.first_name and user.last_name else "",
            }
        ]

    def owners_of(self, owner: str) -> tuple[list, list[str]]:
        """The users an owner text names, and the names matching no one (or
        several people)."""
        users, unmatched = [], []
        for name in filter(None, (part.strip() for part in OWNER_SEPARATORS.split(owner))):
            found = self.match(name)
            if len(found) == 1:
                if found[0] not in users:
                    users.append(found[0])
            else:
                unmatched.append(name)
        return users, unmatched


def stage_on(action: BoardAction, today: date) -> str | None:
    """Which reminder an open action is due on ``today``: "due" on its due
    date, "before" from ``DAYS_BEFORE`` days before it, else none (an overdue
    action is the board's business at its next meeting, not a daily email)."""
    if action.due_date == today:
        return "due"
    if action.due_date - timedelta(days=DAYS_BEFORE) <= today < action.due_date:
        return "before"
    return None


def reminder_key(action: BoardAction, stage: str) -> str:
    return f"board-action:{action.pk}:{action.due_date:%Y-%m-%d}:{stage}"


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def _message(action: BoardAction, stage: str, user, *, today: date, base_url: str) -> tuple[str, str]:
    if stage == "due":
        when = "today"
    else:
        days = (action.due_date - today).days
        when = f"in {days} day{'s' if days != 1 else ''}, on {_long(action.due_date)}"
    subject = f"{settings.FEDERATION_NAME}: board action due {when.split(',')[0]}"
    body = (
        f"Dear {user.get_full_name() or user.username},\n\n"
        f"This action from the board meeting of {_long(action.raised_at.held_on)} is due {when}:\n\n"
        f"  {action.action}\n"
        f"  Owner: {action.owner}\n\n"
        f"The action log: {base_url}{action.get_absolute_url()}\n\n"
        f"{settings.FEDERATION_NAME}\n"
    )
    return subject, body


def send_board_reminders(
    *,
    today: date,
    dry_run: bool = False,
    base_url: str | None = None,
    echo: Callable[[str], None] | None = None,
) -> BoardReminderRun:
    """Email the owners of open actions due within ``DAYS_BEFORE`` days or
    today, each stage of each action at most once per owner. ``dry_run``
    sends and records nothing, and ``echo`` shows what would be sent."""
    if base_url is None:
        base_url = settings.FEDPORTAL_BASE_URL
    run = BoardReminderRun()
    actions = list(
        BoardAction.objects.filter(
            status=ActionStatus.OPEN,
            due_date__gte=today,
            due_date__lte=today + timedelta(days=DAYS_BEFORE),
        )
        .select_related("raised_at")
        .order_by("due_date", "pk")
    )
    if not actions:
        return run
    directory = OwnerDirectory()
    keys = {action.pk: reminder_key(action, stage_on(action, today)) for action in actions}
    sent = set(Reminder.objects.filter(item__in=keys.values()).values_list("recipient_id", "item"))
    mail = None if dry_run else get_connection()
    for action in actions:
        key = keys[action.pk]
        stage = key.rsplit(":", 1)[1]
        users, unmatched = directory.owners_of(action.owner)
        run.unmatched.extend(f"{name} (action: {action.action[:60]})" for name in unmatched)
        for user in users:
            if (user.pk, key) in sent:
                run.skipped += 1
                continue
            subject, body = _message(action, stage, user, today=today, base_url=base_url)
            run.emails += 1
            run.recipients.append(user.email)
            if dry_run:
                if echo:
                    echo(f"Would send to {user.email}: {subject}")
                continue
            # Recorded and sent together: if the send fails, nothing is
            # recorded and the next run tries again.
            with transaction.atomic():
                Reminder.objects.create(
                    recipient=user, item=key, summary=f"Board action: {action.action}"[:300]
                )
                EmailMessage(
                    subject=subject,
                    body=body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[user.email],
                    connection=mail,
                ).send()
    return run


def _send_action_reminders(*, today: date, dry_run: bool, base_url: str, echo, warn) -> JobOutcome:
    with one_run_at_a_time():
        run = send_board_reminders(today=today, dry_run=dry_run, base_url=base_url, echo=echo)
    for name in run.unmatched:
        warn(f"No single portal user matches the owner {name}: not reminded.")
    verb = "Would send" if dry_run else "Sent"
    return JobOutcome(
        f"{verb} {run.emails} board action reminder{'s' if run.emails != 1 else ''} "
        f"as at {today:%-d %B %Y}; {run.skipped} skipped as already sent."
    )


reminder_job = ReminderJob("the board's action reminders", _send_action_reminders)
