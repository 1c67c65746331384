"""One run at a time of a job that reads who was told before it writes that
they were (the reminder commands): a PostgreSQL advisory lock, so that two
runs at once (cron and a person, say) cannot both remind everyone."""

from contextlib import contextmanager

from django.db import connection


class RunInProgress(Exception):
    """Another run holds the job's lock."""


@contextmanager
def one_run_at_a_time(key: int):
    """Hold the advisory lock ``key`` (any number unique to the job) for the
    block; raise ``RunInProgress`` at once, without waiting, if it is held."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        if not cursor.fetchone()[0]:
            raise RunInProgress
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
