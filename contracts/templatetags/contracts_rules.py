"""``{% load contracts_rules %}{% user_can "upload_evidence" subcontract as can_upload %}``:
the contracts app's role rules, asked from templates."""

from django import template

from contracts import permissions
from fedportal.permissions import user_can_tag

register = template.Library()
register.simple_tag(takes_context=True, name="user_can")(
    user_can_tag(
        {
            "manage_contracts": permissions.can_manage_contracts,
            "upload_evidence": permissions.can_upload_evidence,
            "review_evidence": permissions.can_review_evidence,
            "withdraw_evidence": permissions.can_withdraw_evidence,
            "submit_return": permissions.can_submit_return,
            "decide_return": permissions.can_decide_return,
        }
    )
)
