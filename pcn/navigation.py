"""The PCN app's entry in the portal's menu (fedportal.navigation)."""

from fedportal.navigation import MenuItem

NAVIGATION = [
    MenuItem("PCNs", "pcn:pcn-list", audience="everyone", position=35, current_prefixes=("/pcn/",)),
]
