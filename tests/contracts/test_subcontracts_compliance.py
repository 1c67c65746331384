"""Compliance end to end, through the pages a practice and staff use: upload,
review, expiry and schedules of clinicians move a sub-contract between
missing, awaiting review, compliant, expiring and expired."""

import random
import re
from collections import Counter
from datetime import date, timedelta

import pytest

from contracts.compliance import compliance_counts, filter_compliance
from contracts.models import EvidenceSubmission, ScheduledClinician, SubContract
from localities.models import Practice
from tests.contracts.conftest import pdf_upload
from tests.contracts.helpers import make_evidence
from tests.pages import result_count

# The clock runs: each upload and decision comes after the one before.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("january_2019_ticking", "media_root")]

TODAY = date(2019, 1, 15)


def compliance_shown(client, subcontract) -> str:
    """The compliance the sub-contract's page shows."""
    page = client.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    return re.search(
        r'id="compliance"><strong class="nhsuk-tag [^"]*" data-compliance="([a-z_]+)"', page
    ).group(1)


def listed_with(client, compliance: str) -> int:
    return result_count(client, f"/subcontracts/list/?compliance={compliance}")


def upload(client, subcontract, requirement, *, valid_to=None, clinician=None):
    data = {
        "requirement": requirement.pk,
        "file": pdf_upload(),
        "description": f"{requirement.name} evidence",
        "valid_from": "2018-04-01",
    }
    if valid_to:
        data["valid_to"] = valid_to.isoformat()
    if clinician:
        data["clinician"] = clinician.pk
    response = client.post(f"/subcontracts/{subcontract.pk}/evidence/new/", data)
    assert response.status_code == 302, response.content.decode()
    return EvidenceSubmission.objects.latest("pk")


def decide(client, submission, decision, reason=""):
    response = client.post(f"/evidence/{submission.pk}/", {"decision": decision, "reason": reason})
    assert response.status_code == 302


def test_missing_then_awaiting_review_then_compliant(client_as, subcontract, indemnity):
    # given a sub-contract whose service asks for an indemnity certificate, with nothing uploaded
    practice, staff = client_as("practice"), client_as("staff")
    assert compliance_shown(practice, subcontract) == "missing"
    assert listed_with(staff, "missing") == 1

    # when the practice uploads a certificate valid for the rest of the year
    submission = upload(practice, subcontract, indemnity, valid_to=date(2019, 12, 31))

    # then it awaits review
    assert compliance_shown(practice, subcontract) == "awaiting_review"
    assert listed_with(staff, "awaiting_review") == 1
    assert listed_with(staff, "missing") == 0

    # when staff accept it
    decide(staff, submission, "accepted")

    # then the sub-contract is compliant, and the requirement shows its date
    assert compliance_shown(practice, subcontract) == "compliant"
    assert listed_with(staff, "compliant") == 1
    page = practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert "31 December 2019" in page


def test_accepted_evidence_ending_within_30_days_is_expiring(client_as, subcontract, indemnity):
    # given an accepted certificate that ends in ten days
    practice, staff = client_as("practice"), client_as("staff")
    decide(staff, upload(practice, subcontract, indemnity, valid_to=TODAY + timedelta(days=10)), "accepted")

    # then the sub-contract is expiring, and listed so
    assert compliance_shown(practice, subcontract) == "expiring"
    assert listed_with(staff, "expiring") == 1

    # when the practice uploads the renewal, it still counts as expiring until accepted
    renewal = upload(practice, subcontract, indemnity, valid_to=date(2020, 1, 31))
    assert compliance_shown(practice, subcontract) == "awaiting_review"
    decide(staff, renewal, "accepted")
    assert compliance_shown(practice, subcontract) == "compliant"


def test_evidence_that_ran_out_is_expired(client_as, subcontract, indemnity):
    # given a certificate accepted last year that ended yesterday
    practice, staff = client_as("practice"), client_as("staff")
    decide(staff, upload(practice, subcontract, indemnity, valid_to=TODAY - timedelta(days=1)), "accepted")

    # then the sub-contract is expired
    assert compliance_shown(practice, subcontract) == "expired"
    assert listed_with(staff, "expired") == 1


def test_a_rejected_upload_leaves_it_missing_and_shows_the_practice_why(client_as, subcontract, indemnity):
    # given the practice uploads a certificate and staff reject it
    practice, staff = client_as("practice"), client_as("staff")
    submission = upload(practice, subcontract, indemnity, valid_to=date(2019, 12, 31))
    decide(staff, submission, "rejected", "This certificate is for another practice.")

    # then the sub-contract is missing evidence again, and the practice sees the reason
    assert compliance_shown(practice, subcontract) == "missing"
    page = practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert "This certificate is for another practice." in page
    assert '<strong class="nhsuk-tag nhsuk-tag--red">Rejected</strong>' in page


def test_evidence_that_does_not_expire_is_compliant_for_good(client_as, subcontract, signed_subcontract):
    # given a signed sub-contract (it does not expire), accepted without an end date
    practice, staff = client_as("practice"), client_as("staff")
    decide(staff, upload(practice, subcontract, signed_subcontract), "accepted")

    # then the sub-contract is compliant and the requirement does not expire
    assert compliance_shown(practice, subcontract) == "compliant"
    assert "Does not expire" in practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()


def test_a_schedule_of_fitters_needs_a_clinician_with_accepted_evidence(client_as, subcontract, fitters):
    practice, staff = client_as("practice"), client_as("staff")

    # given a schedule with no clinician on it: missing, and the page asks for a clinician
    assert compliance_shown(practice, subcontract) == "missing"
    page = practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert "no clinician on the schedule" in page

    # when the practice adds a clinician, still without evidence: missing
    response = practice.post(
        f"/subcontracts/{subcontract.pk}/clinicians/new/",
        {"name": "Dr Ann Fitter", "role": "GP", "registration": "GMC 1234567"},
    )
    assert response.status_code == 302
    clinician = ScheduledClinician.objects.get()
    assert compliance_shown(practice, subcontract) == "missing"

    # when their competency evidence is uploaded and accepted: compliant
    decide(
        staff,
        upload(practice, subcontract, fitters, valid_to=date(2020, 6, 30), clinician=clinician),
        "accepted",
    )
    assert compliance_shown(practice, subcontract) == "compliant"

    # when a second clinician joins without evidence: missing again
    practice.post(f"/subcontracts/{subcontract.pk}/clinicians/new/", {"name": "Nurse Bea New"})
    assert compliance_shown(practice, subcontract) == "missing"

    # when that clinician is taken off the schedule: compliant, and their record is kept
    newcomer = ScheduledClinician.objects.get(name="Nurse Bea New")
    response = practice.post(f"/subcontracts/clinicians/{newcomer.pk}/remove/")
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.removed_on == TODAY
    assert compliance_shown(practice, subcontract) == "compliant"
    page = practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert "Nurse Bea New" in page
    assert "removed 15 January 2019" in page


def test_a_sub_contract_is_as_bad_as_its_worst_requirement(
    client_as, subcontract, indemnity, signed_subcontract
):
    # given a signed sub-contract accepted but the indemnity certificate expired
    practice, staff = client_as("practice"), client_as("staff")
    decide(staff, upload(practice, subcontract, signed_subcontract), "accepted")
    decide(staff, upload(practice, subcontract, indemnity, valid_to=TODAY - timedelta(days=40)), "accepted")

    # then the sub-contract is expired, and each requirement shows its own state
    assert compliance_shown(practice, subcontract) == "expired"
    page = practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    states = re.findall(r'data-requirement="(\d+)".*?data-compliance="([a-z_]+)"', page, re.S)
    assert dict(states) == {str(indemnity.pk): "expired", str(signed_subcontract.pk): "compliant"}


def test_the_set_based_rule_agrees_with_the_per_sub_contract_rule(
    h_pylori, indemnity, signed_subcontract, fitters, harborough, staff_user
):
    # given 100 sub-contracts with every mix of evidence: none, pending, accepted
    # or rejected, running out long ago, soon or never, and clinicians or not
    rng = random.Random(7)
    valid_tos = [
        TODAY - timedelta(days=3),
        *[TODAY + timedelta(days=10)] * 2,
        *[TODAY + timedelta(days=200)] * 3,
    ]
    for number in range(100):
        practice = Practice.objects.create(
            ods_code=f"C83{number:03d}", name=f"Practice {number}", locality=harborough
        )
        subcontract = SubContract.objects.create(
            practice=practice, service=h_pylori, start_date=date(2018, 4, 1)
        )
        clinicians = [
            ScheduledClinician.objects.create(subcontract=subcontract, name=f"Dr {n}")
            for n in range(rng.choice([0, 1, 1, 2]))
        ]
        for requirement, clinician in [(indemnity, None), (signed_subcontract, None)] + [
            (fitters, c) for c in clinicians
        ]:
            for _ in range(rng.choice([0, 1, 1, 2, 3])):
                make_evidence(
                    subcontract,
                    requirement,
                    staff_user,
                    clinician=clinician,
                    valid_to=rng.choice(valid_tos) if requirement.has_expiry or clinician else None,
                    status=rng.choice(["pending", "rejected", *["accepted"] * 6]),
                )
    per_row = {s.pk: s.compliance for s in SubContract.objects.with_compliance(TODAY)}
    assert len(set(per_row.values())) == 5  # every state is represented

    # then counting and filtering all at once give what each sub-contract's own rule gives
    assert compliance_counts(SubContract.objects.all(), TODAY) == Counter(per_row.values())
    for state in set(per_row.values()):
        filtered = set(
            filter_compliance(SubContract.objects.all(), state, TODAY).values_list("pk", flat=True)
        )
        assert filtered == {pk for pk, compliance in per_row.items() if compliance == state}
