"""Every list page renders its filters with real labels for staff."""

import pytest

from tests.localities.conftest import bulk_practices

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


BAD_QUERIES = [
    "page=abc", "page=0", "page=-3", "page=99999", "per_page=-1", "per_page=0", "per_page=100000",
    "sort=nonexistent", "sort=-", "locality=abc", "locality=999999", "status=nonsense", "q=%00",
    "as_at=garbage", "as_at=99999-01-01", "compliance=worse", "quarter=0000-Q1", "quarter=9999-Q4",
    "service=abc", "ending_before=31/02/2019", "_export=pdf",
]  # fmt: skip


@pytest.mark.parametrize("query", BAD_QUERIES)
@pytest.mark.parametrize("url", LIST_PAGES)
def test_a_list_page_shrugs_off_a_bad_query_string(client_for, staff_user, url, query):
    # when a hand-edited or stale link reaches a list page
    response = client_for(staff_user).get(f"{url}?{query}")
    # then it shows a page (the filter form says what was wrong), never an error
    assert response.status_code == 200


def test_per_page_in_the_query_string_does_not_change_the_page_size(client_for, staff_user, harborough):
    # given more practices than fit on a page
    bulk_practices(harborough, 60)
    # when the query string asks for all of them on one page
    response = client_for(staff_user).get("/practices/?per_page=100000")
    # then the page still holds 50 rows
    assert len(response.context["table"].page.object_list) == 50
