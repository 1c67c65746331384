from django.conf import settings
from django.urls import reverse

from fedportal.clock import pinned_date
from fedportal.navigation import menu_items


def navigation(request):
    """The header's links for the signed-in user's role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        for item in menu_items():
            if item.shown_to(user):
                href = reverse(item.url_name)
                if item.current_prefixes:
                    current = request.path.startswith(item.current_prefixes)
                else:
                    current = request.path == href
                items.append({"label": item.label, "href": href, "current": current})
    return {"navigation": items, "federation_name": settings.FEDERATION_NAME, "pinned_date": pinned_date()}
