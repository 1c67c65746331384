import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from fedportal.demo import DEMO_USERS, demo_password


class Command(BaseCommand):
    help = "Load the demo federation (ELR GP Federation, early 2019). Idempotent; refuses when DEBUG is off."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="load even with DEBUG off (tests only)")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("load_demo only runs with DEBUG on: it creates users with a known password.")
        context: dict = {}
        with transaction.atomic(), pghistory.context(command="load_demo"):
            for dotted in settings.FEDPORTAL_DEMO_LOADERS:
                self.stdout.write(f"Loading {dotted.rsplit('.', 1)[0]}")
                import_string(dotted)(context, self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                "Demo federation loaded. Demo logins (password: %s):"
                % ("$DEMO_PASSWORD" if demo_password() != "demo" else "demo")
            )
        )
        for username, _role, first, last, title in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {first} {last}, {title}")
