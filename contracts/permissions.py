"""What a user may do in the contracts app, and whether a record's state
allows it now: two kinds of answer, kept apart (fedportal.permissions).

- Role rules, ``can_<verb>(user[, record]) -> Verdict``: may this user do
  this at all (refused: 403, logged). They look at the user's role and which
  practice's records they keep, never at a record's status.
- State checks, ``<verb>_blocked(record) -> str``: why the record's state
  does not allow it now ("" when it does), shown on the page as a message.

Views and templates ask the same functions (``{% user_can %}``). Which rows a
user sees at all is each model's ``visible_to``."""

from contracts.models import ActivityReturn, EvidenceStatus, EvidenceSubmission, ReturnStatus, SubContract
from fedportal.permissions import Verdict
from localities.permissions import keeps_practice_records


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_federation_staff


# Role rules ---------------------------------------------------------------------


def can_manage_contracts(user) -> Verdict:
    """Contracts, services, tariffs and evidence requirements are kept by staff."""
    if _is_staff(user):
        return True, ""
    return False, "Only federation staff can change contracts and services."


def can_upload_evidence(user, subcontract: SubContract) -> Verdict:
    """The practice's own users and federation staff keep evidence up to date."""
    if keeps_practice_records(user, subcontract.practice_id):
        return True, ""
    return False, "Only the practice and federation staff can upload evidence for this sub-contract."


def can_withdraw_evidence(user, submission: EvidenceSubmission) -> Verdict:
    """A practice takes back its own upload: its users only (staff decide
    evidence, they do not withdraw it for the practice)."""
    if (
        user.is_authenticated
        and user.is_practice_user
        and keeps_practice_records(user, submission.subcontract.practice_id)
    ):
        return True, ""
    return False, "Only the practice that uploaded this evidence can withdraw it."


def can_review_evidence(user) -> Verdict:
    """Federation staff accept or reject evidence."""
    if _is_staff(user):
        return True, ""
    return False, "Only federation staff review evidence."


def can_submit_return(user, subcontract: SubContract) -> Verdict:
    """The practice's own users and federation staff make (and amend) its returns."""
    if keeps_practice_records(user, subcontract.practice_id):
        return True, ""
    return False, "Only the practice and federation staff can make returns for this sub-contract."


def can_decide_return(user) -> Verdict:
    """Federation staff approve returns or send them back."""
    if _is_staff(user):
        return True, ""
    return False, "Only federation staff approve returns."


# State checks -------------------------------------------------------------------


def review_blocked(submission: EvidenceSubmission) -> str:
    """Evidence is decided once, while it awaits review."""
    if submission.status != EvidenceStatus.PENDING:
        return f"This evidence was already {submission.get_status_display().lower()}."
    return ""


def withdrawal_blocked(submission: EvidenceSubmission) -> str:
    """Evidence may be withdrawn while it awaits review, not once decided."""
    if submission.status == EvidenceStatus.WITHDRAWN:
        return "This evidence was already withdrawn."
    if submission.status != EvidenceStatus.PENDING:
        return (
            f"This evidence was already {submission.get_status_display().lower()} by federation staff, "
            "so it can no longer be withdrawn. Upload a new version instead."
        )
    return ""


def returns_blocked(subcontract: SubContract) -> str:
    """Only services paid by activity take quarterly returns."""
    if not subcontract.service.takes_returns:
        return "This service has no quarterly activity returns."
    return ""


def decision_blocked(activity_return: ActivityReturn) -> str:
    """A return is decided once, while it awaits approval."""
    if activity_return.status != ReturnStatus.SUBMITTED:
        return f"This return was already {activity_return.get_status_display().lower()}."
    return ""


def amendment_blocked(activity_return: ActivityReturn) -> str:
    """An approved return is corrected by one amendment at a time, which
    keeps the original."""
    if activity_return.status != ReturnStatus.APPROVED:
        return "Only an approved return is corrected by an amendment."
    if activity_return.is_amended:
        return "This return has already been amended; correct the latest amendment instead."
    return ""
