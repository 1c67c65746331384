"""What a user may do with networks and registrations (role rules, 403 when
refused), and whether a registration's state allows it now (state checks, a
message on the page). Which rows a user sees at all is each model's
``visible_to``."""

from fedportal.permissions import Verdict
from localities.models import Practice
from localities.permissions import keeps_practice_records
from pcn.models import Registration, RegistrationStatus


def _is_staff(user) -> bool:
    return user.is_authenticated and user.is_active and user.is_federation_staff


# Role rules ---------------------------------------------------------------------


def can_manage_pcns(user) -> Verdict:
    """Networks, memberships, boundaries and registrations are kept by federation staff."""
    if _is_staff(user):
        return True, ""
    return False, "Only federation staff can change networks and their registrations."


def can_see_bank_details(user) -> Verdict:
    """Bank details are for federation staff only: board and practice users see them masked."""
    if _is_staff(user):
        return True, ""
    return False, "Bank details are shown to federation staff only."


def can_sign_agreement(user, practice: Practice) -> Verdict:
    """A practice's own user signs the network agreement for their practice;
    staff record a signature from the signed schedule."""
    if keeps_practice_records(user, practice):
        return True, ""
    return False, "Only the practice itself (or federation staff) can sign for this practice."


def can_decide_registration(user) -> Verdict:
    """Staff record the CCG panel's decision."""
    return can_manage_pcns(user)


# State checks -------------------------------------------------------------------

EDITABLE = (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED)


def _already(registration: Registration) -> str:
    who = registration.decided_by or registration.submitted_by
    when = registration.decided_at or registration.submitted_at
    status = registration.get_status_display().lower()
    return f"This registration is already {status}" + (
        f" (by {who}, {when:%-d %b %Y %H:%M})." if who and when else "."
    )


def signing_blocked(
    registration: Registration, practice: Practice, member_ids: set[int], signed_ids: set[int]
) -> str:
    """A member signs once, while the registration is a draft (or returned)."""
    if registration.status not in EDITABLE:
        return _already(registration) + " Signatures can no longer change."
    if practice.pk not in member_ids:
        return f"{practice.name} is not a member of this network for {registration.contract_year}."
    if practice.pk in signed_ids:
        return f"{practice.name} has already signed the network agreement."
    return ""


def submission_blocked(registration: Registration, failing_checks) -> str:
    """Submitted once (again after a return), and only when every check passes."""
    if registration.status not in EDITABLE:
        return _already(registration)
    if failing_checks:
        return "Not ready to submit: " + "; ".join(f"{c.label.lower()} ({c.reason})" for c in failing_checks)
    return ""


def decision_blocked(registration: Registration) -> str:
    """The panel decides a submitted registration, once."""
    if registration.status == RegistrationStatus.SUBMITTED:
        return ""
    if registration.status == RegistrationStatus.DRAFT:
        return "The registration has not been submitted yet."
    return _already(registration)
