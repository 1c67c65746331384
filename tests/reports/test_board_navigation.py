"""Board members meet no dead ends: every page in their menu shows them
something on the demo federation."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

from fedportal.models import User
from fedportal.navigation import menu_items

pytestmark = pytest.mark.django_db


@override_settings(FEDPORTAL_TODAY="2019-02-15")
@pytest.mark.parametrize("username", ["demo-board", "demo-practice", "demo-staff"])
def test_no_page_in_a_menu_is_empty_on_the_demo(username):
    call_command("load_demo", force=True, stdout=StringIO())
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)

    home = client.get("/").content.decode()
    menu = re.findall(r'class="nhsuk-header__navigation-link" href="([^"]+)"', home)
    assert menu, "no menu found"
    for href in menu:
        response = client.get(href, follow=True)
        assert response.status_code == 200, href
        assert not re.search(r"\b0 results\b", response.content.decode()), f"{href} shows {username} nothing"


def test_the_evidence_list_is_in_no_board_menu(board_user):
    labels = [item.label for item in menu_items() if item.shown_to(board_user)]
    assert "Evidence" not in labels
