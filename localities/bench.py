"""The localities pages ``manage.py bench`` times over the synthetic federation
of ``manage.py seed_scale``, each beside the Django admin over the same rows."""

import math
from datetime import timedelta

from fedportal.bench import BenchPage
from fedportal.clock import today
from localities.models import Locality, Practice

PRACTICE_ADMIN = "/admin/localities/practice/"
LOCALITY_ADMIN = "/admin/localities/locality/"
SEARCH = "park"


def _locality() -> Locality:
    return Locality.objects.order_by("name").first()


def _practice() -> Practice:
    return Practice.objects.order_by("ods_code").first()


def _page(number: int, per_page: int) -> int:
    """Page ``number``, or the last page of a smaller federation (the tests')."""
    return max(1, min(number, math.ceil(Practice.objects.count() / per_page)))


def _two_years_ago() -> str:
    return (today() - timedelta(days=730)).isoformat()


PAGES = [
    BenchPage("practice list", "/practices/", admin_url=PRACTICE_ADMIN),
    BenchPage(
        "practice list, one locality",
        lambda: f"/practices/?locality={_locality().pk}",
        admin_url=lambda: f"{PRACTICE_ADMIN}?locality__id__exact={_locality().pk}",
    ),
    BenchPage("practice list, search", f"/practices/?q={SEARCH}", admin_url=f"{PRACTICE_ADMIN}?q={SEARCH}"),
    # The admin has no list size: its nearest is a sort on another column.
    BenchPage(
        "practice list, by list size", "/practices/?sort=-list_size", admin_url=f"{PRACTICE_ADMIN}?o=-4"
    ),
    # Rows 2,451-2,500; the admin shows 100 a page, so its page 25 holds them.
    BenchPage(
        "practice list, page 50",
        lambda: f"/practices/?page={_page(50, 50)}",
        admin_url=lambda: f"{PRACTICE_ADMIN}?p={_page(25, 100)}",
    ),
    # The admin has no export: its first page is only the yardstick here.
    BenchPage("practices xlsx, all rows", "/practices/?_export=xlsx", admin_url=PRACTICE_ADMIN),
    BenchPage("practices csv, all rows", "/practices/?_export=csv", admin_url=PRACTICE_ADMIN),
    BenchPage("practice list, practice user", "/practices/", role="practice"),
    BenchPage(
        "locality list, population 2y ago",
        lambda: f"/localities/?as_at={_two_years_ago()}",
        admin_url=LOCALITY_ADMIN,
    ),
    BenchPage(
        "locality detail",
        lambda: _locality().get_absolute_url(),
        admin_url=lambda: f"{PRACTICE_ADMIN}?locality__id__exact={_locality().pk}",
    ),
    BenchPage(
        "practice detail",
        lambda: _practice().get_absolute_url(),
        # Its list sizes: the admin's change page is no yardstick (its
        # merged-into select lists every practice).
        admin_url=lambda: f"/admin/localities/listsize/?practice__id__exact={_practice().pk}",
    ),
    BenchPage("home dashboard", "/", admin_url=LOCALITY_ADMIN),
    BenchPage("home dashboard, board", "/", role="board", admin_url=LOCALITY_ADMIN),
]
