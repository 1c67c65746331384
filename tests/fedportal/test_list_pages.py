"""Every list page renders its filters with real labels for staff."""

import pytest

pytestmark = pytest.mark.django_db

LIST_PAGES = [
    "/practices/", "/localities/", "/contracts/", "/subcontracts/", "/subcontracts/list/",
    "/evidence/", "/services/", "/returns/", "/returns/payment-schedules/",
]  # fmt: skip


@pytest.mark.parametrize("url", LIST_PAGES)
def test_list_page_filters_have_labels(client_for, staff_user, url):
    response = client_for(staff_user).get(url)
    assert response.status_code == 200
    assert "[invalid name]" not in response.content.decode()
