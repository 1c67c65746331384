"""``manage.py seed_scale``: a large synthetic federation for ``manage.py bench``.

It wipes the seeded apps' tables, so it only runs on a database made for it
(``fedportal.settings.scale``'s ``fedportal_scale``, or the test suite's). The
seeders are the functions listed in ``settings.FEDPORTAL_SCALE_SEEDERS``; their
contract is in ``fedportal/scale.py``.
"""

import random
import time
from datetime import date

import pghistory
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils.module_loading import import_string

from fedportal.clock import today as portal_today
from fedportal.models import Role, User
from fedportal.scale import SCALE_USERS, database_name, ensure_scale_database, step

DEFAULT_PRACTICES = 7000
DEFAULT_PASSWORD = "scale"  # noqa: S105 - a synthetic database on a developer's machine
ROLES = {"staff": Role.STAFF, "board": Role.BOARD, "practice": Role.PRACTICE, "admin": Role.ADMINISTRATOR}


class Command(BaseCommand):
    help = (
        "Build a large synthetic federation (default 7,000 practices) in the scale database, "
        "wiping the previous one. Refuses unless the database name ends with _scale."
    )

    def add_arguments(self, parser):
        parser.add_argument("--practices", type=int, default=DEFAULT_PRACTICES, help="default 7,000")
        parser.add_argument("--seed", type=int, default=1, help="random seed: the same seed, the same data")
        parser.add_argument(
            "--today",
            type=date.fromisoformat,
            default=None,
            help="the date the data runs up to (YYYY-MM-DD; default the portal's today)",
        )
        parser.add_argument("--password", default=DEFAULT_PASSWORD, help="password of the synthetic users")

    def handle(self, *args, practices, seed, today, password, **options):
        try:
            ensure_scale_database()
        except RuntimeError as refusal:
            raise CommandError(str(refusal)) from None
        if practices < 1:
            raise CommandError("--practices must be at least 1.")
        started = time.perf_counter()
        self.stdout.write(f"Seeding database {database_name()!r}: {practices:,} practices, seed {seed}")
        context: dict = {"today": today or portal_today()}
        rng = random.Random(seed)  # synthetic data, not security
        with transaction.atomic(), pghistory.context(command="seed_scale"):
            # Check foreign keys row by row rather than at commit: PostgreSQL
            # rescans its queue of deferred checks after every statement, so
            # 140,000 queued checks make each batch slower than the last.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            with step(self.stdout, "users"):
                context["users"] = self.users(password)
            for dotted in settings.FEDPORTAL_SCALE_SEEDERS:
                self.stdout.write(f"{dotted.rsplit('.', 1)[0]}")
                import_string(dotted)(practices=practices, rng=rng, stdout=self.stdout, context=context)
        with step(self.stdout, "vacuum and analyse"):
            self.analyse()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded in {time.perf_counter() - started:.1f} s. Logins (password {password!r}):"
            )
        )
        for role, user in context["users"].items():
            self.stdout.write(f"  {user.username:<16} {role}")

    def users(self, password: str) -> dict[str, User]:
        users = {}
        for role, username in SCALE_USERS.items():
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": ROLES[role],
                    "first_name": "Scale",
                    "last_name": role.capitalize(),
                    "email": f"{username}@example.nhs.uk",
                    "is_active": True,
                    "is_staff": role == "admin",
                    "is_superuser": role == "admin",
                },
            )
            user.set_password(password)
            user.save(update_fields=["password"])
            users[role] = user
        return users

    def analyse(self) -> None:
        # Fresh statistics, so the planner knows the tables are large; VACUUM
        # also marks pages all-visible, which index-only scans need. VACUUM
        # cannot run inside a transaction (the test suite's), ANALYZE can.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
