"""The PCN demo: the seven ELR networks of 2019 and their 30 members as the
ePCN workbook has them, and registrations in different states."""

from io import StringIO

import pytest
from django.core.management import call_command

from pcn.models import PCN, Membership, Registration, RegistrationStatus
from pcn.registration import failing, registration_checks, registration_members
from tests.demo import demo_loaded_once, use_demo

pytestmark = pytest.mark.django_db


LOADERS = ["fedportal.demo.load", "localities.demo.load", "pcn.demo.load"]
demo_loaded_once_per_module = demo_loaded_once(loaders=LOADERS)


@pytest.fixture
def demo(demo_loaded, settings):
    use_demo(demo_loaded, settings)
    settings.FEDPORTAL_DEMO_LOADERS = LOADERS
    return demo_loaded.output


def test_the_seven_networks_and_their_30_members(demo):
    assert PCN.objects.count() == 7
    assert Membership.objects.count() == 30
    stackyard = Membership.objects.get(practice__ods_code="C83653")
    assert stackyard.pcn.name == "Melton, Syston and Vale PCN" and stackyard.other_ccg
    assert not Membership.objects.filter(practice__ods_code="C82036").exists()  # Two Shires merged
    assert Membership.objects.get(practice__ods_code="C82025").pcn.code == "U71931"


def test_registrations_in_different_states(demo):
    states = dict(Registration.objects.values_list("pcn__code", "status"))
    assert states == {
        "U12169": RegistrationStatus.APPROVED,
        "U09521": RegistrationStatus.SUBMITTED,
        "U25294": RegistrationStatus.DRAFT,
        "U71931": RegistrationStatus.DRAFT,
        "U50165": RegistrationStatus.RETURNED,
        "U30213": RegistrationStatus.APPROVED_WITH_EXCEPTION,
        "U67590": RegistrationStatus.DRAFT,
    }
    cross = Registration.objects.get(pcn__code="U30213")
    assert cross.total_list_size == 29741 and cross.population_exception.startswith("Rural")
    # South Blaby & Lutterworth waits only for the Wycliffe's signature (demo-practice's practice)
    south = Registration.objects.select_related("pcn", "contract_year").get(pcn__code="U71931")
    assert [c.key for c in failing(registration_checks(south, registration_members(south)))] == ["signed"]


def test_loading_twice_changes_nothing(demo):
    call_command("load_demo", force=True, stdout=StringIO())
    assert PCN.objects.count() == 7 and Membership.objects.count() == 30 and Registration.objects.count() == 7


def test_some_payments_received_with_a_shortfall(demo):
    from pcn.models import Payment

    assert Payment.objects.filter(pcn__code="U12169").count() == 3
    assert Payment.objects.filter(pcn__code="U30213").count() == 3
