"""Who may do what with the finance records (fedportal.permissions): staff
keep them, the board reads them, practice users see none of it. Which rows
a user sees is each model's ``visible_to`` (empty for practice users)."""

from fedportal.permissions import Verdict, user_can_tag


def can_read_finance(user) -> Verdict:
    """Finance is the federation's: staff and board members read all of it."""
    if user.is_authenticated and user.is_active and user.sees_every_practice:
        return True, ""
    return False, "Finance is for federation staff and board members."


def can_edit_finance(user) -> Verdict:
    """Federation staff keep the finance records; the board reads them."""
    if user.is_authenticated and user.is_active and user.is_federation_staff:
        return True, ""
    return False, "Only federation staff can change the finance records."


RULES = {"read_finance": can_read_finance, "edit_finance": can_edit_finance}
user_can = user_can_tag(RULES)
