"""The header's menu, put together from the apps' own entries.

fedportal imports no app (DESIGN.md, Layout), so each app lists its pages in
its own ``navigation.py`` and ``settings.FEDPORTAL_NAVIGATION`` names those
lists by dotted path, as it names the apps' demo loaders.
"""

from dataclasses import dataclass
from typing import Literal

from django.conf import settings
from django.utils.module_loading import import_string

# Who sees an entry: every signed-in user, those who read across the
# federation (staff and board), or federation staff only.
Audience = Literal["everyone", "federation", "staff"]


@dataclass(frozen=True)
class MenuItem:
    """One link in the header: its label, the URL name it opens, who sees it,
    the path prefixes of the pages it stands for (marked current there; empty:
    its own page only), and its place in the menu, smallest first, so that
    several apps' entries interleave in one order."""

    label: str
    url_name: str
    audience: Audience
    position: int
    current_prefixes: tuple[str, ...] = ()

    def shown_to(self, user) -> bool:
        if self.audience == "everyone":
            return True
        if self.audience == "federation":
            return user.sees_every_practice
        return user.is_federation_staff


def menu_items() -> list[MenuItem]:
    """Every app's entries, in menu order."""
    items = [item for path in settings.FEDPORTAL_NAVIGATION for item in import_string(path)]
    return sorted(items, key=lambda item: item.position)
