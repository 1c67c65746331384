"""A practice withdraws evidence staff have not decided yet: a confirm page,
a state kept in the history (the record and its file stay), refused with a
clear message once decided, and never reachable for another practice."""

import re
from datetime import date

import pytest
from django.core.files.storage import default_storage

from contracts.compliance import Compliance
from contracts.models import EvidenceStatus, EvidenceSubmission
from contracts.services.evidence import DecisionConflict, evidence_review, evidence_submit, evidence_withdraw
from tests.contracts.conftest import pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_root")]


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


def test_a_practice_withdraws_evidence_awaiting_review_from_a_confirm_page(client_as, submission):
    client = client_as("practice")

    # given the evidence's page offers to withdraw it
    page = client.get(f"/evidence/{submission.pk}/").content.decode()
    assert f'href="/evidence/{submission.pk}/withdraw/"' in page

    # when the practice confirms
    confirm = client.get(f"/evidence/{submission.pk}/withdraw/")
    assert confirm.status_code == 200
    assert "Withdraw Indemnity certificate version 1?" in confirm.content.decode()
    response = client.post(f"/evidence/{submission.pk}/withdraw/", follow=True)

    # then it is withdrawn, not deleted: the record and its file are kept
    assert response.redirect_chain[-1][0] == submission.subcontract.get_absolute_url()
    assert "Indemnity certificate version 1 withdrawn." in page_messages(response)[0]
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.WITHDRAWN
    assert default_storage.exists(submission.file.name)
    # and its page says so, in its status and its history, with no offer to withdraw again
    page = client.get(f"/evidence/{submission.pk}/").content.decode()
    assert "Withdrawn" in page
    assert f'href="/evidence/{submission.pk}/withdraw/"' not in page
    assert "withdrew" in page


def compliance_shown(client, subcontract) -> str:
    page = client.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    return re.search(r'data-compliance="([a-z_]+)"', page).group(1)


def test_withdrawn_evidence_is_no_longer_awaiting_review(
    client_as, january_2019_ticking, subcontract, indemnity
):
    staff = client_as("staff")
    submission = evidence_submit(
        subcontract=subcontract,
        requirement=indemnity,
        upload=pdf_upload(),
        description="MDU certificate 2018/19",
        valid_from=None,
        valid_to=date(2019, 3, 31),
        user=practice_user_of(subcontract),
    )
    assert compliance_shown(staff, subcontract) == Compliance.AWAITING_REVIEW

    evidence_withdraw(submission_id=submission.pk, user=submission.submitted_by)

    # the sub-contract is missing that evidence again (the kept state follows), ...
    assert compliance_shown(staff, subcontract) == Compliance.MISSING
    # ... and staff's queue of evidence awaiting review no longer lists it
    listed = staff.get("/evidence/?status=pending").content.decode()
    assert f"/evidence/{submission.pk}/" not in listed


def practice_user_of(subcontract):
    from localities.models import PracticeMembership

    return PracticeMembership.objects.filter(practice=subcontract.practice).first().user


@pytest.mark.parametrize("decision", ["accepted", "rejected"])
def test_decided_evidence_cannot_be_withdrawn_and_the_page_says_why(
    client_as, staff_user, submission, decision
):
    evidence_review(submission_id=submission.pk, decision=decision, reason="Out of date", user=staff_user)
    client = client_as("practice")
    assert "/withdraw/" not in client.get(f"/evidence/{submission.pk}/").content.decode()

    response = client.post(f"/evidence/{submission.pk}/withdraw/", follow=True)

    assert response.redirect_chain[-1][0] == f"/evidence/{submission.pk}/"
    assert f"This evidence was already {decision} by federation staff" in page_messages(response)[0]
    submission.refresh_from_db()
    assert submission.status == decision
    with pytest.raises(DecisionConflict):
        evidence_withdraw(submission_id=submission.pk, user=submission.submitted_by)


def test_withdrawn_evidence_cannot_be_decided(client_as, submission):
    evidence_withdraw(submission_id=submission.pk, user=submission.submitted_by)
    response = client_as("staff").post(
        f"/evidence/{submission.pk}/", {"decision": "accepted", "reason": ""}, follow=True
    )
    assert "This evidence was already withdrawn" in page_messages(response)[0]
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.WITHDRAWN


def test_another_practices_evidence_is_404_and_staff_do_not_withdraw(
    client_as, other_subcontract, indemnity, staff_user
):
    theirs = evidence_submit(
        subcontract=other_subcontract,
        requirement=indemnity,
        upload=pdf_upload(),
        description="Their certificate",
        valid_from=None,
        valid_to=date(2019, 3, 31),
        user=staff_user,
    )
    for method in ("get", "post"):
        assert getattr(client_as("practice"), method)(f"/evidence/{theirs.pk}/withdraw/").status_code == 404
        assert getattr(client_as("board"), method)(f"/evidence/{theirs.pk}/withdraw/").status_code == 404
    # staff decide evidence; withdrawing it is the practice's call
    assert client_as("staff").post(f"/evidence/{theirs.pk}/withdraw/").status_code == 403
    assert EvidenceSubmission.objects.get(pk=theirs.pk).status == EvidenceStatus.PENDING


def test_the_confirm_page_stays_within_the_query_budget(client_as, submission, django_assert_max_num_queries):
    client = client_as("practice")
    with django_assert_max_num_queries(12):
        assert client.get(f"/evidence/{submission.pk}/withdraw/").status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(f"/evidence/{submission.pk}/").status_code == 200
