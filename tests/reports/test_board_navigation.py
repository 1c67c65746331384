"""Board members meet no dead ends: every page in their menu shows them
something on the demo federation."""

import re

import pytest
from django.test import Client

from fedportal.models import User
from tests.demo import demo_loaded_once, use_demo

pytestmark = pytest.mark.django_db

demo_loaded_once_per_module = demo_loaded_once()


@pytest.mark.parametrize("username", ["demo-board", "demo-practice", "demo-staff"])
def test_no_page_in_a_menu_is_empty_on_the_demo(username, demo_loaded, settings):
    use_demo(demo_loaded, settings)
    client = Client()
    client.force_login(User.objects.get(username=username))

    home = client.get("/").content.decode()
    menu = re.findall(r'class="nhsuk-header__navigation-link" href="([^"]+)"', home)
    assert menu, "no menu found"
    for href in menu:
        response = client.get(href, follow=True)
        assert response.status_code == 200, href
        assert not re.search(r"\b0 results\b", response.content.decode()), f"{href} shows {username} nothing"
