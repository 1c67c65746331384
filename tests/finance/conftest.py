"""The finance tests' world: the demo federation (seed 000 and 001's
figures), loaded as `make run` loads it, with the portal's date pinned to
15 February 2019."""

from datetime import date
from decimal import Decimal

import pytest

from contracts.models import Organisation
from finance.models import Figure, Kind, Line, SharedCost, ShopRate
from tests.demo import demo_loaded_once

DEMO_TODAY = "2019-02-15"


demo_loaded_once_per_module = demo_loaded_once(today=DEMO_TODAY)


@pytest.fixture
def world(staff_user, practice, other_practice, settings):
    """Income and expenditure over ``years`` years and ``lines`` lines, a shared cost and a shop rate."""
    settings.FEDPORTAL_TODAY = "2019-02-15"

    def make(years: int = 3, lines: int = 3):
        ccg = Organisation.objects.get_or_create(name="ELR CCG", defaults={"kind": "commissioner"})[0]
        for n in range(lines):
            line = Line.objects.create(section="income", name=f"Stream {n}", commissioner=ccg, position=n)
            for year in range(2016, 2016 + years):
                Figure.objects.create(
                    line=line, year=year, kind=Kind.NET, amount=Decimal(1000 + n), plan=Decimal(900)
                )
                Figure.objects.create(line=line, year=year, kind=Kind.GROSS, amount=Decimal(5000 + n))
        spend = Line.objects.create(section="expenditure", name="Running costs")
        for year in range(2016, 2016 + years):
            Figure.objects.create(line=spend, year=year, kind=Kind.EXPENDITURE, amount=Decimal("2500.50"))
        SharedCost.objects.create(
            title="GPTeamNet",
            as_at=date(2019, 1, 1),
            contract_cost=Decimal("26040"),
            fee_percent=Decimal("7.5"),
            legal=Decimal("420"),
            management=Decimal("5503.42"),
        )
        ShopRate.objects.create(
            financial_year=2018,
            annual_costs=Decimal("166000"),
            available_hours=1665,
            margin_percent=Decimal("15"),
            vat_percent=Decimal("20"),
        )

    return make
