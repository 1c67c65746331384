"""The practices list in a real browser: log in, filter, download the rows."""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

RUTLAND = [
    ("C82044", "Empingham Medical Centre"),
    ("C82649", "Market Overton & Somerby Surgeries"),
    ("C82010", "Oakham Medical Practice"),
    ("C82077", "The Uppingham Surgery"),
]
EXPORT_HEADER = (
    "ODS code",
    "Practice",
    "Locality",
    "Address",
    "Postcode",
    "Status",
    "Open date",
    "Close date",
    "Shareholder",
    "List size",
    "List size as at",
)


def result_count(total: int) -> re.Pattern:
    """The line above the table: "4 results · Download these rows: …"."""
    return re.compile(rf"^\s*{total} results?\b")


def table_rows(page) -> list[tuple[str, str]]:
    """(ODS code, practice name) of each row of the table, from its links."""
    rows = page.locator("table.fp-table tbody tr")
    return [
        (
            row.locator("td").nth(0).locator("a").inner_text(),
            row.locator("td").nth(1).locator("a").inner_text(),
        )
        for row in rows.all()
    ]


def test_staff_filter_practices_by_locality_and_download_them(page, log_in, console_errors, tmp_path):
    log_in("demo-staff")
    # The NHS.UK JavaScript module ran (it marks the body), so the CSP let it load.
    expect(page.locator("body")).to_have_class(re.compile(r"\bnhsuk-frontend-supported\b"))
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Practices").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Practices")
    # The 30 member practices, and Stackyard and Woolsthorpe (C83653), which
    # the PCN demo knows as a member of a network across the CCG border.
    expect(page.locator(".fp-result-count")).to_have_text(result_count(31))

    page.get_by_label("Locality").select_option(label="Rutland")
    page.get_by_role("button", name="Filter").click()

    expect(page).to_have_url(re.compile(r"[?&]locality=\d+"))
    expect(page.locator(".fp-result-count")).to_have_text(result_count(4))
    expect(page.get_by_label("Locality").locator("option:checked")).to_have_text("Rutland")
    assert table_rows(page) == RUTLAND

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Excel (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "practices.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    workbook = load_workbook(saved, read_only=True)
    rows = list(workbook.active.iter_rows(values_only=True))
    workbook.close()
    assert rows[0] == EXPORT_HEADER
    assert [(row[0], row[1]) for row in rows[1:]] == RUTLAND
    assert {row[2] for row in rows[1:]} == {"Rutland"}

    assert console_errors == []


def test_practice_manager_sees_only_their_practice(page, log_in):
    log_in("demo-practice")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Practices").click()
    expect(page.locator(".fp-result-count")).to_have_text(result_count(1))
    assert table_rows(page) == [("C82025", "The Wycliffe Medical Practice")]

    response = page.goto("/practices/C82010/")  # Oakham, in Rutland: another practice
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Oakham Medical Practice")).to_have_count(0)
