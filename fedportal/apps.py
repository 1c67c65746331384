from django.apps import AppConfig


class FedportalConfig(AppConfig):
    name = "fedportal"
    verbose_name = "Portal users and roles"
