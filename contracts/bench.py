"""The contracts pages ``manage.py bench`` times (issue 3): the compliance
dashboard, the sub-contract and evidence lists, returns, and the payment
schedule export, each beside the Django admin changelist of its rows."""

from django.urls import reverse

from contracts.models import Service, SubContract
from fedportal.bench import BenchPage
from fedportal.clock import today
from fedportal.periods import Quarter


def _url(name: str, *args, query: str = ""):
    return lambda: reverse(f"contracts:{name}", args=[a() if callable(a) else a for a in args]) + query


def _last_quarter() -> str:
    return Quarter.of(today()).previous().key


def _first_subcontract() -> int:
    return SubContract.objects.order_by("pk").values_list("pk", flat=True).first()


def _h_pylori() -> str:
    return Service.objects.get(slug="h-pylori").slug


def _h_pylori_filter() -> str:
    return f"?service={Service.objects.get(slug='h-pylori').pk}"


def _dashboard_filtered() -> str:
    return reverse("contracts:compliance-dashboard") + _h_pylori_filter()


def _admin_filtered() -> str:
    return f"/admin/contracts/subcontract/?service__id__exact={Service.objects.get(slug='h-pylori').pk}"


PAGES = [
    BenchPage(
        "compliance dashboard", _url("compliance-dashboard"), admin_url="/admin/contracts/subcontract/"
    ),
    # A service's column: the same practices as rows, a fifth of the sub-contracts.
    BenchPage("compliance dashboard, filtered", _dashboard_filtered, admin_url=_admin_filtered),
    BenchPage("sub-contract list", _url("subcontract-list"), admin_url="/admin/contracts/subcontract/"),
    BenchPage(
        "sub-contract list, expired",
        _url("subcontract-list", query="?compliance=expired"),
        admin_url="/admin/contracts/subcontract/",
    ),
    BenchPage("sub-contract detail", _url("subcontract-detail", _first_subcontract)),
    BenchPage(
        "evidence list, awaiting review",
        _url("evidence-list", query="?status=pending"),
        admin_url="/admin/contracts/evidencesubmission/?status__exact=pending",
    ),
    BenchPage(
        "evidence list, all 100k", _url("evidence-list"), admin_url="/admin/contracts/evidencesubmission/"
    ),
    BenchPage("evidence list xlsx export", _url("evidence-list", query="?status=pending&_export=xlsx")),
    BenchPage("contract list", _url("contract-list"), admin_url="/admin/contracts/contract/"),
    BenchPage("return list", _url("return-list"), admin_url="/admin/contracts/activityreturn/"),
    BenchPage(
        "payment schedule xlsx",
        lambda: reverse("contracts:payment-schedule", args=[_h_pylori(), _last_quarter()]),
    ),
    BenchPage("sub-contracts, practice user", _url("subcontract-list"), role="practice"),
]
