"""The demo federation loaded once for a whole test module.

Loading the demo takes seconds (it renders and publishes the February 2019
board papers), and most demo tests only read it. So a module loads it once
inside an outer transaction, each test runs in a savepoint of that
transaction (pytest-django's ``db``), and the outer transaction is rolled
back when the module ends: every test still starts from the demo exactly as
loaded, and nothing is left behind for the next module.

Only for modules without ``transactional_db`` or ``live_server`` (the browser
tests), which need every write committed."""

import sys
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

# The demo's month, as `make run` pins it (fedportal.settings.local).
DEMO_TODAY = "2019-02-15"
FIXTURE = "demo_loaded"


@dataclass(frozen=True)
class LoadedDemo:
    media_root: Path
    output: str
    today: str


def demo_loaded_once(*, today: str = DEMO_TODAY, loaders: list[str] | None = None):
    """The module-scoped fixture ``demo_loaded``: the demo (or only its ``loaders``) loaded once."""

    @pytest.fixture(scope="module", name=FIXTURE)
    def loaded(request, django_db_setup, django_db_blocker, tmp_path_factory) -> LoadedDemo:
        # A test of the module that did not ask for the demo would find it
        # loaded all the same: such a module must load the demo per test.
        others = [
            item.name
            for item in request.session.items
            if item.module is request.module
            and (
                FIXTURE not in item.fixturenames
                or {"transactional_db", "live_server"} & set(item.fixturenames)
            )
        ]
        if others:
            pytest.fail(
                f"{request.module.__name__}: every test must use the demo loaded once, "
                f"in a savepoint (not transactional_db or live_server); not {others}"
            )
        media_root = tmp_path_factory.mktemp("demo-media")
        overrides = {"FEDPORTAL_TODAY": today, "MEDIA_ROOT": media_root}
        if loaders is not None:
            overrides["FEDPORTAL_DEMO_LOADERS"] = loaders
        outer = transaction.atomic()
        # The database is open only to load and to roll back: a test of the
        # module reaches it through its own ``db``, inside a savepoint.
        with override_settings(**overrides):
            with django_db_blocker.unblock():
                outer.__enter__()
                out = StringIO()
                try:
                    call_command("load_demo", force=True, stdout=out)
                except BaseException:
                    outer.__exit__(*sys.exc_info())
                    raise
            try:
                yield LoadedDemo(media_root, out.getvalue(), today)
            finally:
                with django_db_blocker.unblock():
                    transaction.set_rollback(True)
                    outer.__exit__(None, None, None)

    return loaded


def use_demo(loaded: LoadedDemo, settings) -> LoadedDemo:
    """Point the test's settings at the loaded demo: its date and its files."""
    settings.FEDPORTAL_TODAY = loaded.today
    settings.MEDIA_ROOT = loaded.media_root
    return loaded
