"""The PCN pages ``manage.py bench`` times over the synthetic federation,
beside the Django admin's changelists."""

from fedportal.bench import BenchPage
from pcn.models import PCN, Registration

PCN_ADMIN = "/admin/pcn/pcn/"


# A scale database seeded before pcn had a seeder has no networks: say so,
# rather than fail on None.
NOT_SEEDED = "no PCNs in this database: run `make scale` again to seed them"


def _pcn() -> PCN:
    pcn = PCN.objects.order_by("code").first()
    if pcn is None:
        raise LookupError(NOT_SEEDED)
    return pcn


def _registration() -> Registration:
    registration = Registration.objects.order_by("pk").first()
    if registration is None:
        raise LookupError(NOT_SEEDED)
    return registration


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
    BenchPage(
        "pcn workforce",
        lambda: f"{_pcn().get_absolute_url()}workforce/",
        admin_url=lambda: f"/admin/pcn/workforcepost/?pcn__id__exact={_pcn().pk}",
    ),
    BenchPage(
        "pcn maturity",
        lambda: f"{_pcn().get_absolute_url()}maturity/",
        admin_url="/admin/pcn/maturityassessment/",
    ),
    BenchPage("pcn list, practice user", "/pcn/", role="practice"),
]
