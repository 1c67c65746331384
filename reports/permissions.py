"""Who may do what with the board's papers (role rules; rows are scoped by
each model's ``visible_to``)."""

from fedportal.permissions import Verdict, can_browse_federation, can_edit_records


def can_keep_papers(user) -> Verdict:
    """Workstreams, updates, risks, actions, meetings, drafts and publishing: staff."""
    return can_edit_records(user)


def can_read_published(user) -> Verdict:
    """Published reports: staff and board members."""
    return can_browse_federation(user)


def can_verify(user) -> Verdict:
    """Anyone signed in may check whether a PDF they hold is a published version."""
    if user.is_authenticated and user.is_active:
        return True, ""
    return False, "Sign in to check a PDF."
