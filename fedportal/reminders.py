"""The daily reminder run: ``manage.py send_reminders`` runs every app's
reminder job named in ``settings.FEDPORTAL_REMINDER_JOBS`` (the practices'
evidence and returns, the board's actions), so cron has one command to call.
fedportal cannot import the apps above it, so they are named, not imported.

A job's ``send`` takes ``today``, ``dry_run``, ``base_url``, ``echo`` (what
would be sent, on a dry run) and ``warn`` (what a person should look at),
and returns a ``JobOutcome``; it holds its own lock and raises
``fedportal.locks.RunInProgress`` when another run holds it."""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from fedportal.clock import today as portal_today
from fedportal.locks import RunInProgress

log = logging.getLogger(__name__)


@dataclass
class JobOutcome:
    summary: str
    # Why the command should end non-zero (cron mails whoever runs it); "" if all went.
    failed: str = ""


@dataclass(frozen=True)
class ReminderJob:
    title: str  # what it sends, for messages: "the practices' reminders"
    send: Callable[..., JobOutcome]


def reminder_jobs() -> list[ReminderJob]:
    return [import_string(dotted) for dotted in settings.FEDPORTAL_REMINDER_JOBS]


class ReminderCommand(BaseCommand):
    """A command running reminder jobs, with the options they share."""

    def jobs(self) -> list[ReminderJob]:
        raise NotImplementedError

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send and record nothing."
        )
        parser.add_argument(
            "--today",
            help=(
                "Judge what is due as at this date (YYYY-MM-DD); defaults to the portal's today. "
                "The week between two reminders of a practice's item is counted on the real clock."
            ),
        )
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "FEDPORTAL_BASE_URL", ""),
            help="Put before the links in emails, e.g. https://portal.example.nhs.uk",
        )

    def handle(self, *args, dry_run=False, today=None, base_url="", **options):
        try:
            day = date.fromisoformat(today) if today else portal_today()
        except ValueError:
            raise CommandError(f"--today {today!r} is not a date like 2019-02-15.") from None
        problems = []
        for job in self.jobs():
            try:
                outcome = job.send(
                    today=day,
                    dry_run=dry_run,
                    base_url=base_url.rstrip("/"),
                    echo=self.stdout.write,
                    warn=self.stderr.write,
                )
            except RunInProgress:
                problems.append(f"Another run is sending {job.title}; this one sent none of them.")
                continue
            except Exception:
                # One job's failure (a mail server that cannot be reached, say)
                # must not keep the others from sending theirs.
                log.exception("sending %s failed", job.title)
                problems.append(f"Sending {job.title} failed: see the log for why.")
                continue
            self.stdout.write(self.style.SUCCESS(outcome.summary))
            if outcome.failed:
                problems.append(outcome.failed)
        if problems:
            raise CommandError(" ".join(problems))
