"""Staff accept or reject evidence with a reason the practice sees; the
practice is emailed; two staff deciding at once get one decision and a clear
message, never a server error or a half-written record."""

import threading

import pytest
from django.core import mail
from django.db import connection

from contracts.models import EvidenceDecision, EvidenceStatus, EvidenceSubmission
from contracts.services.evidence import DecisionConflict, evidence_review
from fedportal.models import Role
from tests.conftest import make_user
from tests.pages import errors_beside

pytestmark = pytest.mark.usefixtures("media_root")


@pytest.fixture
def second_staff(db):
    return make_user("staff2", Role.STAFF, first_name="Raj", last_name="Patel")


@pytest.fixture
def practice_email(practice_user):
    practice_user.email = "manager@harborough.example"
    practice_user.save()
    return practice_user.email


def page_messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


@pytest.mark.django_db
def test_staff_accept_and_the_practice_is_emailed(
    client_for, staff_user, submission, practice_email, django_capture_on_commit_callbacks
):
    # given evidence awaiting review
    client = client_for(staff_user)
    assert 'name="decision"' in client.get(f"/evidence/{submission.pk}/").content.decode()

    # when a member of staff accepts it (the email goes once the transaction commits)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/evidence/{submission.pk}/", {"decision": "accepted", "reason": ""}, follow=True
        )

    # then the decision is recorded once, the status follows it, and the form is gone
    assert response.status_code == 200
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.ACCEPTED
    decision = EvidenceDecision.objects.get(submission=submission)
    assert (decision.decision, decision.decided_by) == ("accepted", staff_user)
    assert "Evidence accepted" in page_messages(response)[0]
    assert 'name="decision"' not in response.content.decode()
    # and the practice's user got an email saying so
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [practice_email]
    assert "accepted" in mail.outbox[0].subject
    assert f"/evidence/{submission.pk}/" in mail.outbox[0].body


@pytest.mark.django_db
def test_a_rejection_needs_a_reason_beside_the_reason_field(client_for, staff_user, submission):
    # when staff reject without a reason
    response = client_for(staff_user).post(
        f"/evidence/{submission.pk}/", {"decision": "rejected", "reason": "  "}
    )

    # then the message is beside the reason, and nothing is decided
    assert response.status_code == 400
    assert errors_beside(response.content, "reason") == [
        "Give the practice a reason for rejecting their evidence."
    ]
    assert 'value="rejected" checked' in response.content.decode()
    assert not EvidenceDecision.objects.exists()
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.PENDING


@pytest.mark.django_db
def test_a_decision_must_be_chosen(client_for, staff_user, submission):
    response = client_for(staff_user).post(f"/evidence/{submission.pk}/", {"reason": "Looks fine"})

    assert response.status_code == 400
    assert errors_beside(response.content, "decision") == ["Choose accept or reject."]
    assert "Looks fine" in response.content.decode()
    assert not EvidenceDecision.objects.exists()


@pytest.mark.django_db
def test_the_practice_sees_the_reason_for_a_rejection(
    client_for,
    client_as,
    staff_user,
    submission,
    subcontract,
    practice_email,
    django_capture_on_commit_callbacks,
):
    # when staff reject the evidence with a reason
    with django_capture_on_commit_callbacks(execute=True):
        client_for(staff_user).post(
            f"/evidence/{submission.pk}/",
            {"decision": "rejected", "reason": "The certificate has no dates on it."},
        )

    # then the practice sees the reason on the evidence and on the sub-contract
    practice = client_as("practice")
    evidence_page = practice.get(f"/evidence/{submission.pk}/").content.decode()
    subcontract_page = practice.get(f"/subcontracts/{subcontract.pk}/").content.decode()
    assert "The certificate has no dates on it." in evidence_page
    assert "The certificate has no dates on it." in subcontract_page
    # and the email carries it
    assert "Reason: The certificate has no dates on it." in mail.outbox[0].body
    # and the practice user cannot decide anything
    assert 'name="decision"' not in evidence_page


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("practice", 403), ("board", 404)])
def test_only_staff_review(client_as, submission, role, expected):
    # when a practice user or a board member posts a decision
    response = client_as(role).post(f"/evidence/{submission.pk}/", {"decision": "accepted"})

    # then it is refused (the board cannot even see evidence) and nothing is decided
    assert response.status_code == expected
    assert not EvidenceDecision.objects.exists()


@pytest.mark.django_db
def test_the_second_of_two_staff_is_told_who_decided_first(client_for, staff_user, second_staff, submission):
    # given two members of staff with the review form open
    first, second = client_for(staff_user), client_for(second_staff)
    first.get(f"/evidence/{submission.pk}/")
    second.get(f"/evidence/{submission.pk}/")

    # when the first accepts, then the second rejects
    first.post(f"/evidence/{submission.pk}/", {"decision": "accepted"})
    response = second.post(
        f"/evidence/{submission.pk}/", {"decision": "rejected", "reason": "Wrong practice"}, follow=True
    )

    # then the second sees a clear message naming who decided, and the decision that won
    assert response.redirect_chain == [(f"/evidence/{submission.pk}/", 302)]
    assert response.status_code == 200
    [message] = page_messages(response)
    assert message.startswith("This evidence was already accepted by Helen Parker at ")
    assert "Accepted by Helen Parker" in response.content.decode()
    # and only the first decision exists
    assert list(EvidenceDecision.objects.values_list("decision", "decided_by")) == [
        ("accepted", staff_user.pk)
    ]
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.ACCEPTED


@pytest.mark.django_db
def test_an_incomplete_second_decision_is_also_told_it_was_decided(
    client_for, staff_user, second_staff, submission
):
    # given the evidence was accepted
    client_for(staff_user).post(f"/evidence/{submission.pk}/", {"decision": "accepted"})

    # when another member of staff posts the form without choosing
    response = client_for(second_staff).post(f"/evidence/{submission.pk}/", {}, follow=True)

    # then they are told it was already decided, not asked to choose
    assert response.status_code == 200
    assert page_messages(response) == ["This evidence was already accepted."]


@pytest.mark.django_db(transaction=True)
def test_two_staff_deciding_at_the_same_moment_get_one_decision(
    staff_user, second_staff, submission, practice_email
):
    # given two members of staff, each in their own thread with their own connection
    barrier = threading.Barrier(2, timeout=10)
    outcomes: dict[str, object] = {}

    def decide(user, decision, reason):
        try:
            barrier.wait()  # both call evidence_review together
            outcomes[user.username] = evidence_review(
                submission_id=submission.pk, decision=decision, reason=reason, user=user
            )
        except DecisionConflict as conflict:
            outcomes[user.username] = conflict
        except Exception as error:  # reported by the assertions below
            outcomes[user.username] = error
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(staff_user, "accepted", "")),
        threading.Thread(target=decide, args=(second_staff, "rejected", "Out of date")),
    ]

    # when both decide at once
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    # then exactly one decision exists, the other got DecisionConflict
    winners = [o for o in outcomes.values() if isinstance(o, EvidenceDecision)]
    losers = [o for o in outcomes.values() if isinstance(o, DecisionConflict)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    [decision] = EvidenceDecision.objects.all()
    assert decision.pk == winners[0].pk
    # and the submission's status is the winning decision
    assert EvidenceSubmission.objects.get(pk=submission.pk).status == decision.decision
    # and the loser was told what happened
    assert "already" in str(losers[0]) or "same moment" in str(losers[0])
    # and the practice was emailed once, about the decision that won
    assert len(mail.outbox) == 1
    assert decision.decision in mail.outbox[0].subject
