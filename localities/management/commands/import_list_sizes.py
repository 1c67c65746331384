from pathlib import Path

from localities.importers import import_list_sizes

from ._import_base import ImportCommand


class Command(ImportCommand):
    command_name = "import_list_sizes"
    help = 'Import registered list sizes from NHS Digital "Patients Registered at a GP Practice".'

    def handle(self, *args, file, dry_run, **options):
        self.verbosity = options["verbosity"]
        self.run(import_list_sizes, lines=self.read(file), dry_run=dry_run, source=Path(file).name)
