"""Evidence practices upload and staff review."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from contracts.models import (
    Decision,
    EvidenceDecision,
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    ScheduledClinician,
    SubContract,
)
from contracts.notifications import notify_evidence_decision
from contracts.permissions import withdrawal_blocked
from fedportal.files import check_upload, save_with_file


class DecisionConflict(Exception):
    """Someone else decided this submission first; nothing was written."""


@transaction.atomic
def evidence_submit(
    *,
    subcontract: SubContract,
    requirement: EvidenceRequirement,
    upload,
    description: str,
    valid_from: date | None,
    valid_to: date | None,
    notes: str = "",
    clinician: ScheduledClinician | None = None,
    user,
) -> EvidenceSubmission:
    """Keep a new version of evidence for a sub-contract's requirement. Raises
    ValidationError (by field) for a refused file or inconsistent details."""
    errors = {}
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        errors["file"] = error.messages
    if requirement.service_id != subcontract.service_id or not requirement.active:
        errors["requirement"] = ["This evidence is not required for this sub-contract's service."]
    if requirement.is_clinician_schedule:
        if clinician is None:
            errors["clinician"] = ["Choose the clinician this evidence is for."]
        elif clinician.subcontract_id != subcontract.pk or clinician.removed_on is not None:
            errors["clinician"] = ["This clinician is not on this sub-contract's schedule."]
    elif clinician is not None:
        errors["clinician"] = ["This evidence is not for a named clinician."]
    if requirement.has_expiry and valid_to is None:
        errors["valid_to"] = ["Enter the date this evidence runs out: it expires."]
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = ["'Valid to' must be on or after 'valid from'."]
    if errors:
        raise ValidationError(errors)

    # Serialise versions per sub-contract: two uploads at once get 1 and 2.
    subcontract = SubContract.objects.select_for_update().get(pk=subcontract.pk)
    latest = EvidenceSubmission.objects.filter(
        subcontract=subcontract, requirement=requirement, clinician=clinician
    ).aggregate(v=Max("version"))["v"]
    submission = EvidenceSubmission(
        subcontract=subcontract,
        requirement=requirement,
        clinician=clinician,
        version=(latest or 0) + 1,
        description=description.strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        notes=notes.strip(),
        submitted_by=user,
    )
    save_with_file(submission, checked, upload)
    return submission


@transaction.atomic
def evidence_review(*, submission_id: int, decision: str, reason: str, user) -> EvidenceDecision:
    """Accept or reject a submission. The first decision wins: a second one,
    even at the same moment, raises DecisionConflict and writes nothing."""
    submission = (
        # Lock the submission row only: locking the joined practice and
        # requirement rows too could deadlock with an upload in progress.
        EvidenceSubmission.objects.select_for_update(of=("self",))
        .select_related("subcontract__practice", "requirement")
        .get(pk=submission_id)
    )
    if submission.status != EvidenceStatus.PENDING:
        earlier = EvidenceDecision.objects.select_related("decided_by").filter(submission=submission).first()
        who = (
            f" by {earlier.decided_by} at {timezone.localtime(earlier.decided_at):%H:%M on %d %b %Y}"
            if earlier
            else ""
        )
        raise DecisionConflict(f"This evidence was already {submission.get_status_display().lower()}{who}.")
    reason = reason.strip()
    if decision not in Decision.values:
        raise ValidationError({"decision": ["Choose accept or reject."]})
    if decision == Decision.REJECT and not reason:
        raise ValidationError({"reason": ["Give the practice a reason for rejecting their evidence."]})
    record = EvidenceDecision(submission=submission, decision=decision, reason=reason, decided_by=user)
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as error:  # another transaction inserted the decision first
        raise DecisionConflict("Someone else decided this evidence at the same moment.") from error
    submission.status = decision
    submission.save(update_fields=["status"])
    # The decision stands whatever the mail server does: a failure is logged.
    transaction.on_commit(lambda: notify_evidence_decision(record.pk), robust=True)
    return record


@transaction.atomic
def evidence_withdraw(*, submission_id: int, user) -> EvidenceSubmission:
    """The practice takes back an upload staff have not decided: its status
    becomes withdrawn (kept, with its file, in the record's history), so staff
    no longer review it and it no longer counts as awaiting review. Raises
    DecisionConflict once it is decided (or withdrawn) already."""
    # Locked, so that a decision and a withdrawal at once cannot both win.
    submission = (
        EvidenceSubmission.objects.select_for_update(of=("self",))
        .select_related("subcontract__practice", "requirement")
        .get(pk=submission_id)
    )
    if blocked := withdrawal_blocked(submission):
        raise DecisionConflict(blocked)
    submission.status = EvidenceStatus.WITHDRAWN
    submission.save(update_fields=["status"])
    return submission
