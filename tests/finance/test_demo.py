"""The demo's finance, as the pages compute it from the seed's lines: the
totals of seed 001's Tables 1 and 2, the GPTeamNet split of seed 000, the
shop rate and the 25p-per-patient figure."""

import re
from decimal import Decimal

import lxml.html
import pytest

from finance.models import Figure, Line, SharedCost

pytestmark = pytest.mark.django_db


def cells(page: bytes, xpath: str) -> list[str]:
    tree = lxml.html.fromstring(page.decode())
    return [" ".join(td.text_content().split()) for td in tree.xpath(xpath)]


def total_row(page: bytes, which: str) -> list[str]:
    return cells(page, f'//table[@id="summary-table"]//tr[@data-total="{which}"]/td[normalize-space()]')


def test_table_1_adds_up_to_the_seed(demo_client):
    page = demo_client("board").get("/finance/income-streams/").content
    assert total_row(page, "1") == [
        "£82,000.00",
        "£468,200.00",
        "£1,189,786.00",
        "£310,700.00",
        "£2,050,686.00",
    ]
    assert total_row(page, "2") == ["£109,000.00", "£109,000.00", "£109,000.00", "£0.00", "£327,000.00"]
    assert "Fed element only - estimated" in page.decode()
    assert "LCC / RCC" in page.decode()


def test_table_2_adds_up_to_the_seed(demo_client):
    page = demo_client("board").get("/finance/income-and-expenditure/").content
    assert total_row(page, "1") == ["£106,494.00", "£162,508.00", "£215,017.00", "£133,390.00", "£617,409.00"]
    assert total_row(page, "2") == ["£102,865.00", "£147,092.00", "£168,000.00", "£170,000.00", "£587,957.00"]
    assert total_row(page, "surplus") == [
        "£3,629.00",
        "£15,416.00",
        "£47,017.00",
        "-£36,610.00",
        "£29,452.00",
    ]
    text = page.decode()
    for comment in (
        "FY19/20 TBC with CCG (Tim Sacks)(0.25p ex-VAT)",
        "DHU ex-VAT",
        "Estimates",
        "CCG set-up",
    ):
        assert comment in text


def test_only_lines_are_stored_never_totals(demo):
    assert not Line.objects.filter(name__icontains="total").exists()
    assert Figure.objects.filter(line__name="Urgent care").count() == 2  # gross and net


def test_the_gpteamnet_split_is_seed_000s_to_the_penny(demo_client):
    shared = SharedCost.objects.get(title="GPTeamNet")
    page = demo_client("board").get(f"/finance/shared-costs/{shared.pk}/").content
    total = cells(page, '//table[@id="split"]//tr[@class="fp-total"]/td')
    assert total == ["328,944", "100%", "£26,040.00", "£1,953.00", "£420.00", "£5,503.42", "£33,916.42"]
    rutland = cells(page, '//table[@id="split"]//tr[th="Rutland"]/td')
    assert rutland[0] == "37,917"
    assert rutland[2:] == ["£3,001.60", "£225.12", "£48.41", "£634.37", "£3,909.50"]


def test_the_fees_table_is_appendix_1(demo_client):
    page = demo_client("board").get("/finance/transformation-fund/").content
    total = cells(page, '//table[@id="fees"]//tr[@class="fp-total"]/td[normalize-space()]')
    # The seed prints 56,782 for the fees: its cells hold pence the paper does not show.
    assert total == [
        "£56,783.00",
        "328,944",
        "£26,040.00",
        "£1,953.00",
        "£420.00",
        "£5,503.42",
        "£33,916.42",
        "£51,807.00",
        "£56,203.00",
    ]


def test_the_shop_rate_and_the_25p(demo_client):
    page = demo_client("board").get("/finance/shop-rate/").content.decode()
    assert re.search(r'id="rate-2018"><strong>£138.00<', page)
    assert "£99.70, rounded to the pound" in page
    assert "£82,236.00" in page and "328,944" in page


def test_the_overview_shows_the_outturn_its_movement_and_the_plan(demo_client):
    page = demo_client("board").get("/finance/").content
    outturn = cells(page, '//dl[@id="outturn"]//dd')
    assert outturn[0] == "£47,017.00"
    # January's paper: running costs 165,000 and locality support 32,000.
    assert outturn[1] == "£42,017.00"
    assert outturn[2] == "£5,000.00"
    movements = cells(page, '//table[@id="movements"]//tbody/tr/td[4]')
    assert sorted(movements) == ["£3,000.00", "£8,000.00"]
    assert b"Note needed" not in page
    year = cells(page, '//div[@id="year-2019"]//table[1]//tr/td')
    assert year[:2] == ["£133,390.00", "£142,390.00"]


def test_loading_twice_changes_nothing(demo, settings):
    from io import StringIO

    from django.core.management import call_command

    before = (Line.objects.count(), Figure.objects.count(), sum(f.amount for f in Figure.objects.all()))
    call_command("load_demo", force=True, stdout=StringIO())
    assert (
        Line.objects.count(),
        Figure.objects.count(),
        sum(f.amount for f in Figure.objects.all()),
    ) == before
    assert sum(f.amount for f in Figure.objects.filter(kind="net")) == Decimal("617409")
