"""A decision on evidence stands when the mail server fails: the reviewer is
not shown an error for a decision that was saved."""

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from contracts.models import EvidenceDecision, EvidenceStatus

pytestmark = pytest.mark.django_db


class BrokenMailServer(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise ConnectionRefusedError("the relay is down")


def test_a_mail_failure_after_a_decision_is_logged_not_shown_as_an_error(
    client_for, staff_user, practice_user, submission, settings, django_capture_on_commit_callbacks
):
    # given a practice user with an email address, and a mail relay that is down
    practice_user.email = "manager@harborough.example"
    practice_user.save()
    settings.EMAIL_BACKEND = f"{__name__}.BrokenMailServer"
    # when staff accept the practice's evidence
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(staff_user).post(
            f"/evidence/{submission.pk}/", {"decision": "accepted", "reason": ""}
        )
    # then they are sent on, and the decision is recorded
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == EvidenceStatus.ACCEPTED
    assert EvidenceDecision.objects.filter(submission=submission).count() == 1
