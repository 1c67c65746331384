from django.apps import AppConfig


class PcnConfig(AppConfig):
    name = "pcn"
    verbose_name = "Primary Care Networks"

    def ready(self):
        # localities cannot import pcn, so pcn adds its parts to localities'
        # pages: a practice's network at any date on the practice page, and
        # the ePCN workbook on the imports page.
        from fedportal.extensions import PracticeSection, register_practice_section
        from fedportal.importers import register_importer
        from pcn.import_page import EPCN_IMPORTER
        from pcn.practice_section import practice_network

        register_importer(EPCN_IMPORTER)
        register_practice_section(
            PracticeSection(
                name="pcn", template_name="pcn/_practice_section.html", context=practice_network, position=20
            )
        )
