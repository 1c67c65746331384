"""What the contracts views share: the staff and federation gates of their
read-only pages, and two refinements of the one form page
(``fedportal.form_pages.FormPageView``): a page acting on a sub-contract, and
a page whose record's state may not allow the action."""

from django.contrib import messages
from django.shortcuts import redirect

from contracts.models import SubContract
from contracts.permissions import can_manage_contracts
from fedportal.form_pages import FormPageView
from fedportal.permissions import RuleRequiredMixin, Verdict, can_browse_federation, get_visible_or_404


class StaffOnlyMixin(RuleRequiredMixin):
    """Contracts, services, tariffs and requirements are kept by federation
    staff: everyone else signed in gets 403."""

    rule = staticmethod(can_manage_contracts)


class FederationMixin(RuleRequiredMixin):
    """Federation-wide pages (services, payment schedules): staff and board."""

    rule = staticmethod(can_browse_federation)


class StateCheckedFormPage(FormPageView):
    """A form page acting on a record whose state may not allow the action
    now (``contracts.permissions``' state checks, ``<verb>_blocked``). That is
    answered with a warning and a redirect to the record, never a 403 nor the
    form's errors:

    - ``blocked()`` is asked before the form is shown or read
      (``check_state = "first"``), or, on pages that show the record with the
      form beside it, only when the form is refused
      (``check_state = "when refused"``), so that a valid form reaches the
      service, whose own answer says who acted first;
    - ``conflicts``, the exceptions the service raises when someone else
      acted first, are answered the same way."""

    conflicts: tuple[type[Exception], ...] = ()
    check_state = "first"
    # Added to a refusal of what the user sent, e.g. " Your decision was not recorded."
    not_recorded = ""

    def blocked(self) -> str:
        """Why the record's state does not allow this now; "" when it does."""
        return ""

    def get(self, request, *args, **kwargs):
        if self.check_state == "first" and (blocked := self.blocked()):
            return self.turn_back(blocked)
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.check_state == "first" and (blocked := self.blocked()):
            return self.turn_back(blocked)
        try:
            response = super().post(request, *args, **kwargs)
        except self.conflicts as conflict:
            return self.turn_back(f"{conflict}{self.not_recorded}")
        if response.status_code == 400 and self.check_state == "when refused" and (blocked := self.blocked()):
            return self.turn_back(f"{blocked}{self.not_recorded}")
        return response

    def turn_back(self, message: str):
        messages.warning(self.request, message)
        return redirect(self.object)


class SubContractFormPage(FormPageView):
    """A form page acting on the sub-contract in the URL: fetched once, in
    the user's scope (404 outside it), with what the page shows; then
    ``rule(user, subcontract)`` is asked (403 with its reason)."""

    rule = None  # a contracts.permissions rule: (user, subcontract) -> Verdict

    def get_object(self) -> SubContract:
        subcontract = SubContract.objects.select_related(
            "practice", "service__head_contract__commissioner", "service__head_contract__paying_organisation"
        )
        return get_visible_or_404(self.request, subcontract, pk=self.kwargs["pk"])

    def permission(self) -> Verdict:
        return self.rule(self.request.user, self.object)

    def get_caption(self) -> str:
        return f"{self.object.service.name} · {self.object.practice.name}"
