"""The reports app's entries in the portal's menu (fedportal.navigation)."""

from fedportal.navigation import MenuItem

NAVIGATION = [
    # No prefixes: current on the home page only.
    MenuItem("Home", "home", audience="everyone", position=10),
    MenuItem(
        "Board reports",
        "reports:report-list",
        audience="federation",
        position=80,
        current_prefixes=("/reports/",),
    ),
]
