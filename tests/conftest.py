"""Fixtures shared by every app's tests: one user per role and a small
federation (two localities, three practices) to scope against."""

from datetime import date
from pathlib import Path

import pytest
from django.test import Client

from fedportal.models import Role, User
from localities.models import ImportRun, ListSize, Locality, Practice, PracticeMembership
from tests.demo import use_demo

# Every test user's password, for the tests that sign in through the login page.
PASSWORD = "correct horse battery"


def make_user(username: str, role: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, role=role, **extra)


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded files go to a folder of the test's own, which is returned."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(root) -> list[Path]:
    """Every file kept under ``root`` (none if nothing was ever stored there)."""
    root = Path(root)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def staff_user(db):
    return make_user("staff", Role.STAFF, first_name="Helen", last_name="Parker")


@pytest.fixture
def board_user(db):
    return make_user("board", Role.BOARD)


@pytest.fixture
def admin_user(db):
    return make_user("admin", Role.ADMINISTRATOR, is_staff=True, is_superuser=True)


@pytest.fixture
def harborough(db):
    return Locality.objects.create(name="Harborough", slug="harborough")


@pytest.fixture
def rutland(db):
    return Locality.objects.create(name="Rutland", slug="rutland")


@pytest.fixture
def practice(harborough):
    """The practice the practice user manages."""
    practice = Practice.objects.create(
        ods_code="C82009",
        name="Market Harborough Medical Centre",
        postcode="LE16 9BX",
        locality=harborough,
        open_date=date(1974, 4, 1),
        is_shareholder=True,
        member_from=date(1974, 4, 1),
    )
    ListSize.objects.create(practice=practice, as_at=date(2019, 1, 1), registered_patients=21627)
    return practice


@pytest.fixture
def other_practice(rutland):
    """A practice the practice user must never see."""
    practice = Practice.objects.create(
        ods_code="C82010",
        name="Oakham Medical Practice",
        postcode="LE15 6NT",
        locality=rutland,
        open_date=date(1974, 4, 1),
        is_shareholder=True,
        member_from=date(1974, 4, 1),
    )
    ListSize.objects.create(practice=practice, as_at=date(2019, 1, 1), registered_patients=15160)
    return practice


@pytest.fixture
def practice_user(practice):
    user = make_user("practice", Role.PRACTICE)
    PracticeMembership.objects.create(user=user, practice=practice)
    return user


@pytest.fixture
def client_for():
    """A test client logged in as the given user."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make


@pytest.fixture
def client_as(client_for, staff_user, board_user, practice_user, admin_user):
    """A test client for a role by name: staff, board, practice (the practice
    user of ``practice``), administrator, or anonymous (not logged in)."""
    users = {"staff": staff_user, "board": board_user, "practice": practice_user, "administrator": admin_user}

    def make(role: str) -> Client:
        if role == "anonymous":
            return Client()
        return client_for(users[role])

    return make


@pytest.fixture
def scale_without_board_papers(settings):
    """seed_scale without the board's papers, whose report and pack it renders
    and publishes (seconds, for tests of the other apps' synthetic data)."""
    settings.FEDPORTAL_SCALE_SEEDERS = [
        dotted for dotted in settings.FEDPORTAL_SCALE_SEEDERS if not dotted.startswith("reports.")
    ]


@pytest.fixture
def demo(demo_loaded, db, settings):
    """The demo federation, loaded once for the module (``tests/demo.py``:
    the module or its conftest names ``demo_loaded_once(...)``)."""
    return use_demo(demo_loaded, settings)


@pytest.fixture
def demo_client(demo, client_for):
    """A client signed in as one of the demo's users: staff, board or practice."""

    def make(role: str) -> Client:
        return client_for(User.objects.get(username=f"demo-{role}"))

    return make


@pytest.fixture
def admin(client_as):
    """A test client for the administrator, for the Django admin."""
    return client_as("administrator")


@pytest.fixture
def import_run(staff_user):
    """A list-size import staff uploaded, as the database keeps it (no file is stored)."""
    return ImportRun.objects.create(
        kind="list_sizes",
        file="imports/2019/01/gp-reg-pat-prac-all.csv",
        original_name="gp-reg-pat-prac-all.csv",
        sha256="a" * 64,
        size=1024,
        uploaded_by=staff_user,
        preview={"created": 1},
    )
