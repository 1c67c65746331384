"""``manage.py export_finance FILE.xlsx``: every finance input in the import
template (finance.workbook), one row per line, year and kind of figure."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finance.workbook import export_workbook


class Command(BaseCommand):
    help = (
        "Write every finance input (income, expenditure, plans, savings) to FILE.xlsx, the import template."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the workbook to write (.xlsx)")

    def handle(self, *args, file, **options):
        path = Path(file)
        if path.suffix.lower() != ".xlsx":
            raise CommandError("The file's name must end in .xlsx.")
        if not path.parent.is_dir():
            raise CommandError(f"No such folder: {path.parent}")
        data = export_workbook()
        path.write_bytes(data)
        self.stdout.write(self.style.SUCCESS(f"Wrote {path} ({len(data):,} bytes)."))
