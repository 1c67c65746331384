"""Shared pieces of ``manage.py seed_scale`` and ``manage.py bench``: the guard
that keeps synthetic data out of real databases, the users every seeder and
page may rely on, and a timer for each step a seeder prints.

A seeder (listed in ``settings.FEDPORTAL_SCALE_SEEDERS``, run in that order) is

    seed(*, practices: int, rng: random.Random, stdout, context: dict) -> None

It wipes its own app's tables first (``wipe_app``), then bulk-creates its rows,
printing each step through ``step``. ``context`` is shared by the seeders of one
run: ``context["users"]`` (role -> User) and ``context["today"]`` come from the
command; a seeder adds what later ones need (localities adds
``context["practice_ids"]`` and ``context["locality_ids"]``).
"""

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.db import connections

SCALE_SUFFIX = "_scale"
TEST_PREFIX = "test_"
# Role -> username of the synthetic federation's users (seed_scale creates
# them, bench signs in as them).
SCALE_USERS = {
    "staff": "scale-staff",
    "board": "scale-board",
    "practice": "scale-practice",
    "admin": "scale-admin",
}


def is_scale_database(name: str) -> bool:
    """Synthetic data may only be written to a database made for it: the
    scale database (``…_scale``) or the test suite's (``test_…``)."""
    return name.endswith(SCALE_SUFFIX) or name.startswith(TEST_PREFIX)


def database_name(using: str = "default") -> str:
    return connections[using].settings_dict["NAME"] or ""


def ensure_scale_database(using: str = "default") -> None:
    """Raise unless ``using`` is a scale or test database."""
    name = database_name(using)
    if not is_scale_database(name):
        raise RuntimeError(
            f"Refusing to write synthetic data to database {name!r}: its name must end with "
            f"{SCALE_SUFFIX!r} (DJANGO_SETTINGS_MODULE=fedportal.settings.scale) or start with {TEST_PREFIX!r}."
        )


def wipe_app(app_label: str, using: str = "default") -> None:
    """Empty every table of ``app_label`` (its history event tables included),
    and, through CASCADE, every table that refers to them. Scale and test
    databases only."""
    ensure_scale_database(using)
    connection = connections[using]
    tables = [
        connection.ops.quote_name(model._meta.db_table)
        for model in apps.get_app_config(app_label).get_models()
        if model._meta.managed and not model._meta.proxy
    ]
    if tables:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")


@contextmanager
def step(stdout, label: str) -> Iterator[None]:
    """Print ``label``, run the block, then print how long it took."""
    stdout.write(f"  {label} ...", ending="")
    stdout.flush()
    started = time.perf_counter()
    yield
    stdout.write(f" {time.perf_counter() - started:.1f} s")
