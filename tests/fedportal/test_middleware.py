"""Session limits: 30 idle minutes (the cookie age, renewed on every request)
and 12 hours at most from sign-in (SessionLifetimeMiddleware)."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.utils import timezone

from fedportal.middleware import SESSION_STARTED_KEY
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def logged_in_client() -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})
    assert response.status_code == 302
    return client


def is_signed_in(client: Client) -> bool:
    response = client.get("/")
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def test_idle_and_absolute_limits_are_configured():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True
    assert settings.SESSION_ABSOLUTE_LIFETIME.total_seconds() == 12 * 60 * 60


def test_login_records_when_the_session_started(staff_user):
    with time_machine.travel(timezone.now(), tick=False):
        client = logged_in_client()

        assert client.session[SESSION_STARTED_KEY] == pytest.approx(timezone.now().timestamp())


def test_a_session_ends_after_thirty_idle_minutes(staff_user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = logged_in_client()

        traveller.shift(timedelta(minutes=29))
        active = is_signed_in(client)
        traveller.shift(timedelta(minutes=29))  # 29 idle minutes again: renewed by the last request
        still_active = is_signed_in(client)
        traveller.shift(timedelta(minutes=31))
        idle = is_signed_in(client)

    assert (active, still_active, idle) == (True, True, False)


def test_a_busy_session_still_ends_twelve_hours_after_sign_in(staff_user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = logged_in_client()

        # a request every 20 minutes for just under 12 hours keeps the session alive
        for _ in range(35):
            traveller.shift(timedelta(minutes=20))
            assert is_signed_in(client)
        traveller.shift(timedelta(minutes=19))  # 11 h 59 min
        before_limit = is_signed_in(client)
        traveller.shift(timedelta(minutes=2))  # 12 h 01 min
        after_limit = is_signed_in(client)

    assert (before_limit, after_limit) == (True, False)
    # and the session was ended, not just refused once
    assert "_auth_user_id" not in client.session


def test_an_old_sign_in_time_in_the_session_ends_it(client_for, staff_user):
    client = client_for(staff_user)
    session = client.session
    session[SESSION_STARTED_KEY] = (timezone.now() - timedelta(hours=12, seconds=1)).timestamp()
    session.save()

    response = client.get("/practices/?q=x")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/practices/%3Fq%3Dx"
