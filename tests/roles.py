"""Who reaches what: the status each role gets on a page, for the permission
tables of every app's tests. A role missing from a table (anonymous) is sent
to the login page."""

import pytest

OK, REDIRECT, FORBIDDEN, NOT_FOUND = 200, 302, 403, 404
ROLES = ("staff", "board", "practice", "administrator", "anonymous")

EVERYONE = {"staff": OK, "board": OK, "practice": OK, "administrator": OK}
STAFF_ONLY = {"staff": OK, "board": FORBIDDEN, "practice": FORBIDDEN, "administrator": OK}
NOT_FOR_PRACTICE = {"staff": OK, "board": OK, "practice": NOT_FOUND, "administrator": OK}
# Staff pages about another practice: the practice user must not learn it exists.
STAFF_ONLY_OUT_OF_SCOPE = {"staff": OK, "board": FORBIDDEN, "practice": NOT_FOUND, "administrator": OK}


def role_table(pages) -> list:
    """One case per page and role, from ``(path, {role: status})`` pairs."""
    return [
        pytest.param(path, role, expected.get(role), id=f"{role}:{path}")
        for path, expected in pages
        for role in ROLES
    ]
