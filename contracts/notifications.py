"""Emails to practices. Sent after the transaction commits, from the
configured email backend (the console in development)."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.urls import reverse


def practice_recipients(practice) -> list:
    """The active users attached to a practice who have an email address."""
    return list(
        get_user_model()
        .objects.filter(practice_memberships__practice=practice, is_active=True)
        .exclude(email="")
        .order_by("username")
    )


def notify_evidence_decision(decision_id: int) -> int:
    """Tell the practice its evidence was accepted or rejected (and why)."""
    from contracts.models import EvidenceDecision

    decision = EvidenceDecision.objects.select_related(
        "submission__subcontract__practice", "submission__subcontract__service", "submission__requirement"
    ).get(pk=decision_id)
    submission = decision.submission
    practice = submission.subcontract.practice
    verb = "accepted" if decision.decision == "accepted" else "rejected"
    lines = [
        f"Your {submission.requirement} for {submission.subcontract.service} (version {submission.version}, "
        f"{submission.original_name}) was {verb}.",
    ]
    if decision.reason:
        lines.append(f"Reason: {decision.reason}")
    link = settings.FEDPORTAL_BASE_URL + reverse("contracts:evidence-detail", args=[submission.pk])
    lines.append(f"See it in the portal: {link}")
    recipients = [user.email for user in practice_recipients(practice)]
    if not recipients:
        return 0
    return send_mail(
        subject=f"{settings.FEDERATION_NAME}: evidence {verb} – {submission.requirement}",
        message="\n\n".join(lines),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=recipients,
    )
