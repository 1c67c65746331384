"""The service page's table of sub-contracts takes its page from the query
string, never its page size."""

from datetime import date

import pytest

from contracts.models import SubContract
from tests.localities.conftest import bulk_practices

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "query", ["sub-per_page=0", "sub-per_page=-1", "sub-per_page=100000", "sub-page=abc"]
)
def test_the_service_page_keeps_its_page_size_whatever_the_query_string(
    client_as, h_pylori, harborough, query
):
    # given 60 practices sub-contracted for H. pylori
    SubContract.objects.bulk_create(
        SubContract(practice=p, service=h_pylori, start_date=date(2018, 4, 1))
        for p in bulk_practices(harborough, 60)
    )
    # when someone asks for another page size
    response = client_as("staff").get(f"/services/h-pylori/?{query}")
    # then the page shows, 50 rows at a time
    assert response.status_code == 200
    assert len(response.context["table"].page.object_list) == 50
