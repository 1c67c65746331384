from django.conf import settings
from django.urls import reverse

from fedportal.clock import pinned_date

# (label, url name, who sees it, the path prefixes that mark it current; None: its own page only)
NAVIGATION = [
    ("Home", "home", "everyone", None),
    ("Localities", "localities:locality-list", "federation", ("/localities/",)),
    ("Practices", "localities:practice-list", "everyone", ("/practices/",)),
    ("Contracts", "contracts:contract-list", "everyone", ("/contracts/",)),
    (
        "Sub-contracts",
        "contracts:compliance-dashboard",
        "everyone",
        ("/subcontracts/", "/evidence/", "/services/"),
    ),
    ("Returns", "contracts:return-list", "everyone", ("/returns/",)),
    ("Imports", "localities:import-start", "staff", ("/imports/",)),
]


def _sees(user, audience: str) -> bool:
    if audience == "everyone":
        return True
    if audience == "federation":
        return user.sees_every_practice
    return user.is_federation_staff


def navigation(request):
    """The header's links for the signed-in user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for label, url_name, audience, prefix in NAVIGATION:
            if _sees(user, audience):
                href = reverse(url_name)
                current = (request.path == href) if prefix is None else request.path.startswith(prefix)
                items.append({"label": label, "href": href, "current": current})
    return {"navigation": items, "federation_name": settings.FEDERATION_NAME, "pinned_date": pinned_date()}
