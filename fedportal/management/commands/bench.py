"""``manage.py bench``: times the pages listed by ``settings.FEDPORTAL_BENCH_PAGES``
through Django's test client, over the synthetic data of ``manage.py seed_scale``,
each beside its Django admin page so that the figures read as ratios.

Timings are for reading, never for pass/fail: this machine is noisy.
"""

import math
import statistics
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils.module_loading import import_string

from fedportal.bench import BenchPage, resolve
from fedportal.models import User
from fedportal.scale import SCALE_USERS, database_name

ADMIN_ROLE = "admin"


@dataclass
class Measure:
    url: str
    status: int
    median_ms: float
    p95_ms: float
    queries: int
    size: int


def fetch(client: Client, url: str) -> tuple[int, int]:
    """GET ``url`` and read its whole body (streamed exports included): the
    status and the number of bytes. The client closes the response itself (at
    the end of the stream for a streamed one), keeping the database connection."""
    response = client.get(url)
    if response.streaming:
        return response.status_code, sum(len(chunk) for chunk in response.streaming_content)
    return response.status_code, len(response.content)


def measure(client: Client, url: str, repeat: int) -> Measure:
    """One warm-up request, one counting the SQL queries, then ``repeat`` timed."""
    fetch(client, url)
    with CaptureQueriesContext(connection) as queries:
        status, size = fetch(client, url)
    # Read now: every request empties the connection's log of queries.
    query_count = len(queries)
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        fetch(client, url)
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p95 = timings[max(0, math.ceil(0.95 * len(timings)) - 1)]
    return Measure(url, status, statistics.median(timings), p95, query_count, size)


def all_pages() -> list[BenchPage]:
    return [page for dotted in settings.FEDPORTAL_BENCH_PAGES for page in import_string(dotted)]


class Command(BaseCommand):
    help = (
        "Time the main pages over the synthetic federation of seed_scale (median and 95th "
        "percentile, SQL queries, bytes), each beside the Django admin over the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=20, help="timed requests per page (default 20)")
        parser.add_argument("--only", default="", help="only pages whose name contains this")

    def handle(self, *args, repeat, only, **options):
        if repeat < 1:
            raise CommandError("--repeat must be at least 1.")
        pages = [page for page in all_pages() if only.lower() in page.name.lower()]
        if not pages:
            raise CommandError(f"No page's name contains {only!r}.")
        clients: dict[str, Client] = {}
        for role in {page.role for page in pages} | {ADMIN_ROLE}:
            clients[role] = self.client_for(role)
        self.stdout.write(
            f"Database {database_name()!r}, DEBUG {settings.DEBUG}, {repeat} timed requests a page "
            "after one warm-up. Times in ms; admin = the Django admin over the same rows, as "
            f"{SCALE_USERS[ADMIN_ROLE]}; ratio = median / admin median."
        )
        header = (
            f"{'page':<34} {'role':<8} {'median':>8} {'p95':>8} {'queries':>7} {'KB':>7}"
            f" | {'admin':>8} {'p95':>8} {'queries':>7} {'KB':>7} | {'ratio':>6}"
        )
        self.stdout.write(header)
        self.stdout.write("-" * len(header))
        failures = []
        urls = []
        for page in pages:
            try:
                url, admin_url = resolve(page.url), resolve(page.admin_url)
                result = measure(clients[page.role], url, repeat)
                admin = measure(clients[ADMIN_ROLE], admin_url, repeat) if admin_url else None
            except Exception as error:  # one broken page must not hide the others
                failures.append(f"{page.name}: {type(error).__name__}: {error}")
                self.stdout.write(f"{page.name:<34} {page.role:<8} failed: {type(error).__name__}")
                continue
            for m in (result, admin):
                if m is not None and m.status != 200:
                    failures.append(f"{page.name}: {m.url} answered {m.status}")
            self.stdout.write(self.row(page, result, admin))
            self.stdout.flush()
            urls.append(f"  {page.name}: {url}" + (f"  (admin {admin_url})" if admin_url else ""))
        self.stdout.write("URLs:\n" + "\n".join(urls))
        if failures:
            raise CommandError(f"{len(failures)} page(s) failed:\n  " + "\n  ".join(failures))

    def client_for(self, role: str) -> Client:
        try:
            user = User.objects.get(username=SCALE_USERS[role])
        except (KeyError, User.DoesNotExist):
            raise CommandError(
                f"No {role} user ({SCALE_USERS.get(role, '?')}): run `make scale` (manage.py seed_scale) first."
            ) from None
        client = Client()
        client.force_login(user)
        return client

    @staticmethod
    def row(page: BenchPage, result: Measure, admin: Measure | None) -> str:
        def figures(m: Measure | None) -> str:
            if m is None:
                return f"{'-':>8} {'-':>8} {'-':>7} {'-':>7}"
            median = f"{m.median_ms:8.1f}" if m.status == 200 else f"{'HTTP ' + str(m.status):>8}"
            return f"{median} {m.p95_ms:8.1f} {m.queries:7d} {m.size / 1024:7.0f}"

        ratio = f"{result.median_ms / admin.median_ms:6.2f}" if admin and admin.median_ms else f"{'-':>6}"
        return f"{page.name:<34} {page.role:<8} {figures(result)} | {figures(admin)} | {ratio}"
