"""Every page passes axe-core (WCAG 2.2 AA) with zero violations, for each
role: a crawl from the home page following the portal's own links, one page
per URL name (the same template with other rows adds nothing), with axe-core
(from npm, in node_modules) injected into each page it visits."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Links that are not pages: files, and signing out.
NOT_PAGES = ("_export=", "/download", "/logout", "/admin/", ".xlsx", ".pdf", "/pdf/", ".csv")
MAX_PAGES = 60
AXE_SOURCE = AXE.read_text() if AXE.exists() else ""


def axe_violations(page) -> list[str]:
    # Evaluated through the DevTools protocol, which the page's CSP (no
    # inline script) does not govern: the page itself stays as served.
    page.evaluate(AXE_SOURCE)
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def internal_links(page, origin: str) -> list[str]:
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if f"{parts.scheme}://{parts.netloc}" != origin or any(x in href for x in NOT_PAGES):
            continue
        found.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return found


def url_name(path: str) -> str | None:
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    # A filtered list is the same page as the list: one visit per name and query keys.
    keys = sorted({pair.split("=")[0] for pair in urlsplit(path).query.split("&") if pair})
    return f"{match.view_name}?{','.join(k for k in keys if k not in ('page', 'sort'))}"


@pytest.mark.parametrize("username", ["demo-staff", "demo-board", "demo-practice"])
def test_every_page_a_role_reaches_has_no_axe_violations(page, live_server, log_in, username):
    assert AXE.exists(), "axe-core is installed by `make` (npm ci) into node_modules"
    log_in(username)
    origin = live_server.url
    queue, seen, visited, failures = ["/"], set(), [], {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        name = url_name(path)
        if name is None or name in seen:
            continue
        seen.add(name)
        try:
            response = page.goto(path)
        except PlaywrightError as error:
            if "Download is starting" in str(error):
                continue  # a file, not a page
            raise
        if (
            response is None
            or response.status != 200
            or "text/html" not in response.headers.get("content-type", "")
        ):
            continue
        visited.append(path)
        if violations := axe_violations(page):
            failures[path] = violations
        queue.extend(internal_links(page, origin))
    assert len(visited) >= 3, visited
    assert failures == {}, failures
