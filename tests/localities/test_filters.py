"""The practice and locality FilterSets, each filter counting its results."""

from datetime import date

import pytest

from localities.filters import LocalityFilterSet, PracticeFilterSet
from localities.models import Practice, PracticeStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def practices(practice, harborough, rutland):
    """C82009 (the conftest's practice, Harborough) and three more."""
    return [
        practice,
        Practice.objects.create(
            ods_code="C82001", name="South Leicestershire Medical Partnership", postcode="LE8 0LG",
            locality=harborough, is_shareholder=True,
        ),
        Practice.objects.create(
            ods_code="C82108", name="Long Street Surgery", postcode="LE8 5QJ", locality=harborough,
            status=PracticeStatus.CLOSED, close_date=date(2018, 1, 31),
        ),
        Practice.objects.create(
            ods_code="C82010", name="Oakham Medical Practice", postcode="LE15 6NT", locality=rutland,
            is_shareholder=True,
        ),
    ]  # fmt: skip


def filtered(request_for, data: dict) -> list[str]:
    filterset = PracticeFilterSet(data, queryset=Practice.objects.all(), request=request_for)
    assert filterset.is_valid(), filterset.errors
    return sorted(filterset.qs.values_list("ods_code", flat=True))


@pytest.fixture
def staff_request(rf, staff_user):
    request = rf.get("/practices/")
    request.user = staff_user
    return request


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("medical", ["C82001", "C82009", "C82010"]),
        ("c8200", ["C82001", "C82009"]),
        ("c82 010", ["C82010"]),
        ("le8", ["C82001", "C82108"]),
        ("le80lg", ["C82001"]),
        ("LE8 0LG", ["C82001"]),
        ("le16 9bx", ["C82009"]),
        ("  ", ["C82001", "C82009", "C82010", "C82108"]),
        ("nowhere", []),
    ],
)
def test_search_finds_name_ods_code_and_postcode(staff_request, practices, q, expected):
    assert filtered(staff_request, {"q": q}) == expected


def test_filter_by_locality(staff_request, practices, rutland):
    assert filtered(staff_request, {"locality": rutland.pk}) == ["C82010"]


def test_filter_by_status(staff_request, practices):
    assert filtered(staff_request, {"status": "closed"}) == ["C82108"]
    assert filtered(staff_request, {"status": "open"}) == ["C82001", "C82009", "C82010"]


def test_filter_by_shareholding(staff_request, practices):
    assert filtered(staff_request, {"is_shareholder": "false"}) == ["C82108"]
    assert filtered(staff_request, {"is_shareholder": "true"}) == ["C82001", "C82009", "C82010"]


def test_filters_combine(staff_request, practices, harborough):
    assert filtered(staff_request, {"locality": harborough.pk, "status": "open", "q": "south"}) == ["C82001"]


def test_a_practice_user_cannot_filter_by_a_locality_they_cannot_see(rf, practice_user, practices, rutland):
    request = rf.get("/practices/")
    request.user = practice_user

    filterset = PracticeFilterSet({"locality": rutland.pk}, queryset=Practice.objects.all(), request=request)

    assert not filterset.is_valid()
    assert "locality" in filterset.errors


def test_locality_search_by_name(harborough, rutland):
    from localities.models import Locality

    filterset = LocalityFilterSet({"q": "rut"}, queryset=Locality.objects.all())

    assert list(filterset.qs.values_list("name", flat=True)) == ["Rutland"]
