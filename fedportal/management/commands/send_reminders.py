"""``manage.py send_reminders [--dry-run] [--today YYYY-MM-DD] [--base-url URL]``:
every reminder the portal sends (``settings.FEDPORTAL_REMINDER_JOBS``):
practices about evidence and returns, staff their weekly digest, the board's
action owners before and on the due date. Safe to run as often as you like
(daily from cron, say): each job records what it sent and sends it once."""

from fedportal.reminders import ReminderCommand, reminder_jobs


class Command(ReminderCommand):
    help = (
        "Send every reminder that is due: practices' evidence and activity returns (each item at most "
        "once a week), the staff's weekly digest, and the board's actions before and on their due date."
    )

    def jobs(self) -> list:
        return reminder_jobs()
