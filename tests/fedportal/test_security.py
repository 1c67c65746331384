"""The security baseline of DESIGN.md: a Content-Security-Policy without inline
script, login throttling by django-axes, and NHS-style error pages."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import path
from django.utils import timezone

from fedportal.client_address import client_address
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            parsed[words[0]] = words[1:]
    return parsed


@pytest.mark.parametrize("path", [None, "/", "/practices/", "/localities/", "/practices/C82009/"])
def test_every_page_has_a_csp_without_inline_script(client_for, staff_user, practice, path):
    # the login page for someone not yet logged in, the others for staff
    response = Client().get("/accounts/login/") if path is None else client_for(staff_user).get(path)

    assert response.status_code == 200
    policy = directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("default-src", [])
    assert "'unsafe-inline'" not in policy.get("style-src", [])


def test_pages_carry_no_inline_script_or_handlers(client_for, staff_user, practice):
    body = client_for(staff_user).get("/practices/C82009/").content.decode()

    scripts = body.split("<script")[1:]
    assert scripts, "the page loads its module script"
    assert all(" src=" in tag.split(">")[0] for tag in scripts)
    assert " onclick=" not in body and " onload=" not in body


def test_error_pages_have_the_csp_too(client_for, staff_user):
    response = client_for(staff_user).get("/practices/C99999/")

    assert response.status_code == 404
    assert directives(response["Content-Security-Policy"])["script-src"] == ["'self'"]


def test_other_security_headers(client_for, staff_user):
    response = client_for(staff_user).get("/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def failed_login(client: Client, username: str, address: str):
    return client.post(
        "/accounts/login/", {"username": username, "password": "wrong password"}, REMOTE_ADDR=address
    )


def test_five_failed_logins_lock_the_username_at_that_address(staff_user):
    client = Client()

    # when a username fails four times from one address, it may still try
    for _ in range(4):
        response = failed_login(client, "staff", "203.0.113.7")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()

    # when it fails a fifth time
    locked = failed_login(client, "staff", "203.0.113.7")

    # then it is locked, and even the right password is refused from there
    assert locked.status_code == 429
    assert "Too many failed log-in attempts" in locked.content.decode()
    right = client.post(
        "/accounts/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert right.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_lock_is_for_that_username_and_address_only(staff_user, board_user):
    for _ in range(5):
        failed_login(Client(), "staff", "203.0.113.7")

    # the same user from another address, and another user from the same address, still log in
    elsewhere = Client()
    response = elsewhere.post(
        "/accounts/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="198.51.100.2"
    )
    assert response.status_code == 302
    neighbour = Client()
    response = neighbour.post(
        "/accounts/login/", {"username": "board", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 302


def login_from(address: str):
    return Client().post("/accounts/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR=address)


def test_a_lock_cools_off_after_thirty_minutes(staff_user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        # given the username was locked at this address
        for _ in range(5):
            failed_login(Client(), "staff", "203.0.113.7")

        # when the right password is tried after 29 minutes, then after 31
        traveller.shift(timedelta(minutes=29))
        still_locked = login_from("203.0.113.7")
        traveller.shift(timedelta(minutes=31))
        cooled = login_from("203.0.113.7")

    # then the lock held, then lifted (not locked forever)
    assert still_locked.status_code == 429
    assert cooled.status_code == 302


def test_logging_in_gives_a_new_session_key(staff_user):
    client = Client()
    client.get("/accounts/login/")
    client.cookies["sessionid"] = "attacker-chosen"

    client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})

    assert client.cookies["sessionid"].value not in ("", "attacker-chosen")


@pytest.mark.parametrize("role", ["staff", "practice"])
def test_the_404_page_is_in_nhs_style(client_as, practice, role):
    response = client_as(role).get("/practices/C99999/")

    body = response.content.decode()
    assert response.status_code == 404
    assert 'class="nhsuk-header"' in body
    assert 'class="nhsuk-skip-link"' in body
    assert '<h1 class="nhsuk-heading-l">Page not found</h1>' in body


def test_the_403_page_is_in_nhs_style_and_says_why(client_as, practice):
    response = client_as("board").get("/practices/new/")

    body = response.content.decode()
    assert response.status_code == 403
    assert 'class="nhsuk-header"' in body
    assert "Only federation staff can change these records." in body


def _broken_view(request):
    raise RuntimeError("the database went away")


# A URLconf with one broken page, for the 500 test (handler500 as the portal's).
urlpatterns = [path("broken/", _broken_view)]
handler500 = "fedportal.views.server_error"


def test_the_500_page_is_in_nhs_style_and_says_nothing_was_half_saved(client_as, settings):
    # given a page that fails
    settings.ROOT_URLCONF = __name__
    client = client_as("staff")
    client.raise_request_exception = False
    # when someone opens it
    response = client.get("/broken/")
    # then they see the portal's own error page, with no details of the failure
    body = response.content.decode()
    assert response.status_code == 500
    assert 'class="nhsuk-header"' in body
    assert 'class="nhsuk-skip-link"' in body
    assert "Sorry, there is a problem with the service" in body
    assert "Nothing you submitted was half-saved" in body
    assert "database went away" not in body
    assert 'href="/static/dist/fedportal.css"' in body


# Behind a proxy every request's REMOTE_ADDR is the proxy's: the client's
# address comes from X-Forwarded-For, past the proxies the deployment trusts.
PROXY = "10.0.0.5"


def failed_login_through_proxy(username: str, forwarded_for: str):
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": "wrong password"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def test_behind_a_trusted_proxy_a_lock_is_for_the_client_not_everyone(settings, staff_user):
    settings.FEDPORTAL_TRUSTED_PROXIES = 1
    # given an attacker fails five times, forging a header of their own in front
    for _ in range(5):
        failed_login_through_proxy("staff", "198.51.100.2, 203.0.113.7")

    # then the attacker's address is locked, whatever they forged
    attacker = Client().post(
        "/accounts/login/",
        {"username": "staff", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="192.0.2.99, 203.0.113.7",
    )
    assert attacker.status_code == 429
    # and the real user, through the same proxy from another address, still logs in
    user = Client().post(
        "/accounts/login/",
        {"username": "staff", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.2",
    )
    assert user.status_code == 302


def test_without_a_trusted_proxy_the_header_is_ignored(settings, staff_user):
    settings.FEDPORTAL_TRUSTED_PROXIES = 0
    # given a client fails five times, claiming a new address each time
    for n in range(5):
        failed_login_through_proxy("staff", f"198.51.100.{n}")

    # then the header bought nothing: the connecting address is locked
    response = Client().post(
        "/accounts/login/",
        {"username": "staff", "password": PASSWORD},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.77",
    )
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "203.0.113.7", PROXY),
        (1, "203.0.113.7", "203.0.113.7"),
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),
        (2, "203.0.113.7", PROXY),  # fewer hops than proxies: only the connection is sure
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
        (1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_past_the_trusted_proxies(settings, rf, proxies, forwarded, expected):
    settings.FEDPORTAL_TRUSTED_PROXIES = proxies
    request = rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_address(request) == expected
