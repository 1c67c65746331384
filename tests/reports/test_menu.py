"""What the board's menu leaves out."""

import pytest

from fedportal.navigation import menu_items

pytestmark = pytest.mark.django_db


def test_the_evidence_list_is_in_no_board_menu(board_user):
    labels = [item.label for item in menu_items() if item.shown_to(board_user)]
    assert "Evidence" not in labels
