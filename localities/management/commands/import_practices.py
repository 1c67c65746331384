from localities.importers import import_practices

from ._import_base import ImportCommand


class Command(ImportCommand):
    command_name = "import_practices"
    help = "Import GP practices from an ODS epraccur file (only prescribing setting 4)."

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--commissioner", help="only practices of this CCG / sub-ICB code, e.g. 03W")

    def handle(self, *args, file, dry_run, commissioner=None, **options):
        self.verbosity = options["verbosity"]
        self.run(import_practices, lines=self.read(file), commissioner=commissioner, dry_run=dry_run)
