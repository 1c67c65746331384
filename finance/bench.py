"""The finance pages ``manage.py bench`` times over the synthetic federation
(ten years of lines, 200 localities), beside the Django admin's changelists
of the same rows."""

from fedportal.bench import BenchPage
from finance.models import SharedCost, TransformationProject

FIGURES_ADMIN = "/admin/finance/figure/"
LINES_ADMIN = "/admin/finance/line/"
SHARED_ADMIN = "/admin/finance/sharedcost/"

# A scale database seeded before finance had a seeder has none of it: say so.
NOT_SEEDED = "no finance records in this database: run `make scale` again to seed them"


def _shared_cost(published: bool) -> str:
    cost = SharedCost.objects.filter(status="published" if published else "draft").order_by("pk").first()
    if cost is None:
        raise LookupError(NOT_SEEDED)
    return cost.get_absolute_url()


def _project() -> str:
    project = TransformationProject.objects.order_by("pk").first()
    if project is None:
        raise LookupError(NOT_SEEDED)
    return project.get_absolute_url()


PAGES = [
    BenchPage("finance overview", "/finance/", role="board", admin_url=FIGURES_ADMIN),
    BenchPage("finance table 1", "/finance/income-streams/", role="board", admin_url=LINES_ADMIN),
    BenchPage(
        "finance table 1 xlsx", "/finance/income-streams/?_export=xlsx", role="board", admin_url=LINES_ADMIN
    ),
    BenchPage("finance table 2", "/finance/income-and-expenditure/", role="board", admin_url=FIGURES_ADMIN),
    BenchPage(
        "finance table 2 xlsx",
        "/finance/income-and-expenditure/?_export=xlsx",
        role="board",
        admin_url=FIGURES_ADMIN,
    ),
    BenchPage(
        "finance split, draft (200 loc.)", lambda: _shared_cost(False), role="board", admin_url=SHARED_ADMIN
    ),
    BenchPage(
        "finance split xlsx, draft",
        lambda: f"{_shared_cost(False)}?_export=xlsx",
        role="board",
        admin_url=SHARED_ADMIN,
    ),
    BenchPage(
        "finance split, published",
        lambda: _shared_cost(True),
        role="board",
        admin_url="/admin/finance/sharedcost/",
    ),
    BenchPage(
        "finance TF fees",
        "/finance/transformation-fund/",
        role="board",
        admin_url="/admin/finance/transformationproject/",
    ),
    BenchPage(
        "finance TF project", _project, role="board", admin_url="/admin/finance/transformationproject/"
    ),
    BenchPage(
        "finance shop rate",
        "/finance/shop-rate/",
        role="board",
        admin_url="/admin/finance/perpatientfunding/",
    ),
    BenchPage("finance workbook export", "/finance/export/", role="staff", admin_url=FIGURES_ADMIN),
    BenchPage(
        "finance import page", "/finance/import/", role="staff", admin_url="/admin/finance/financeimport/"
    ),
]
