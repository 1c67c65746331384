from pathlib import Path

import pghistory
from django.core.management.base import BaseCommand, CommandError

from localities.importers import ImportFailed
from pcn.importers import import_epcn


class Command(BaseCommand):
    help = "Import networks and memberships from NHS Digital's ePCN workbook (.xlsx)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the ePCN workbook")
        parser.add_argument("--ccg", help="only this CCG's networks (and their members from other CCGs)")
        parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    def handle(self, *args, file, ccg=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        verbosity = options["verbosity"]

        def progress(rows: int) -> None:
            if verbosity >= 1:
                self.stderr.write(f"  ... {rows:,} rows read")

        try:
            with pghistory.context(command="import_epcn"):
                summary = import_epcn(path, ccg=ccg, dry_run=dry_run, progress=progress)
        except ImportFailed as failure:
            for line in failure.summary.lines():
                self.stdout.write(line)
            raise CommandError("The workbook has malformed rows; nothing was imported.") from None
        self.stdout.write(self.style.SUCCESS("Dry run: nothing written." if dry_run else "Import complete."))
        for line in summary.lines():
            self.stdout.write(line)
