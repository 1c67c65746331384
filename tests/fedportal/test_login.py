import pytest

pytestmark = pytest.mark.django_db


def test_every_page_needs_a_login(client):
    response = client.get("/practices/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/practices/")


def test_login_page_shows_the_form_in_nhs_style(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'class="nhsuk-header"' in body
    assert 'name="username"' in body


def test_staff_log_in_and_see_the_federation(client, staff_user, practice):
    response = client.post(
        "/accounts/login/", {"username": "staff", "password": "correct horse battery"}, follow=True
    )
    assert response.status_code == 200
    assert b"Registered patients" in response.content
