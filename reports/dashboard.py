"""The home page: each role's figures and work queue, each linked to the page
behind it. A report over the other apps: reports reads them, and nothing
imports reports.

Every count is taken by the list page it links to, not beside it: the
count runs that page's own FilterSet, with the same parameters as the link,
over that page's own queryset (``counted``). A headline and its list cannot
disagree, since they are one query.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.db import connection
from django.db.models import QuerySet
from django.http import QueryDict
from django.urls import reverse
from django.utils.http import urlencode

from contracts.filters.held import ContractFilterSet
from contracts.filters.reminders import ReminderFailureFilterSet
from contracts.filters.returns import ReturnFilterSet
from contracts.filters.subcontracts import EvidenceFilterSet
from contracts.models import (
    ActivityReturn,
    EvidenceStatus,
    EvidenceSubmission,
    ReminderFailure,
    ReturnStatus,
)
from contracts.models.held import ENDING_SOON_DAYS
from contracts.reminders import practice_items
from contracts.selectors import contract_list
from fedportal.permissions import can_run_imports
from localities.filters import PracticeFilterSet
from localities.models import ImportStatus, Locality, Practice
from localities.selectors import import_runs


@dataclass(frozen=True)
class Headline:
    """A figure on a dashboard, and the list whose rows it counts."""

    label: str
    value: int
    href: str


@dataclass(frozen=True)
class Counted:
    """A headline whose figure is still to be counted: the list's rows as its
    FilterSet selects them (``counted``), counted with the page's others in
    one query (``count_together``)."""

    label: str
    rows: QuerySet
    href: str


def counted(label: str, *, filterset_class, queryset, url_name: str, **params) -> Counted:
    """The rows the list at ``url_name`` shows with ``params``: its FilterSet
    over its queryset, as its view runs them."""
    data = QueryDict(mutable=True)
    data.update(params)
    # Without a request a FilterSet offers no choices from the database (its
    # select options, read for the user): none are needed for the parameters
    # given here, and the page is spared their queries. The rows are scoped
    # by ``queryset``, which starts from the user's visible_to.
    filterset = filterset_class(data=data, queryset=queryset, request=None)
    if not filterset.is_valid():
        raise ValueError(f"{label}: the list's filters refuse {params}: {filterset.errors.as_json()}")
    return Counted(label, filterset.qs, f"{reverse(url_name)}?{urlencode(params)}")


def count_together(items: list[Counted | Headline]) -> list[Headline]:
    """Each ``Counted`` as a Headline with its figure: every list's own query,
    counted in one round trip (a query per figure made the staff home page the
    slowest part of a morning)."""
    pending = [item for item in items if isinstance(item, Counted)]
    if not pending:
        return list(items)
    selects, params = [], []
    for number, item in enumerate(pending):
        sql, item_params = item.rows.order_by().query.sql_with_params()
        # The SQL is Django's own compilation of the queryset; every value is a parameter.
        selects.append(f"(SELECT COUNT(*) FROM ({sql}) AS rows_{number})")  # noqa: S608
        params.extend(item_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(selects)}", params)
        figures = iter(cursor.fetchone())
    return [
        Headline(item.label, next(figures), item.href) if isinstance(item, Counted) else item
        for item in items
    ]


def federation_headlines(user, today: date) -> tuple[list[Headline], list]:
    """Staff and board: the federation's figures on ``today``, and its
    localities with their open member practices and patients."""
    practices = Practice.objects.visible_to(user).for_table(today)
    localities = list(Locality.objects.visible_to(user).with_population(today, user=user))
    locality_list = reverse("localities:locality-list")
    headlines = [
        counted(
            "Member practices",
            filterset_class=PracticeFilterSet,
            queryset=practices,
            url_name="localities:practice-list",
            member="yes",
            on=today.isoformat(),
        ),
        counted(
            "Open member practices",
            filterset_class=PracticeFilterSet,
            queryset=practices,
            url_name="localities:practice-list",
            member="yes",
            status="open",
            on=today.isoformat(),
        ),
        # The localities page's own rows: its count, and the sum of its column.
        Headline("Localities", len(localities), locality_list),
        Headline("Registered patients", sum(loc.population for loc in localities), locality_list),
    ]
    return count_together(headlines), localities


def staff_queue(user, today: date) -> list[Headline]:
    """What is waiting for federation staff, each counted by the list that
    shows exactly those rows."""
    ending_by = today + timedelta(days=ENDING_SOON_DAYS)
    queue = [
        counted(
            "evidence awaiting review",
            filterset_class=EvidenceFilterSet,
            queryset=EvidenceSubmission.objects.visible_to(user).for_table(),
            url_name="contracts:evidence-list",
            status=EvidenceStatus.PENDING.value,
        ),
        counted(
            "activity returns awaiting approval",
            filterset_class=ReturnFilterSet,
            queryset=ActivityReturn.objects.visible_to(user).for_table(),
            url_name="contracts:return-list",
            status=ReturnStatus.SUBMITTED.value,
        ),
        counted(
            f"contracts ending within {ENDING_SOON_DAYS} days (by {ending_by:%-d %B %Y}) "
            "or past their extension decision date",
            filterset_class=ContractFilterSet,
            queryset=contract_list(user=user, today=today),
            url_name="contracts:contract-list",
            attention="yes",
        ),
        counted(
            "reminders that failed to send",
            filterset_class=ReminderFailureFilterSet,
            queryset=ReminderFailure.objects.for_table(),
            url_name="contracts:reminder-failure-list",
            unresolved="yes",
        ),
    ]
    if can_run_imports(user)[0]:
        waiting = import_runs(user=user).filter(status=ImportStatus.PREVIEWED)
        queue.append(
            Counted(
                "imports waiting to be confirmed",
                waiting,
                f"{reverse('localities:import-start')}?{urlencode({'status': ImportStatus.PREVIEWED.value})}",
            )
        )
    return count_together(queue)


@dataclass(frozen=True)
class ThingToDo:
    practice: str
    text: str
    href: str


def practice_things_to_do(user, today: date, practices) -> list[ThingToDo]:
    """A practice user's own things to do: the items the reminder email
    lists (``contracts.reminders.practice_items``), each linked to the form
    that does it."""
    items = practice_items(today, practice_ids=[p.pk for p in practices])
    return [
        ThingToDo(item.practice, item.text, item.form_path)
        for practice in practices
        for item in items.get(practice.pk, [])
    ]


def home_context(user, today: date) -> dict:
    """Federation staff and board: headline figures and the localities'
    patients at ``today``; staff also what is waiting for them. Practice
    users: their practices and their things to do."""
    if not user.sees_every_practice:
        practices = list(Practice.objects.visible_to(user).for_table(today).order_by("name"))
        return {"my_practices": practices, "things_to_do": practice_things_to_do(user, today, practices)}
    headlines, localities = federation_headlines(user, today)
    return {
        "headlines": headlines,
        "work_queue": staff_queue(user, today) if user.is_federation_staff else None,
        "localities": localities,
        "today": today,
    }
