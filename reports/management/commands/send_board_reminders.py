"""``manage.py send_board_reminders [--dry-run] [--today YYYY-MM-DD]``: email
the owners of the board's open actions a week before and on their due date.
Safe to run as often as you like (daily from cron, beside send_reminders):
each reminder goes to a person once."""

from datetime import date

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from fedportal.clock import today as portal_today
from fedportal.locks import RunInProgress
from reports.reminders import DAYS_BEFORE, one_run_at_a_time, send_board_reminders


class Command(BaseCommand):
    help = (
        f"Email the owners of the board's open actions {DAYS_BEFORE} days before and on their due date "
        "(each reminder once)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would be sent; send and record nothing."
        )
        parser.add_argument(
            "--today", help="Judge due dates as at this date (YYYY-MM-DD); defaults to the portal's today."
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
        try:
            with one_run_at_a_time():
                run = send_board_reminders(
                    today=day, dry_run=dry_run, base_url=base_url.rstrip("/"), echo=self.stdout.write
                )
        except RunInProgress:
            raise CommandError("Another send_board_reminders is running; this one sent nothing.") from None
        for name in run.unmatched:
            self.stderr.write(f"No single portal user matches the owner {name}: not reminded.")
        verb = "Would send" if dry_run else "Sent"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} {run.emails} board action reminder{'s' if run.emails != 1 else ''} "
                f"as at {day:%-d %B %Y}; {run.skipped} skipped as already sent."
            )
        )
