from django.apps import AppConfig


class LocalitiesConfig(AppConfig):
    name = "localities"
    verbose_name = "Localities and practices"

    def ready(self):
        # The imports page's own kinds; other apps add theirs (pcn: the ePCN workbook).
        from fedportal.importers import register_importer
        from localities.services import LIST_SIZES_IMPORTER, PRACTICES_IMPORTER

        register_importer(PRACTICES_IMPORTER)
        register_importer(LIST_SIZES_IMPORTER)
