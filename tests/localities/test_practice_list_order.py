"""Sorting practices by list size puts those without a figure last, largest
first or smallest first (PostgreSQL would put them first when descending)."""

from datetime import date

import pytest
from django.test import override_settings

from localities.models import ListSize, Practice

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices(db):
    for code, patients in (("C82001", 5000), ("C82002", None), ("C82003", 9000), ("C82004", None)):
        practice = Practice.objects.create(ods_code=code, name=f"Practice {code}")
        if patients is not None:
            ListSize.objects.create(practice=practice, as_at=date(2019, 1, 1), registered_patients=patients)


@override_settings(FEDPORTAL_TODAY="2019-02-15")
@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-list_size", ["C82003", "C82001", "C82002", "C82004"]),
        ("list_size", ["C82001", "C82003", "C82002", "C82004"]),
        ("-list_size_at", ["C82001", "C82003", "C82002", "C82004"]),
    ],
)
def test_blanks_sort_last_either_way(client_as, practices, sort, expected):
    table = client_as("staff").get(f"/practices/?q=Practice+C8200&sort={sort}").context["table"]

    assert [row.record.ods_code for row in table.page.object_list] == expected


@override_settings(FEDPORTAL_TODAY="2019-02-15")
def test_the_export_sorts_as_the_page_does(client_as, practices):
    from tests.pages import export_records

    response = client_as("staff").get("/practices/?q=Practice+C8200&sort=-list_size&_export=csv")

    assert [row["ODS code"] for row in export_records(response, "csv")] == [
        "C82003",
        "C82001",
        "C82002",
        "C82004",
    ]
