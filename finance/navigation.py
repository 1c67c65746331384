"""The finance app's entry in the portal's menu: staff and board only."""

from fedportal.navigation import MenuItem

NAVIGATION = [
    MenuItem(
        "Finance", "finance:overview", audience="federation", position=70, current_prefixes=("/finance/",)
    ),
]
