from django.apps import AppConfig


class PcnConfig(AppConfig):
    name = "pcn"
    verbose_name = "Primary Care Networks"
