"""Finance on the synthetic federation of ``seed_scale``: ten years of lines
across 30 commissioners and every locality, and every finance page that
``bench`` times answering in at most 12 queries (the same count as on the
demo's few lines)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client

from fedportal.bench import resolve
from fedportal.models import User
from fedportal.scale import SCALE_USERS
from finance.bench import PAGES
from finance.models import Figure, Line, SharedCost, SharedCostPart, TransformationProject
from localities.models import Locality

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


@pytest.fixture
def scale(settings, scale_without_board_papers):
    settings.FEDPORTAL_TODAY = TODAY.isoformat()
    out = StringIO()
    call_command("seed_scale", practices=30, seed=7, today=TODAY, stdout=out)
    return out.getvalue()


def test_seed_scale_adds_ten_years_of_finance_across_the_localities(scale):
    assert "finance: figures for 10 years" in scale
    assert set(Figure.objects.values_list("year", flat=True)) == set(range(2018, 2028))
    assert Line.objects.filter(section="income").count() == Locality.objects.count() + 30
    assert Line.objects.values("commissioner").distinct().count() > 10
    assert TransformationProject.objects.values("locality").distinct().count() == Locality.objects.count()
    published = SharedCost.objects.get(status="published")
    assert SharedCostPart.objects.filter(shared_cost=published).count() >= 1


def test_every_finance_bench_page_answers_in_at_most_12_queries(scale, django_assert_max_num_queries):
    clients = {}
    for page in PAGES:
        if page.role not in clients:
            clients[page.role] = Client()
            clients[page.role].force_login(User.objects.get(username=SCALE_USERS[page.role]))
        url = resolve(page.url)
        with django_assert_max_num_queries(12, info=page.name):
            response = clients[page.role].get(url)
        assert response.status_code == 200, page.name


def test_bench_times_the_finance_pages_beside_the_admin(scale):
    out = StringIO()
    call_command("bench", only="finance", repeat=1, stdout=out)
    for page in PAGES:
        assert page.name in out.getvalue()
