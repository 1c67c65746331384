"""What the two NHS import commands share: reading the file, progress, the
closing summary and the exit status."""

import sys
from pathlib import Path
from typing import NoReturn

import pghistory
from django.core.management.base import BaseCommand, CommandError

from localities.importers import ImportFailed, open_text


class ImportCommand(BaseCommand):
    command_name = ""

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the file to import")
        parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")

    def read(self, path: str):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            return open_text(file.read_bytes())
        except ImportFailed as failure:  # a PDF, a workbook, binary
            self.fail(failure)

    def progress(self, lines: int) -> None:
        if self.verbosity >= 1:
            self.stderr.write(f"  ... {lines:,} lines read")
            sys.stderr.flush()

    def run(self, do_import, **kwargs):
        try:
            with pghistory.context(command=self.command_name):
                summary = do_import(progress=self.progress, **kwargs)
        except ImportFailed as failure:
            self.fail(failure)
        heading = "Dry run: nothing written." if summary.dry_run else "Import complete."
        self.stdout.write(self.style.SUCCESS(heading))
        for line in summary.lines():
            self.stdout.write(line)
        return summary

    def fail(self, failure: ImportFailed) -> NoReturn:
        for line in failure.summary.lines():
            self.stdout.write(line)
        raise CommandError("The file has malformed rows; nothing was imported.") from None
