"""``manage.py send_reminders [--dry-run] [--today YYYY-MM-DD]``: email
practices about evidence missing, expiring or expired and returns due, and
staff their weekly digest. Safe to run as often as you like (daily from
cron, say): an item goes to a person at most once a week."""

import time
from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from contracts.reminders import RESEND_AFTER, one_run_at_a_time, send_reminders
from fedportal.clock import today as portal_today
from fedportal.locks import RunInProgress


class Command(BaseCommand):
    help = (
        "Email each practice's users about evidence missing, expiring or expired and activity returns "
        "due (each item at most once a week), and federation staff a weekly digest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send and record nothing."
        )
        parser.add_argument(
            "--today",
            help=(
                "Judge evidence and returns as at this date (YYYY-MM-DD); defaults to the portal's today. "
                "The week between two reminders of an item is counted on the real clock."
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
        started = time.perf_counter()
        try:
            with one_run_at_a_time():
                run = send_reminders(
                    today=day, dry_run=dry_run, base_url=base_url.rstrip("/"), echo=self.stdout.write
                )
        except RunInProgress:
            raise CommandError("Another send_reminders is running; this one sent nothing.") from None
        seconds = time.perf_counter() - started
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {run.emails} email{'s' if run.emails != 1 else ''} as at {day:%-d %B %Y}: "
                f"{run.practice_emails} to practice users ({run.items} items), "
                f"{run.digests} staff digest{'s' if run.digests != 1 else ''}; "
                f"{run.skipped} skipped as sent within the last {RESEND_AFTER.days} days; "
                f"{seconds:.1f} s."
            )
        )
        if run.failed:
            # A non-zero exit, so that cron mails whoever runs it.
            raise CommandError(
                f"{run.failed} email{'s' if run.failed != 1 else ''} could not be sent; "
                "they are listed for staff at /reminders/failed/ and will be tried again next run."
            )
