"""The PCN pages ``manage.py bench`` times over the synthetic federation,
beside the Django admin's changelists."""

from fedportal.bench import BenchPage
from pcn.models import PCN, Registration

PCN_ADMIN = "/admin/pcn/pcn/"


def _pcn() -> PCN:
    return PCN.objects.order_by("code").first()


def _registration() -> Registration:
    return Registration.objects.order_by("pk").first()


PAGES = [
    BenchPage("pcn list", "/pcn/", admin_url=PCN_ADMIN),
    BenchPage("pcn list, search", "/pcn/?q=Network%201", admin_url=f"{PCN_ADMIN}?q=Network%201"),
    BenchPage("pcn xlsx, all rows", "/pcn/?_export=xlsx", admin_url=PCN_ADMIN),
    BenchPage(
        "pcn detail",
        lambda: _pcn().get_absolute_url(),
        admin_url=lambda: f"/admin/pcn/membership/?pcn__id__exact={_pcn().pk}",
    ),
    BenchPage(
        "pcn registration", lambda: _registration().get_absolute_url(), admin_url="/admin/pcn/registration/"
    ),
    BenchPage(
        "pcn registration pdf",
        lambda: f"{_registration().get_absolute_url()}pdf/",
        admin_url="/admin/pcn/registration/",
    ),
    BenchPage("pcn coverage", lambda: f"/pcn/coverage/?ccg={_pcn().ccg_code}", admin_url=PCN_ADMIN),
    BenchPage("pcn list, practice user", "/pcn/", role="practice"),
]
