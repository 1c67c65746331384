"""Networks and memberships: the exclusion constraint, bank details and scoping."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from pcn.models import PCN, Membership
from pcn.services import membership_add, membership_end, pcn_bank_details_set, pcn_boundary_set
from tests.pcn.conftest import geojson

pytestmark = pytest.mark.django_db


def test_the_database_refuses_a_practice_in_two_networks_on_one_date(network, other_network, practice):
    # given the practice is in network from 1 July 2019 with no end
    # when a row putting it in another network from 1 October 2019 is written directly
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(pcn=other_network, practice=practice, start_date=date(2019, 10, 1))


def test_touching_memberships_are_allowed_but_a_shared_day_is_not(network, other_network, practice):
    Membership.objects.filter(pcn=network, practice=practice).update(end_date=date(2019, 9, 30))
    # the day after the end is fine
    Membership.objects.create(pcn=other_network, practice=practice, start_date=date(2019, 10, 1))
    # the last day itself is not (both ends are included)
    Membership.objects.filter(pcn=other_network, practice=practice).delete()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(pcn=other_network, practice=practice, start_date=date(2019, 9, 30))


def test_the_service_puts_the_overlap_message_beside_the_practice(
    network, other_network, practice, staff_user
):
    with pytest.raises(ValidationError) as error:
        membership_add(pcn=other_network, practice=practice, start_date=date(2020, 4, 1), user=staff_user)
    message = error.value.message_dict["practice"][0]
    assert "already in Market Harborough & Bosworth PCN from 1 July 2019" in message
    assert "one network at a time" in message


def test_a_move_ends_one_membership_and_starts_another(network, other_network, practice, staff_user):
    old = Membership.objects.get(pcn=network, practice=practice)
    membership_end(membership=old, end_date=date(2020, 3, 31), user=staff_user)
    membership_add(pcn=other_network, practice=practice, start_date=date(2020, 4, 1), user=staff_user)
    assert list(
        Membership.objects.on(date(2019, 12, 1)).filter(practice=practice).values_list("pcn__code", flat=True)
    ) == ["U50165"]
    assert list(
        Membership.objects.on(date(2020, 4, 1)).filter(practice=practice).values_list("pcn__code", flat=True)
    ) == ["U67590"]


def test_a_member_from_another_ccg_is_flagged(network, other_practice, staff_user):
    other_practice.commissioner_code = "04Q"
    other_practice.save()
    Membership.objects.filter(practice=other_practice).delete()
    membership = membership_add(
        pcn=network, practice=other_practice, start_date=date(2019, 7, 1), user=staff_user
    )
    assert membership.other_ccg is True


@pytest.mark.parametrize(
    ("sort_code", "account", "field"),
    [
        ("30-96-2", "12345678", "bank_sort_code"),
        ("AB-CD-EF", "12345678", "bank_sort_code"),
        ("30-96-26", "1234567", "bank_account_number"),
        ("30-96-26", "1234567X", "bank_account_number"),
    ],
)
def test_bank_details_are_validated(network, staff_user, sort_code, account, field):
    with pytest.raises(ValidationError) as error:
        pcn_bank_details_set(
            pcn=network,
            bank_account_name="X",
            bank_sort_code=sort_code,
            bank_account_number=account,
            user=staff_user,
        )
    assert field in error.value.message_dict


def test_a_sort_code_is_normalised(network, staff_user):
    pcn_bank_details_set(
        pcn=network,
        bank_account_name="X",
        bank_sort_code="309627",
        bank_account_number="1234 5679",
        user=staff_user,
    )
    network.refresh_from_db()
    assert (network.bank_sort_code, network.bank_account_number) == ("30-96-27", "12345679")
    assert network.masked_account_number == "••••••79"


def test_the_pcn_code_is_checked(db):
    with pytest.raises(ValidationError) as error:
        PCN(code="X12345", name="N", ccg_code="03W").full_clean()
    assert "code" in error.value.message_dict


class Upload:
    def __init__(self, data: bytes, name="area.geojson"):
        self.data, self.name = data, name

    def read(self, size=-1):
        return self.data


@pytest.mark.parametrize(
    ("data", "says"),
    [
        (b"not json", "not GeoJSON"),
        (geojson({"type": "Point", "coordinates": [0, 52]}), "Polygon or MultiPolygon"),
        (
            geojson({"type": "Polygon", "coordinates": [[[0, 52], [1, 52], [1, 53], [0, 52.5]]]}),
            "end where it starts",
        ),
        (
            geojson({"type": "Polygon", "coordinates": [[[0, 52], [500, 52], [1, 53], [0, 52]]]}),
            "longitude and latitude",
        ),
        (b" " * (600 * 1024), "larger than"),
    ],
)
def test_a_bad_boundary_is_refused_with_a_reason(network, staff_user, data, says):
    with pytest.raises(ValidationError) as error:
        pcn_boundary_set(pcn=network, upload=Upload(data), user=staff_user)
    assert says in error.value.message_dict["boundary"][0]


def test_a_boundary_is_kept_and_drawn_as_svg(network, staff_user):
    from pcn.boundary import boundary_svg

    pcn_boundary_set(pcn=network, upload=Upload(geojson()), user=staff_user)
    network.refresh_from_db()
    svg = boundary_svg(network.boundary, label="Area")
    assert svg.startswith("<svg") and '<path d="M' in svg


def test_practice_users_see_only_their_own_network(
    network, other_network, practice_user, staff_user, board_user
):
    assert list(PCN.objects.visible_to(practice_user)) == [network]
    assert PCN.objects.visible_to(board_user).count() == 2
    assert PCN.objects.visible_to(staff_user).count() == 2
