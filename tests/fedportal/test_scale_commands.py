"""seed_scale and bench on a tiny synthetic federation in the test database.
Timings are printed by bench, never asserted: this machine is noisy."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from fedportal.management.commands.bench import all_pages
from fedportal.models import Role, User
from fedportal.scale import SCALE_USERS, is_scale_database
from localities.models import ODS_PRACTICE_PATTERN, ListSize, Locality, Practice, PracticeMembership

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


def seed(**options) -> str:
    out = StringIO()
    call_command("seed_scale", practices=30, seed=7, today=TODAY, stdout=out, **options)
    return out.getvalue()


@pytest.mark.parametrize(
    ("name", "allowed"),
    [
        ("fedportal_scale", True),
        ("test_fedportal", True),
        ("test_fedportal_gw1", True),
        ("fedportal", False),
        ("scale_fedportal", False),
        ("production", False),
    ],
)
def test_only_scale_and_test_databases_take_synthetic_data(name, allowed):
    assert is_scale_database(name) is allowed


def test_seed_scale_refuses_any_other_database(monkeypatch):
    # given the demo federation's database
    Locality.objects.create(name="Rutland", slug="rutland")
    monkeypatch.setitem(connection.settings_dict, "NAME", "fedportal")

    # when seed_scale is run against it
    with pytest.raises(CommandError, match="Refusing"):
        seed()

    # then nothing was wiped
    assert Locality.objects.filter(slug="rutland").exists()


def test_seed_scale_builds_a_small_federation_with_users_for_each_role(scale_without_board_papers):
    # when
    output = seed()

    # then 30 practices with valid, unique ODS codes and 20 quarterly figures each
    codes = list(Practice.objects.values_list("ods_code", flat=True))
    assert len(codes) == len(set(codes)) == 30
    assert all(re.fullmatch(ODS_PRACTICE_PATTERN, code) for code in codes)
    assert ListSize.objects.count() == 30 * 20
    assert ListSize.objects.filter(as_at__gt=TODAY).count() == 0
    assert Locality.objects.count() >= 1
    assert "list sizes ..." in output
    # and a user for each role, the practice user attached to one practice
    users = {role: User.objects.get(username=username) for role, username in SCALE_USERS.items()}
    assert users["staff"].role == Role.STAFF
    assert users["board"].role == Role.BOARD
    assert users["admin"].is_superuser
    assert PracticeMembership.objects.filter(user=users["practice"]).count() == 1
    assert users["staff"].check_password("scale")


def test_seed_scale_wipes_the_previous_run_and_repeats_itself(scale_without_board_papers):
    # given a first run
    seed()
    first = sorted(Practice.objects.values_list("ods_code", "name", "postcode", "status"))

    # when run again with the same seed
    seed()

    # then the same federation, not two of them
    assert sorted(Practice.objects.values_list("ods_code", "name", "postcode", "status")) == first
    assert ListSize.objects.count() == 30 * 20


def test_bench_prints_a_row_for_every_registered_page(monkeypatch):
    # given (LibreOffice and the pack's build timed once each, not three times)
    seed()
    monkeypatch.setattr("reports.bench.LIBREOFFICE_RUNS", 1)
    monkeypatch.setattr("reports.bench.PACK_BUILD_RUNS", 1)
    out = StringIO()

    # when
    call_command("bench", repeat=1, stdout=out)

    # then every page of every app has its row, and none failed
    output = out.getvalue()
    assert "median" in output and "ratio" in output
    for page in all_pages():
        assert re.search(rf"^{re.escape(page.name)} +{page.role} ", output, re.MULTILINE), page.name
    assert "failed" not in output


def test_bench_only_times_the_pages_asked_for(scale_without_board_papers):
    seed()
    out = StringIO()

    call_command("bench", repeat=1, only="practice detail", stdout=out)

    output = out.getvalue()
    assert re.search(r"^practice detail ", output, re.MULTILINE)
    assert "home dashboard" not in output
