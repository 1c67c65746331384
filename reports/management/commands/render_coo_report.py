"""``manage.py render_coo_report 2019-02 --out FILE.pdf``: the same PDF the
portal renders for that month's report, as federation staff see the data."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fedportal.models import Role, User
from reports.models import CooReport
from reports.pdf import coo_report_pdf


class Command(BaseCommand):
    help = "Render the COO report of a month (YYYY-MM) to a PDF file."

    def add_arguments(self, parser):
        parser.add_argument("month", help="The report's month, e.g. 2019-02.")
        parser.add_argument("--out", required=True, help="Where to write the PDF.")

    def handle(self, *args, month: str, out: str, **options):
        try:
            first = date.fromisoformat(f"{month}-01")
        except ValueError as error:
            raise CommandError(f"The month must be written YYYY-MM, e.g. 2019-02, not {month!r}.") from error
        report = CooReport.objects.filter(month=first).first()
        if report is None:
            raise CommandError(f"There is no COO report for {first:%B %Y}.")
        # Rendered as staff read the data: every record, drafts included.
        reader = User(username="render_coo_report", role=Role.STAFF, is_active=True)
        data = coo_report_pdf(report=report, user=reader)
        Path(out).write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {out} ({len(data):,} bytes)."))
