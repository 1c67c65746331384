"""The contracts part of the demo federation: seed 000's four contracts, the
five services with sub-contracts for most practices, a mix of compliance,
and Q3 2018/19 returns; loading it twice changes nothing."""

from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command

from contracts.models import (
    ActivityReturn,
    Contract,
    EvidenceSubmission,
    ReturnStatus,
    Service,
    SubContract,
)
from fedportal.clock import today
from fedportal.periods import Quarter
from tests.demo import demo_loaded_once

pytestmark = pytest.mark.django_db

# The demo's month, as `make run` pins it (fedportal.settings.local).
DEMO_TODAY = "2019-02-15"


demo_loaded_once_per_module = demo_loaded_once(today=DEMO_TODAY)


def counts() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Contract, Service, SubContract, EvidenceSubmission, ActivityReturn)
    )


def test_the_four_contracts_of_seed_000_are_held(demo):
    held = {(c.title, c.contractor.name) for c in Contract.objects.select_related("contractor")}
    assert held == {
        ("First Contact Physio", "Jamie Bell Physiotherapy Ltd"),
        ("Emergency Care Practitioner (ECP)", "DHU Health Care CIC"),
        ("GPTeamNet", "Clarity Informatics Ltd"),
    }
    assert Contract.objects.count() == 4
    assert Contract.objects.get(reference="GTN-ELR-2019").covers_all_localities
    assert list(
        Contract.objects.get(reference="ECP-SLAM-2018").localities.values_list("name", flat=True)
    ) == ["SLAM"]


def test_most_practices_hold_sub_contracts_with_a_mix_of_compliance(demo):
    per_service = Counter(SubContract.objects.values_list("service__slug", flat=True))
    assert set(per_service) == set(Service.objects.values_list("slug", flat=True))
    assert len(per_service) == 5
    # H. pylori for the majority of the 30 practices, community based services for some
    assert per_service["h-pylori"] > 15
    assert 0 < per_service["nhs-health-check"] < per_service["h-pylori"]
    # and the evidence, judged on the demo's day, is a realistic mix
    states = Counter(s.compliance for s in SubContract.objects.with_compliance(today()))
    assert {"compliant", "expiring", "expired", "missing", "awaiting_review"} <= set(states)
    assert states["compliant"] > states["expired"]


def test_q3_returns_are_in_for_the_services_that_take_them(demo):
    q3 = ActivityReturn.objects.for_quarter(Quarter(2018, 3))
    assert q3.exists()
    assert q3.filter(status=ReturnStatus.APPROVED).exists()
    assert not q3.exclude(subcontract__service__takes_returns=True).exists()
    assert all(r.claim_value > 0 for r in q3.filter(status=ReturnStatus.APPROVED).with_claim())


def test_loading_the_demo_again_changes_nothing(demo):
    before = counts()
    call_command("load_demo", force=True, stdout=StringIO())
    assert counts() == before
