"""Portal-wide action rules: ``can_<verb>(user, obj=None) -> (allowed, reason)``.

Row scoping lives in each model's ``visible_to(user)``; these functions answer
what a user may *do*, for views and templates alike.
"""

import logging

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

security_log = logging.getLogger("fedportal.security")

Decision = tuple[bool, str]


def can_edit_records(user) -> Decision:
    """Federation staff keep every record; board and practice users read."""
    if user.is_authenticated and user.is_federation_staff:
        return True, ""
    return False, "Only federation staff can change these records."


def can_run_imports(user) -> Decision:
    """Imports of national NHS files change every practice: staff only."""
    return can_edit_records(user)


def can_browse_federation(user) -> Decision:
    """Federation-wide lists and dashboards: staff and board."""
    if user.is_authenticated and user.sees_every_practice:
        return True, ""
    return False, "This page is for federation staff and board members."


def require(decision: Decision, request) -> None:
    """Raise 403 (and log it) when a decision refuses."""
    allowed, reason = decision
    if not allowed:
        security_log.warning(
            "permission refused: user=%s path=%s reason=%s",
            getattr(request.user, "username", "-"),
            request.path,
            reason,
        )
        raise PermissionDenied(reason)


def get_visible_or_404(request, model, **lookup):
    """Fetch one object through ``model.objects.visible_to(user)``: out of
    scope is 404, never 403, so ids and codes cannot be probed. Out-of-scope
    requests for records that exist are logged."""
    from django.http import Http404

    try:
        return model.objects.visible_to(request.user).get(**lookup)
    except model.DoesNotExist:
        if model.objects.filter(**lookup).exists():
            security_log.warning(
                "out-of-scope lookup: user=%s path=%s model=%s",
                getattr(request.user, "username", "-"),
                request.path,
                model._meta.label,
            )
        raise Http404(f"No {model._meta.verbose_name} found.") from None


class RuleRequiredMixin(LoginRequiredMixin):
    """A view whose every method needs ``rule(user)`` to allow: anonymous users
    go to the login page, signed-in users it refuses get 403 with its reason."""

    rule = None  # staticmethod(can_<verb>): (user) -> Decision

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(self.rule(request.user), request)
        return super().dispatch(request, *args, **kwargs)
