"""`manage.py load_demo`: ELR GP Federation at 1 January 2019, exactly the
GPTeamNet table's patient numbers, idempotent, and refused with DEBUG off."""

from datetime import date
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import Client, RequestFactory

from fedportal.models import Role, User
from localities.models import ListSize, Locality, Practice, PracticeMembership

pytestmark = pytest.mark.django_db

# Seed 000's GPTeamNet table: registered patients per locality.
GPTEAMNET = {
    "Rutland": 37917,
    "Oadby & Wigston": 58049,
    "North Blaby": 59727,
    "SLAM": 65526,
    "South Blaby": 46657,
    "Harborough": 61068,
}
JAN_2019 = date(2019, 1, 1)
FOUNDATION_LOADERS = ["fedportal.demo.load", "localities.demo.load"]


@pytest.fixture
def foundation_only(settings):
    """Only the foundation's demo loaders: later apps' demo data is theirs to
    test, and loading it here would only make these tests slow."""
    settings.FEDPORTAL_DEMO_LOADERS = FOUNDATION_LOADERS


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", force=True, stdout=out)
    return out.getvalue()


def demo_staff() -> User:
    return User.objects.get(username="demo-staff")


def populations() -> dict[str, int]:
    localities = Locality.objects.with_population(JAN_2019, user=demo_staff())
    return dict(localities.values_list("name", "population"))


def counts() -> tuple[int, ...]:
    return (
        Locality.objects.count(),
        Practice.objects.count(),
        ListSize.objects.count(),
        User.objects.count(),
        PracticeMembership.objects.count(),
    )


def test_the_demo_federation_matches_the_gpteamnet_table():
    # when the whole demo is loaded, every app's part of it
    load_demo()

    # then the six localities hold exactly the seed's patients at 1 January 2019
    assert populations() == GPTEAMNET
    assert sum(populations().values()) == 328944
    # from 30 member practices, all shareholders, all open that day (the PCN
    # demo adds Stackyard and Woolsthorpe, a member of Melton, Syston and
    # Vale PCN from another CCG: known to the portal, not a member)
    members = Practice.objects.filter(is_shareholder=True, locality__isnull=False)
    assert members.count() == 30
    assert set(Practice.objects.exclude(pk__in=members).values_list("ods_code", flat=True)) == {"C83653"}
    assert members.open_on(JAN_2019).count() == 30
    assert set(Practice.objects.values_list("ods_code", flat=True)) >= {
        "C82001",
        "C82025",
        "C82036",
        "C82649",
    }
    # with Two Shires merged into South Leicestershire Medical Partnership in April 2019
    two_shires = Practice.objects.get(ods_code="C82036")
    assert (two_shires.merged_into.ods_code, two_shires.merged_on) == ("C82001", date(2019, 4, 1))
    # so from that day Harborough no longer counts its 6,248 patients
    assert (
        Locality.objects.with_population(date(2019, 4, 1), user=demo_staff())
        .get(name="Harborough")
        .population
        == 61068 - 6248
    )


def test_loading_twice_changes_nothing(foundation_only):
    load_demo()
    before = counts()

    load_demo()

    assert counts() == before
    assert populations() == GPTEAMNET


def test_demo_users_log_in_with_the_demo_password(foundation_only):
    load_demo()
    request = RequestFactory().post("/accounts/login/")

    for username, role in [
        ("demo-staff", Role.STAFF),
        ("demo-board", Role.BOARD),
        ("demo-practice", Role.PRACTICE),
        ("demo-admin", Role.ADMINISTRATOR),
    ]:
        user = authenticate(request, username=username, password="demo")
        assert user is not None, username
        assert user.role == role
    practice_user = User.objects.get(username="demo-practice")
    assert [p.ods_code for p in Practice.objects.visible_to(practice_user)] == ["C82025"]
    assert Practice.objects.get(ods_code="C82025").name == "The Wycliffe Medical Practice"


def test_demo_password_comes_from_the_environment_when_set(foundation_only, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "a-longer-demo-secret")

    output = load_demo()

    staff = User.objects.get(username="demo-staff")
    assert staff.check_password("a-longer-demo-secret")
    assert not staff.check_password("demo")
    assert "password: $DEMO_PASSWORD" in output
    assert "a-longer-demo-secret" not in output


def test_the_demo_refuses_to_load_with_debug_off(settings):
    # given production-like settings (the test settings have DEBUG off)
    assert settings.DEBUG is False

    # when the demo is loaded without --force
    with pytest.raises(CommandError, match="only runs with DEBUG on"):
        call_command("load_demo", stdout=StringIO())

    # then nothing, not even a user with a known password, was created
    assert counts() == (0, 0, 0, 0, 0)


def test_the_demo_loads_with_debug_on(foundation_only, settings):
    settings.DEBUG = True

    call_command("load_demo", stdout=StringIO())

    assert sum(populations().values()) == 328944


def test_the_localities_page_shows_the_demo_populations(foundation_only):
    load_demo()
    client = Client()
    client.post("/accounts/login/", {"username": "demo-board", "password": "demo"})

    response = client.get("/localities/?as_at=2019-01-01")

    shown = {row.record.name: row.record.population for row in response.context["table"].rows}
    assert shown == GPTEAMNET
    body = response.content.decode()
    assert all(f"{patients:,}" in body for patients in GPTEAMNET.values())
