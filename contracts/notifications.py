"""Emails to practices. Sent after the transaction commits, from the
configured email backend (the console in development)."""

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse

from localities.models import PracticeMembership


def practice_mail_memberships():
    """Who receives a practice's mail (decisions, reminders): the memberships
    of active users with an email address. The one answer, for one practice
    (``practice_recipients``) or all of them at once (the reminders)."""
    return PracticeMembership.objects.filter(user__is_active=True).exclude(user__email="")


def practice_recipients(practice) -> list:
    """The people who receive ``practice``'s mail, by username."""
    memberships = practice_mail_memberships().filter(practice=practice).select_related("user")
    return [membership.user for membership in memberships.order_by("user__username")]


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
