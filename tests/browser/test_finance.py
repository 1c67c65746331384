"""Finance in a real browser: a board member opens /finance/ from the menu,
goes to the income and expenditure summary (seed 001, Table 2), downloads it
as a workbook, and the workbook's cells are the page's numbers, which are
the seed's."""

import re
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

YEARS = ["2016/17", "2017/18", "2018/19", "2019/20"]
# Seed 001, Table 2: total income, expenses and the surplus or deficit by year, and their totals.
TOTAL_INCOME = [106494, 162508, 215017, 133390, 617409]
EXPENSES = [102865, 147092, 168000, 170000, 587957]
SURPLUS = [3629, 15416, 47017, -36610, 29452]


def shown(amount: str) -> Decimal:
    """A figure as the page writes it (£1,234.00, -£36,610.00) as a number."""
    return Decimal(amount.replace("£", "").replace(",", "").strip())


def test_a_board_member_downloads_table_2_and_the_workbook_holds_its_numbers(
    page, log_in, console_errors, tmp_path
):
    log_in("demo-board")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Finance").click()
    expect(page).to_have_url(re.compile(r"/finance/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Finance")
    # The charts are drawn on the server and named for screen readers.
    expect(page.get_by_role("img", name="Net income and expenses by financial year")).to_be_visible()

    page.get_by_role("link", name="Income and expenditure summary (Table 2)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Income and expenditure summary")
    surplus_row = page.locator('tr[data-total="surplus"] td')
    on_page = [shown(cell) for cell in surplus_row.all_inner_texts()[: len(YEARS) + 1]]
    assert on_page == [Decimal(n) for n in SURPLUS]

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download this table (.xlsx)").click()
    download = download_info.value
    assert download.suggested_filename == "income-and-expenditure.xlsx"
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)

    sheet = load_workbook(saved).active
    rows = {row[0].value: row for row in sheet.iter_rows() if row[0].value}
    assert [c.value for c in rows["Line"][1 : len(YEARS) + 2]] == [*YEARS, "Total"]
    for label, expected in [("Total", TOTAL_INCOME), ("Expenses", EXPENSES), ("Surplus / deficit", SURPLUS)]:
        cells = rows[label][1 : len(YEARS) + 2]
        assert [Decimal(str(c.value)) for c in cells] == [Decimal(n) for n in expected], label
        assert all(c.font.b for c in cells), label
    # A deficit in brackets, as the board reads it; the header frozen.
    assert rows["Surplus / deficit"][4].number_format.startswith('"£"#,##0.00;("£"#,##0.00)')
    assert sheet.freeze_panes is not None
    # The filters used, written above the table.
    assert rows["Financial years"][1].value == "2016/17 to 2019/20"

    assert console_errors == []


def test_staff_import_a_changed_workbook_through_the_pages_and_every_page_passes_axe(page, log_in, tmp_path):
    from finance.workbook import HEADERS, SHEET
    from tests.browser.test_accessibility import AXE_SOURCE, axe_violations

    assert AXE_SOURCE, "axe-core is installed by `make` (npm ci) into node_modules"
    log_in("demo-staff")
    checked = {}
    for path in [
        "/finance/",
        "/finance/transformation-fund/",
        "/finance/transformation-fund/new/",
        "/finance/per-patient/new/",
        "/finance/shop-rate/",
        "/finance/import/",
    ]:
        page.goto(path)
        checked[path] = axe_violations(page)

    page.goto("/finance/import/")
    with page.expect_download() as download_info:
        page.get_by_role("link", name="export the figures").click()
    saved = tmp_path / "figures.xlsx"
    download_info.value.save_as(saved)
    book = load_workbook(saved)
    sheet = book[SHEET]
    for row in sheet.iter_rows(min_row=2):
        if row[1].value == "Other" and row[3].value == "2016/17" and row[4].value == "Net income":
            row[HEADERS.index("Amount")].value = "lots"
    book.save(saved)

    page.get_by_label("Finance workbook (.xlsx)").set_input_files(saved)
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_role("heading", level=2, name=re.compile("1 bad cell"))).to_be_visible()
    expect(
        page.get_by_text(re.compile(r"Figures, row \d+, column G \(Amount\): “lots” is not an amount"))
    ).to_be_visible()
    expect(page.get_by_role("button", name="Confirm and import")).to_have_count(0)
    checked["import preview, failed"] = axe_violations(page)
    assert checked == {key: [] for key in checked}
