"""What the views acting on one sub-contract share."""

from django.contrib.auth.mixins import LoginRequiredMixin

from contracts.models import SubContract
from contracts.permissions import can_manage_contracts
from fedportal.permissions import RuleRequiredMixin, can_browse_federation, get_visible_or_404, require


class SubContractActionMixin(LoginRequiredMixin):
    """Finds the sub-contract in the URL within the user's scope (404 outside
    it), then asks ``permission`` whether this user may act on it (403 with
    the rule's reason otherwise)."""

    permission = None  # a contracts.permissions rule: (user, subcontract) -> Verdict

    def get_subcontract(self, request, pk) -> SubContract:
        subcontract = get_visible_or_404(request, SubContract, pk=pk)
        require(self.permission(request.user, subcontract), request)
        return subcontract


class StaffOnlyMixin(RuleRequiredMixin):
    """Contracts, services, tariffs and requirements are kept by federation
    staff: everyone else signed in gets 403."""

    rule = staticmethod(can_manage_contracts)


class FederationMixin(RuleRequiredMixin):
    """Federation-wide pages (services, payment schedules): staff and board."""

    rule = staticmethod(can_browse_federation)
