"""Every page of the localities app runs at most 12 queries (the issue's
limit), with several rows behind it: the practice page fetches its practice
once, with its locality and list sizes, and the form pages ask nothing the
page does not show."""

from datetime import date

import pytest

from localities.models import ListSize

pytestmark = pytest.mark.django_db

PAGE_QUERY_LIMIT = 12


@pytest.fixture
def many_figures(practice):
    """Five years of quarterly list sizes for the practice."""
    ListSize.objects.bulk_create(
        ListSize(
            practice=practice, as_at=date(2014 + n // 4, 1 + 3 * (n % 4), 1), registered_patients=20000 + n
        )
        for n in range(20)
    )


@pytest.mark.parametrize("role", ["staff", "practice"])
def test_the_practice_page_is_within_the_limit(
    client_as, practice, many_figures, django_assert_max_num_queries, role
):
    client = client_as(role)

    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(f"/practices/{practice.ods_code}/")

    assert response.status_code == 200
    assert len(response.context["list_sizes"]) == 21
    assert [figure.as_at for figure in response.context["list_sizes"]][:2] == [
        date(2019, 1, 1),
        date(2018, 10, 1),
    ]


@pytest.mark.parametrize(
    "path", ["/practices/new/", "/practices/{code}/edit/", "/practices/{code}/list-sizes/new/", "/imports/"]
)
def test_the_form_pages_are_within_the_limit(
    client_as, practice, other_practice, import_run, django_assert_max_num_queries, path
):
    client = client_as("staff")

    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(path.format(code=practice.ods_code))

    assert response.status_code == 200


def test_the_import_preview_is_within_the_limit(client_as, import_run, django_assert_max_num_queries):
    client = client_as("staff")

    with django_assert_max_num_queries(PAGE_QUERY_LIMIT):
        response = client.get(f"/imports/{import_run.pk}/")

    assert response.status_code == 200


def test_confirming_an_import_that_does_not_exist_is_404(client_as):
    assert client_as("staff").post("/imports/999999/").status_code == 404


def test_the_imports_page_lists_the_recent_imports_to_staff(client_as, import_run):
    body = client_as("staff").get("/imports/").content.decode()

    assert "Recent imports" in body
    assert f'href="/imports/{import_run.pk}/"' in body
