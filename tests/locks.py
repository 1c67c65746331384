"""A job's advisory lock held by another session, as a second run would hold it."""

from contextlib import contextmanager

from django.db import connections


@contextmanager
def held_by_another_run(key: int):
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [key])
        yield
    finally:
        # Unlocked explicitly: a closed connection's backend releases its
        # locks a moment after the client has gone, which raced the next run.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        other.close()
