"""The home page's figures, each linked to the list behind it. A report over
the other apps: reports reads them, and nothing imports reports."""

from datetime import date

from django.urls import reverse

from localities.models import Locality, Practice, PracticeStatus


def home_context(user, today: date) -> dict:
    """Federation staff and board: headline figures and the localities'
    patients at ``today``. Practice users: their own practices."""
    practices = Practice.objects.visible_to(user)
    if not user.sees_every_practice:
        return {"my_practices": list(practices.for_table().order_by("name"))}
    localities = list(Locality.objects.visible_to(user).with_population(today, user=user))
    open_count = practices.filter(status=PracticeStatus.OPEN).count()
    shareholders = practices.filter(is_shareholder=True).count()
    practice_list = reverse("localities:practice-list")
    return {
        "headlines": [
            ("Member practices (shareholders)", shareholders, f"{practice_list}?is_shareholder=true"),
            ("Open practices", open_count, f"{practice_list}?status=open"),
            ("Localities", len(localities), reverse("localities:locality-list")),
            (
                "Registered patients",
                sum(loc.population for loc in localities),
                reverse("localities:locality-list"),
            ),
        ],
        "localities": localities,
        "today": today,
    }
