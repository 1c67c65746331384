"""``manage.py send_board_reminders [--dry-run] [--today YYYY-MM-DD]``: the
board's action reminders alone (``send_reminders`` sends them with the rest)."""

from fedportal.reminders import ReminderCommand
from reports.reminders import DAYS_BEFORE, reminder_job


class Command(ReminderCommand):
    help = (
        f"Email the owners of the board's open actions {DAYS_BEFORE} days before and on their due date "
        "(each reminder once). send_reminders does this too, with every other reminder."
    )

    def jobs(self) -> list:
        return [reminder_job]
