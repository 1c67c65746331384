"""Password reset by email, from the login page, and the page of an account
locked by too many failed log-ins."""

import re

import pytest
from django.core import mail
from django.test import Client

from tests.conftest import PASSWORD
from tests.pages import error_beside

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a brand new long passphrase"


@pytest.fixture
def helen(staff_user):
    staff_user.email = "helen.parker@example.nhs.uk"
    staff_user.save()
    return staff_user


def reset_link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def log_in(password: str):
    return Client().post("/accounts/login/", {"username": "staff", "password": password})


def test_the_login_page_links_to_password_reset(client):
    body = client.get("/accounts/login/").content.decode()
    assert 'href="/accounts/password-reset/"' in body
    page = client.get("/accounts/password-reset/")
    assert page.status_code == 200
    assert "Reset your password" in page.content.decode()
    assert 'class="nhsuk-header"' in page.content.decode()


def test_a_reset_mail_is_sent_its_link_works_and_the_new_password_logs_in(client, helen, settings):
    settings.FEDPORTAL_BASE_URL = "http://127.0.0.1:8123"

    # when Helen asks for a reset
    response = client.post("/accounts/password-reset/", {"email": "helen.parker@example.nhs.uk"}, follow=True)
    assert "Check your email" in response.content.decode()

    # then one mail is sent to her, linking to the portal's address
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["helen.parker@example.nhs.uk"]
    assert "reset your portal password" in message.subject
    link = reset_link(message)
    assert link.startswith("http://127.0.0.1:8123/accounts/password-reset/")

    # and the link opens a form for the new password
    form_page = client.get(path_of(link), follow=True)
    assert "Choose a new password" in form_page.content.decode()
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    assert "Your password has been changed" in done.content.decode()

    # and the new password logs in, the old one no longer does
    assert log_in(NEW_PASSWORD).status_code == 302
    assert log_in(PASSWORD).status_code == 200  # the form again, saying why

    # and the link works once
    again = client.get(path_of(link), follow=True)
    assert "This link has expired" in again.content.decode()


def test_an_unknown_address_is_told_the_same_and_no_mail_goes(client, helen):
    response = client.post("/accounts/password-reset/", {"email": "nobody@example.org"}, follow=True)
    assert "Check your email" in response.content.decode()
    assert mail.outbox == []


def test_a_new_password_that_is_too_weak_is_refused_beside_the_field(client, helen):
    client.post("/accounts/password-reset/", {"email": helen.email})
    form_page = client.get(path_of(reset_link(mail.outbox[0])), follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "short", "new_password2": "short"}
    )
    assert response.status_code == 200
    assert "too short" in error_beside(response.content, "new_password2")


def test_a_locked_account_gets_a_clear_page_and_a_reset_unlocks_it(client, helen):
    # when someone gets the password wrong five times
    for _ in range(5):
        client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    locked = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD})

    # then the page says what happened, for how long, and what to do
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "Your account is locked for now" in body
    assert "paused for 30 minutes" in body
    assert 'href="/accounts/password-reset/"' in body
    assert 'class="nhsuk-header"' in body

    # and resetting the password lifts the lock
    client.post("/accounts/password-reset/", {"email": helen.email})
    form_page = client.get(path_of(reset_link(mail.outbox[0])), follow=True)
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
    )
    again = client.post("/accounts/login/", {"username": "staff", "password": NEW_PASSWORD})
    assert again.status_code == 302
