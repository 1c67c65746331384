"""``{% load pcn_rules %}{% user_can "sign_agreement" practice as can_sign %}``:
the PCN app's role rules, asked from templates."""

from django import template

from fedportal.permissions import user_can_tag
from pcn import permissions

register = template.Library()
register.simple_tag(takes_context=True, name="user_can")(
    user_can_tag(
        {
            "manage_pcns": permissions.can_manage_pcns,
            "see_bank_details": permissions.can_see_bank_details,
            "sign_agreement": permissions.can_sign_agreement,
            "decide_registration": permissions.can_decide_registration,
        }
    )
)
