"""The localities app's entries in the portal's menu (fedportal.navigation)."""

from fedportal.navigation import MenuItem

NAVIGATION = [
    MenuItem(
        "Localities",
        "localities:locality-list",
        audience="federation",
        position=20,
        current_prefixes=("/localities/",),
    ),
    MenuItem(
        "Practices",
        "localities:practice-list",
        audience="everyone",
        position=30,
        current_prefixes=("/practices/",),
    ),
    # Last in the menu: the staff's tool rather than a page to read.
    MenuItem(
        "Imports",
        "localities:import-start",
        audience="staff",
        position=90,
        current_prefixes=("/imports/",),
    ),
]
