"""``{% user_can "edit_finance" as allowed %}`` over the finance app's role rules."""

from django import template

from finance.permissions import user_can

register = template.Library()
register.simple_tag(takes_context=True, name="user_can")(user_can)
