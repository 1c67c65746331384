"""Portal-wide action rules: ``can_<verb>(user, obj=None) -> Verdict``.

Three questions, kept apart (STYLE.md, Permissions in two layers):

- which rows a user sees at all: each model's ``visible_to(user)``, so an
  out-of-scope record is 404 (``get_visible_or_404``);
- whether a user's role lets them do this at all: the ``can_<verb>`` rules
  here and in each app's ``permissions.py`` (refused: 403, logged);
- whether the record's state allows it now (evidence already decided, a
  return not yet approved): each app's state checks, answered on the page
  with a clear message, never a 403.

Views and templates ask the same functions (the ``user_can`` template tag).
"""

import logging

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied

security_log = logging.getLogger("fedportal.security")

# (allowed, why not): the reason is shown to the user and logged when refused.
Verdict = tuple[bool, str]


def can_edit_records(user) -> Verdict:
    """Federation staff keep every record; board and practice users read."""
    if user.is_authenticated and user.is_federation_staff:
        return True, ""
    return False, "Only federation staff can change these records."


def can_run_imports(user) -> Verdict:
    """Imports of national NHS files change every practice: staff only."""
    return can_edit_records(user)


def can_browse_federation(user) -> Verdict:
    """Federation-wide lists and dashboards: staff and board."""
    if user.is_authenticated and user.sees_every_practice:
        return True, ""
    return False, "This page is for federation staff and board members."


def require(verdict: Verdict, request) -> None:
    """Raise 403 when a role rule refuses (logged in one line by the 403
    page: ``log_refusal``)."""
    allowed, reason = verdict
    if not allowed:
        raise PermissionDenied(reason)


def log_refusal(request, exception) -> None:
    """One line per refused request: who, which page, which rule said no.
    A refusal is an expected answer, not a fault: no traceback."""
    security_log.warning(
        "permission refused: user=%s path=%s rule=%s",
        getattr(getattr(request, "user", None), "username", "-") or "-",
        request.path,
        str(exception or "") or "-",
    )


def get_visible_or_404(request, queryset, **lookup):
    """Fetch one record through ``queryset.visible_to(user)``: out of scope is
    404, never 403, so ids and codes cannot be probed. The queryset carries
    what the page shows (``select_related``, annotations), so the record is
    fetched once. Out-of-scope requests for records that exist are logged."""
    from django.db.models import Model
    from django.http import Http404

    if isinstance(queryset, type) and issubclass(queryset, Model):
        queryset = queryset.objects.all()
    model = queryset.model
    try:
        return queryset.visible_to(request.user).get(**lookup)
    except model.DoesNotExist:
        if model._base_manager.filter(**lookup).exists():
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

    rule = None  # staticmethod(can_<verb>): (user) -> Verdict

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            require(self.rule(request.user), request)
        return super().dispatch(request, *args, **kwargs)


def user_can_tag(rules: dict):
    """A ``{% user_can "verb" record as allowed %}`` template tag over an app's
    role rules (``{"verb": can_verb}``), so a template asks the very function
    its view does. An unknown verb is an error, never a silent no."""

    def user_can(context, verb: str, *records) -> bool:
        return rules[verb](context["request"].user, *records)[0]

    user_can.__doc__ = f"Whether the signed-in user may: one of {', '.join(sorted(rules))}."
    return user_can
