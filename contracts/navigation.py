"""The contracts app's entries in the portal's menu (fedportal.navigation)."""

from fedportal.navigation import MenuItem

NAVIGATION = [
    MenuItem(
        "Contracts",
        "contracts:contract-list",
        audience="everyone",
        position=40,
        current_prefixes=("/contracts/",),
    ),
    # Services and evidence are kept for the sub-contracts: their pages are
    # under this entry too.
    MenuItem(
        "Sub-contracts",
        "contracts:compliance-dashboard",
        audience="everyone",
        position=50,
        current_prefixes=("/subcontracts/", "/evidence/", "/services/"),
    ),
    MenuItem(
        "Returns",
        "contracts:return-list",
        audience="everyone",
        position=60,
        current_prefixes=("/returns/",),
    ),
]
