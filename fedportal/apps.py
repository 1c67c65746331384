from django.apps import AppConfig


class FedportalConfig(AppConfig):
    name = "fedportal"
    verbose_name = "Portal users and roles"

    def ready(self):
        from django.http import multipartparser

        from fedportal.upload_handlers import MAX_PART_HEADER_BYTES
        from fedportal.widgets import install_date_input

        # Read by the parser at each request; see fedportal.upload_handlers.
        multipartparser.MAX_TOTAL_HEADER_SIZE = MAX_PART_HEADER_BYTES
        # Every date field of every form: the NHS.UK date input (fedportal.widgets).
        install_date_input()
