"""Every list page runs the same number of SQL queries for 3 rows as for 50
(DESIGN.md, Pages): measured exactly for 3, then held for 50."""

import pytest

from localities.models import Locality, PracticeMembership
from tests.contracts.helpers import make_contract
from tests.localities.conftest import bulk_practices
from tests.pages import export_body

pytestmark = pytest.mark.django_db

# The queries of one request, counted for 3 rows: session, user, then the page's own.
PRACTICE_LIST_QUERIES = 8
PRACTICE_EXPORT_QUERIES = 6
LOCALITY_LIST_QUERIES = 7
LOCALITY_DETAIL_QUERIES = 10
# No page runs more, whatever its history shows.
PAGE_QUERY_LIMIT = 12


def bulk_localities(count: int, start: int = 0) -> list[Locality]:
    localities = Locality.objects.bulk_create(
        Locality(name=f"Locality {start + n:03d}", slug=f"locality-{start + n:03d}") for n in range(count)
    )
    for n, locality in enumerate(localities):
        bulk_practices(locality, 1, start=1000 + start + n)
    return localities


def test_practice_list_queries_do_not_grow_with_rows(
    client_for, staff_user, harborough, django_assert_num_queries
):
    client = client_for(staff_user)
    bulk_practices(harborough, 3)
    with django_assert_num_queries(PRACTICE_LIST_QUERIES):
        response = client.get("/practices/")
    assert len(response.context["table"].page.object_list) == 3

    bulk_practices(harborough, 47, start=200)
    with django_assert_num_queries(PRACTICE_LIST_QUERIES):
        response = client.get("/practices/")
    assert len(response.context["table"].page.object_list) == 50


def manage(user, practices) -> None:
    PracticeMembership.objects.bulk_create(PracticeMembership(user=user, practice=p) for p in practices)


def test_practice_list_queries_for_a_practice_user_do_not_grow(
    client_for, practice_user, practice, harborough, django_assert_num_queries
):
    # given a practice user who manages 3 practices, beside 10 they do not
    client = client_for(practice_user)
    manage(practice_user, bulk_practices(harborough, 2))
    bulk_practices(harborough, 10, start=500)
    with django_assert_num_queries(PRACTICE_LIST_QUERIES):
        response = client.get("/practices/")
    assert len(response.context["table"].page.object_list) == 3

    # when they come to manage 50
    manage(practice_user, bulk_practices(harborough, 47, start=200))
    with django_assert_num_queries(PRACTICE_LIST_QUERIES):
        response = client.get("/practices/")
    assert len(response.context["table"].page.object_list) == 50
    assert response.context["table"].paginator.count == 50


@pytest.mark.parametrize("export_format", ["xlsx", "csv"])
def test_practice_export_queries_do_not_grow_with_rows(
    client_for, staff_user, harborough, django_assert_num_queries, export_format
):
    client = client_for(staff_user)
    bulk_practices(harborough, 3)
    with django_assert_num_queries(PRACTICE_EXPORT_QUERIES):
        response = client.get(f"/practices/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count

    bulk_practices(harborough, 47, start=200)
    with django_assert_num_queries(PRACTICE_EXPORT_QUERIES):
        response = client.get(f"/practices/?_export={export_format}")
        export_body(response)  # a streamed file is read within the count


def test_locality_list_queries_do_not_grow_with_rows(client_for, staff_user, django_assert_num_queries):
    client = client_for(staff_user)
    bulk_localities(3)
    with django_assert_num_queries(LOCALITY_LIST_QUERIES):
        response = client.get("/localities/?as_at=2019-06-01")
    assert [row.record.population for row in response.context["table"].rows] == [5000] * 3

    bulk_localities(47, start=3)
    with django_assert_num_queries(LOCALITY_LIST_QUERIES):
        response = client.get("/localities/?as_at=2019-06-01")
    assert len(response.context["table"].page.object_list) == 50


def test_locality_detail_queries_do_not_grow_with_rows(
    client_for, staff_user, harborough, rutland, django_assert_num_queries
):
    # Both localities are built before any request: in a test everything runs in
    # one transaction, so rows written after a request would carry that request's
    # history context (its user) and the history would cost one more query.
    bulk_practices(harborough, 3)
    bulk_practices(rutland, 50, start=200)
    client = client_for(staff_user)

    with django_assert_num_queries(LOCALITY_DETAIL_QUERIES):
        response = client.get("/localities/harborough/?as_at=2019-06-01")
    assert response.context["population"] == 5000 + 5001 + 5002

    with django_assert_num_queries(LOCALITY_DETAIL_QUERIES):
        response = client.get("/localities/rutland/?as_at=2019-06-01")
    assert len(response.context["table"].rows) == 50


def test_locality_detail_with_contracts_in_its_history_stays_within_the_limit(
    client_for, staff_user, harborough, rutland, django_assert_max_num_queries
):
    # given a locality whose history names contracts covering it (each
    # checked as visible and named) beside changes to the locality itself
    bulk_practices(harborough, 3)
    make_contract("ELR-001", localities=[harborough])
    make_contract("ELR-002", title="GPTeamNet", localities=[harborough, rutland])
    harborough.short_name = "Harb"
    harborough.save()
    client = client_for(staff_user)

    # then the page (locality and population, practices, chart, history) is within the limit
    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get("/localities/harborough/?as_at=2019-06-01")
    assert response.context["population"] == 5000 + 5001 + 5002
    assert len(response.context["table"].rows) == 3
    assert "The portal added this locality to the contract GPTeamNet" in response.content.decode()
