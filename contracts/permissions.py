"""What a user may do in the contracts app: ``can_<verb>(user, obj) ->
(allowed, reason)``, used by views and templates alike. Which rows a user
sees at all is each model's ``visible_to``."""

from contracts.models import ActivityReturn, EvidenceStatus, EvidenceSubmission, ReturnStatus, SubContract
from fedportal.permissions import Decision
from localities.models import Practice


def _keeps_practice_records(user, practice) -> bool:
    if not (user.is_authenticated and user.is_active):
        return False
    if user.is_federation_staff:
        return True
    return user.is_practice_user and Practice.objects.visible_to(user).filter(pk=practice.pk).exists()


def can_manage_contracts(user) -> Decision:
    """Contracts, services, tariffs and evidence requirements are kept by staff."""
    if user.is_authenticated and user.is_federation_staff:
        return True, ""
    return False, "Only federation staff can change contracts and services."


def can_upload_evidence(user, subcontract: SubContract) -> Decision:
    """The practice's own users and federation staff keep evidence up to date."""
    if _keeps_practice_records(user, subcontract.practice):
        return True, ""
    return False, "Only the practice and federation staff can upload evidence for this sub-contract."


def can_review_evidence(user, submission: EvidenceSubmission) -> Decision:
    """Staff accept or reject a submission once, while it awaits review."""
    if not (user.is_authenticated and user.is_federation_staff):
        return False, "Only federation staff review evidence."
    if submission.status != EvidenceStatus.PENDING:
        return False, f"This evidence was already {submission.get_status_display().lower()}."
    return True, ""


def can_submit_return(user, subcontract: SubContract) -> Decision:
    if not subcontract.service.takes_returns:
        return False, "This service has no quarterly activity returns."
    if _keeps_practice_records(user, subcontract.practice):
        return True, ""
    return False, "Only the practice and federation staff can make returns for this sub-contract."


def can_decide_return(user, activity_return: ActivityReturn) -> Decision:
    if not (user.is_authenticated and user.is_federation_staff):
        return False, "Only federation staff approve returns."
    if activity_return.status != ReturnStatus.SUBMITTED:
        return False, f"This return was already {activity_return.get_status_display().lower()}."
    return True, ""


def can_amend_return(user, activity_return: ActivityReturn) -> Decision:
    """An approved return is corrected by an amendment, which keeps the original."""
    if not _keeps_practice_records(user, activity_return.subcontract.practice):
        return False, "Only the practice and federation staff can correct this return."
    if activity_return.status != ReturnStatus.APPROVED:
        return False, "Only an approved return is corrected by an amendment."
    if activity_return.amendments.filter(status__in=[ReturnStatus.SUBMITTED, ReturnStatus.APPROVED]).exists():
        return False, "This return has already been amended; correct the latest amendment instead."
    return True, ""
