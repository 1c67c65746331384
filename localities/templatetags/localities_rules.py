"""``{% load localities_rules %}{% user_can "edit_records" as can_edit %}``:
the portal-wide role rules the localities pages use, asked from templates."""

from django import template

from fedportal import permissions
from fedportal.permissions import user_can_tag

register = template.Library()
register.simple_tag(takes_context=True, name="user_can")(
    user_can_tag(
        {
            "edit_records": permissions.can_edit_records,
            "run_imports": permissions.can_run_imports,
            "browse_federation": permissions.can_browse_federation,
        }
    )
)
