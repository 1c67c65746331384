"""The pages ``manage.py bench`` times. Each app lists its own in a module
named by ``settings.FEDPORTAL_BENCH_PAGES`` (``localities.bench.PAGES``)."""

from collections.abc import Callable
from dataclasses import dataclass

# A URL, or a function returning one, called once the synthetic data exists
# (for pages whose URL names a record: a locality's slug, a practice's code).
Url = str | Callable[[], str]


@dataclass(frozen=True)
class BenchPage:
    """One page to time, as the user of ``role`` (a key of
    ``fedportal.scale.SCALE_USERS``: staff, board, practice, admin).

    ``admin_url`` is the Django admin page over the same rows (the changelist
    of the same model, usually), timed beside it as the superuser so that each
    figure reads as a ratio on a noisy machine. Export URLs
    (``?_export=xlsx``) are pages too: their whole body is read."""

    name: str
    url: Url
    role: str = "staff"
    admin_url: Url | None = None


def resolve(url: Url | None) -> str | None:
    return url() if callable(url) else url
