"""Real-browser tests: Debian's Chromium, driven by Playwright's sync API,
against pytest-django's live server with the demo federation loaded.

Playwright never downloads a browser here: it launches the system's
``chromium`` (``make test`` installs it) with flags for a machine without a
network. When Chromium is missing the tests fail, never skip.

Playwright's sync API runs an asyncio loop in the main thread from ``start()``
to ``stop()``, and Django refuses ORM calls while a loop runs there
(SynchronousOnlyOperation). So the driver lives for this package only: it sets
DJANGO_ALLOW_ASYNC_UNSAFE while the browser tests run, and stops (taking the
loop and the variable with it) before the rest of the suite.
"""

import io
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from fedportal.demo import demo_password

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",  # containers often have a small /dev/shm
]
# Long enough for a slow CI machine, short enough that a broken page fails fast.
TIMEOUT_MS = 15_000


def chromium_executable() -> str:
    found = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if found is None:
        pytest.fail(
            "Debian's chromium is not installed, and the browser tests need it "
            "(Playwright never downloads its own). Run `make chromium` (make test does), "
            "or `apt-get install chromium`.",
            pytrace=False,
        )
    return found


@pytest.fixture(scope="package")
def playwright() -> Iterator:
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="package")
def browser(playwright) -> Iterator:
    browser = playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def demo_federation(transactional_db) -> None:
    """The demo federation (30 practices, six localities, the demo logins),
    loaded afresh for each test: the transactional database is emptied after it."""
    call_command("load_demo", force=True, stdout=io.StringIO())


@pytest.fixture
def page(browser, live_server, demo_federation) -> Iterator:
    """A fresh browser context (no cookies) on the live server; downloads accepted."""
    context = browser.new_context(base_url=live_server.url, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def console_errors(page) -> list[str]:
    """Console messages of type error (CSP violations among them) and uncaught
    script exceptions, collected from the moment the test starts."""
    errors: list[str] = []

    def on_console(message) -> None:
        if message.type == "error":
            location = message.location
            errors.append(f"{message.text} ({location.get('url', '')}:{location.get('lineNumber', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"uncaught: {error}"))
    return errors


@pytest.fixture
def log_in(page) -> Callable[[str], None]:
    """Log in through the real login form as one of the demo users."""
    from playwright.sync_api import expect

    def log_in_as(username: str) -> None:
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(demo_password())
        page.get_by_role("button", name="Log in").click()
        expect(page.get_by_role("button", name="Log out")).to_be_visible()

    return log_in_as
