"""``manage.py import_finance FILE.xlsx [--dry-run]``: read the template of
``export_finance`` back. Every bad cell is reported by sheet, row and column,
and nothing is written unless every cell is good."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fedportal import clock
from finance.workbook import ImportFailed, import_figures


class Command(BaseCommand):
    help = "Import the finance inputs from FILE.xlsx (the export_finance template), all or nothing."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the workbook to read (.xlsx)")
        parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        try:
            summary = import_figures(
                path.read_bytes(), dry_run=dry_run, today=clock.today(), source=path.name
            )
        except ImportFailed as failure:
            for line in failure.summary.lines():
                self.stdout.write(line)
            raise CommandError("The workbook has bad cells; nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS("Dry run: nothing written." if dry_run else "Import complete."))
        for line in summary.lines():
            self.stdout.write(line)
        if dry_run or options["verbosity"] >= 2:
            for change in summary.changes:
                what = " ".join(p for p in (change.line, change.year, change.kind) if p)
                self.stdout.write(
                    f"  row {change.row}: {what}: {change.action} {change.before} -> {change.after}"
                )
