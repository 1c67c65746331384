"""Reminders: what each practice should be told on a given day, and the
weekly digest for federation staff (``manage.py send_reminders``).

A practice is reminded of each active sub-contract's evidence that is
missing, expired, or expiring within 30 days (the compliance rule of
``contracts.compliance``, not a second copy of it: evidence that is
compliant or awaiting review needs nothing from the practice), and of each
activity return due: every completed quarter since the later of the
sub-contract's start and the start of the previous financial year with no
return submitted or approved.

Every item has a stable key. A person is sent an item at most once in
``RESEND_AFTER`` (recorded in ``Reminder``, one row per person and item,
written in the same transaction as the email is sent), so a second run the
same day sends nothing.
"""

import smtplib
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import connection, transaction
from django.db.models import Count, Min, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from contracts.compliance import EXPIRING_WITHIN_DAYS, RANKS, Compliance, requirement_states_of
from contracts.models import (
    ActivityReturn,
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    Reminder,
    ReminderFailure,
    ReturnStatus,
    SubContract,
    Tariff,
)
from contracts.models.returns import long_quarter_label
from contracts.notifications import practice_mail_memberships
from fedportal import locks
from fedportal.models import Role
from fedportal.periods import Quarter, financial_year_of
from fedportal.reminders import JobOutcome, ReminderJob

RESEND_AFTER = timedelta(days=7)
STAFF_DIGEST = "digest:staff"
REMINDED_STATES = (Compliance.MISSING, Compliance.EXPIRING, Compliance.EXPIRED)
# Users whose recent reminders are read in one query.
USER_BATCH = 1000
# Sub-contracts whose requirement states are read in one query.
STATES_BATCH = 2000


@dataclass(frozen=True)
class ReminderItem:
    """One thing a practice should do, with the key that stops it being sent
    twice within a week."""

    key: str
    practice_id: int
    practice: str
    kind: str  # missing, expiring, expired or return
    text: str
    # (URL name, args, query pairs): reversed only for the items actually
    # sent, which at scale is far fewer than the items built.
    link: tuple
    # The form that does it, when that is not ``link`` itself (the home
    # page's "things to do" open the form; the email, the page around it).
    form: tuple = ()

    @property
    def path(self) -> str:
        name, args, query = self.link
        return _path(name, *args, query=dict(query) if query else None)

    @property
    def form_path(self) -> str:
        if not self.form:
            return self.path
        name, args, query = self.form
        return _path(name, *args, query=dict(query) if query else None)


def _path(name: str, *args, query: dict | None = None) -> str:
    """A portal path. A wrong URL name is an error (NoReverseMatch), never a
    link somewhere else: a reminder pointing nowhere useful is worse than a
    run that stops."""
    path = reverse(name, args=args)
    return f"{path}?{urlencode(query)}" if query else path


def _long(day: date) -> str:
    return f"{day:%-d %B %Y}"


def evidence_item(subcontract, state, *, is_schedule: bool, today: date) -> ReminderItem:
    """The reminder for one requirement (one clinician, for a schedule) that
    is missing, expiring or expired."""
    what = state.requirement
    if state.clinician:
        what = f"{state.requirement} for {state.clinician}"
    if state.compliance == Compliance.EXPIRING:
        days = (state.best_valid_to - today).days
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        text = f"{what} expires on {_long(state.best_valid_to)} ({when}): upload the renewed evidence."
    elif state.compliance == Compliance.EXPIRED:
        text = f"{what} expired on {_long(state.best_valid_to)}: upload current evidence."
    elif is_schedule and not state.clinician_id:
        text = f"{what}: no clinicians are listed yet. Add them, with evidence for each."
    else:
        text = f"{what} is missing: upload it."
    key = f"evidence:{state.compliance}:{subcontract.pk}:{state.requirement_id}:{state.clinician_id or '-'}"
    return ReminderItem(
        key=key,
        practice_id=subcontract.practice_id,
        practice=subcontract.practice.name,
        kind=state.compliance,
        text=f"{subcontract.service.name}: {text}",
        link=("contracts:subcontract-detail", (subcontract.pk,), ()),
        form=_evidence_form(subcontract, state, is_schedule=is_schedule),
    )


def _evidence_form(subcontract, state, *, is_schedule: bool) -> tuple:
    """The upload form for the requirement (and clinician), or, for a
    schedule with no clinicians yet, the form that adds one."""
    if is_schedule and not state.clinician_id:
        return ("contracts:clinician-create", (subcontract.pk,), ())
    query = [("requirement", state.requirement_id)]
    if state.clinician_id:
        query.append(("clinician", state.clinician_id))
    return ("contracts:evidence-create", (subcontract.pk,), tuple(query))


def _evidence_items(today: date, practice_ids) -> list[ReminderItem]:
    # One query finds the active sub-contracts with anything short of
    # compliant; one more per batch of them reads their requirement states.
    # All-compliant ones cost nothing.
    subcontracts = (
        SubContract.objects.active_on(today)
        .filter(service__archived=False)
        .with_compliance(today)
        .filter(compliance_rank__gt=RANKS[Compliance.COMPLIANT])
        .select_related("practice", "service")
        .order_by("practice__name", "service__name")
    )
    if practice_ids is not None:
        subcontracts = subcontracts.filter(practice_id__in=practice_ids)
    schedules = set(
        EvidenceRequirement.objects.filter(is_clinician_schedule=True).values_list("pk", flat=True)
    )
    subcontracts = list(subcontracts)
    items = []
    for start in range(0, len(subcontracts), STATES_BATCH):
        batch = subcontracts[start : start + STATES_BATCH]
        states = requirement_states_of([subcontract.pk for subcontract in batch], today)
        for subcontract in batch:
            for state in states.get(subcontract.pk, []):
                if state.compliance in REMINDED_STATES:
                    items.append(
                        evidence_item(
                            subcontract, state, is_schedule=state.requirement_id in schedules, today=today
                        )
                    )
    return items


def returns_window(today: date) -> tuple[Quarter, Quarter]:
    """The first and last quarters whose returns can be due on ``today``: from
    the start of the previous financial year to the last completed quarter."""
    return Quarter(financial_year_of(today) - 1, 1), Quarter.of(today).previous()


def _return_items(today: date, practice_ids) -> list[ReminderItem]:
    first, last = returns_window(today)
    subcontracts = SubContract.objects.filter(
        service__takes_returns=True, service__archived=False, start_date__lte=last.end
    ).filter(Q(end_date__isnull=True) | Q(end_date__gte=first.start))
    if practice_ids is not None:
        subcontracts = subcontracts.filter(practice_id__in=practice_ids)
    # A quarter can be returned once a tariff is in force in it (so that
    # return_periods is not empty): a service's first tariff is all it takes.
    first_tariff = dict(
        Tariff.objects.values("service").annotate(first=Min("effective_from")).values_list("service", "first")
    )
    made = defaultdict(set)  # (subcontract, year, quarter) -> statuses
    for sub_id, year, number, status in ActivityReturn.objects.filter(
        subcontract__in=subcontracts, year__gte=first.year
    ).values_list("subcontract_id", "year", "quarter", "status"):
        made[(sub_id, year, number)].add(status)
    quarters = []
    quarter = first
    while quarter <= last:
        label = long_quarter_label(quarter)
        quarters.append((quarter, quarter.start, quarter.end, label))
        quarter = quarter.next()
    counted = {ReturnStatus.SUBMITTED, ReturnStatus.APPROVED}
    items = []
    rows = subcontracts.order_by("practice__name", "service__name").values_list(
        "pk", "practice_id", "practice__name", "service_id", "service__name", "start_date", "end_date"
    )
    for sub_id, practice_id, practice, service_id, service, start_date, end_date in rows.iterator(2000):
        tariff_from = first_tariff.get(service_id)
        if tariff_from is None:
            continue
        for quarter, quarter_start, quarter_end, label in quarters:
            if quarter_end < start_date:
                continue  # before the sub-contract's first quarter
            if end_date and quarter_start > end_date:
                break
            if tariff_from > min(quarter_end, end_date or quarter_end):
                continue
            statuses = made.get((sub_id, quarter.year, quarter.number), set())
            if statuses & counted:
                continue
            sent_back = " It was sent back to you: please correct it." if statuses else ""
            items.append(
                ReminderItem(
                    key=f"return:{sub_id}:{quarter.key}",
                    practice_id=practice_id,
                    practice=practice,
                    kind="return",
                    text=f"{service}: the activity return for {label} is due.{sent_back}",
                    link=("contracts:return-create", (sub_id,), (("quarter", quarter.key),)),
                )
            )
    return items


def practice_items(today: date, *, practice_ids=None) -> dict[int, list[ReminderItem]]:
    """Each practice's reminder items on ``today`` (only the practices in
    ``practice_ids``, when given), evidence first, then returns."""
    items = defaultdict(list)
    for item in [*_evidence_items(today, practice_ids), *_return_items(today, practice_ids)]:
        items[item.practice_id].append(item)
    return dict(items)


@dataclass
class StaffDigest:
    """The weekly figures for federation staff, each with the page behind it."""

    awaiting_review: int
    expiring: int
    expired: int
    missing: int
    returns_awaiting: int
    links: dict[str, str] = field(default_factory=dict)

    @property
    def lines(self) -> list[tuple[str, int, str]]:
        return [
            ("Evidence awaiting review", self.awaiting_review, self.links["awaiting_review"]),
            (
                f"Sub-contracts with evidence expiring within {EXPIRING_WITHIN_DAYS} days",
                self.expiring,
                self.links["expiring"],
            ),
            ("Sub-contracts with expired evidence", self.expired, self.links["expired"]),
            ("Sub-contracts with evidence missing", self.missing, self.links["missing"]),
            ("Activity returns awaiting approval", self.returns_awaiting, self.links["returns_awaiting"]),
        ]


def staff_digest(today: date) -> StaffDigest:
    """Counts for the staff digest: three queries, whatever the size."""
    by_rank = dict(
        SubContract.objects.active_on(today)
        .with_compliance(today)
        .order_by()
        .values("compliance_rank")
        .annotate(n=Count("pk"))
        .values_list("compliance_rank", "n")
    )

    def subcontracts_with(state):
        return _path("contracts:subcontract-list", query={"compliance": state})

    return StaffDigest(
        awaiting_review=EvidenceSubmission.objects.filter(status=EvidenceStatus.PENDING).count(),
        expiring=by_rank.get(RANKS[Compliance.EXPIRING], 0),
        expired=by_rank.get(RANKS[Compliance.EXPIRED], 0),
        missing=by_rank.get(RANKS[Compliance.MISSING], 0),
        returns_awaiting=ActivityReturn.objects.filter(status=ReturnStatus.SUBMITTED).count(),
        links={
            "awaiting_review": _path("contracts:evidence-list", query={"status": EvidenceStatus.PENDING}),
            "expiring": subcontracts_with(Compliance.EXPIRING),
            "expired": subcontracts_with(Compliance.EXPIRED),
            "missing": subcontracts_with(Compliance.MISSING),
            "returns_awaiting": _path("contracts:return-list", query={"status": ReturnStatus.SUBMITTED}),
        },
    )


@dataclass
class ReminderRun:
    """What a run of send_reminders did (or, dry, would do)."""

    emails: int = 0
    practice_emails: int = 0
    digests: int = 0
    items: int = 0
    skipped: int = 0
    failed: int = 0
    recipients: list[str] = field(default_factory=list)


def _recently_reminded(user_ids: list[int], since: datetime) -> set[tuple[int, str]]:
    recent = set()
    for start in range(0, len(user_ids), USER_BATCH):
        recent.update(
            Reminder.objects.filter(recipient_id__in=user_ids[start : start + USER_BATCH], sent_at__gt=since)
            .values_list("recipient_id", "item")
            .distinct()
        )
    return recent


def _staff_recipients():
    # The same people as User.is_federation_staff, with an email address.
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(role__in=[Role.STAFF, Role.ADMINISTRATOR]) | Q(is_superuser=True))
        .exclude(email="")
        .order_by("username")
    )


# Any number unique to this job: PostgreSQL's advisory locks are keyed by it.
REMINDERS_LOCK = 0x5E17_D000


def one_run_at_a_time():
    """This job's run, alone (``fedportal.locks``)."""
    return locks.one_run_at_a_time(REMINDERS_LOCK)


def send_reminders(
    *,
    today: date,
    dry_run: bool = False,
    base_url: str | None = None,
    now: datetime | None = None,
    echo: Callable[[str], None] | None = None,
) -> ReminderRun:
    """Email each practice user (active, with an email address, attached to a
    practice: ``notifications.practice_mail_memberships``) one message listing
    their practices' items not sent to them within the last week, and each
    member of federation staff the weekly digest. ``dry_run`` sends and
    records nothing, and ``echo`` shows what would be sent."""
    since = (now or timezone.now()) - RESEND_AFTER
    memberships = (
        practice_mail_memberships()
        .select_related("user", "practice")
        .order_by("user__username", "practice__name")
    )
    practices_of = defaultdict(list)
    users = {}
    for membership in memberships:
        users[membership.user_id] = membership.user
        practices_of[membership.user_id].append(membership.practice_id)
    items = practice_items(today, practice_ids={p for ps in practices_of.values() for p in ps})
    staff = list(_staff_recipients())
    recent = _recently_reminded([*users, *(u.pk for u in staff)], since)
    sender = _Sender(dry_run=dry_run, echo=echo)
    run = ReminderRun()
    # Links in emails start from the portal's address (settings, FEDPORTAL_BASE_URL).
    if base_url is None:
        base_url = settings.FEDPORTAL_BASE_URL
    context = {"base_url": base_url, "federation_name": settings.FEDERATION_NAME, "today": today}
    with sender:
        for user_id, practice_ids in practices_of.items():
            user = users[user_id]
            due = [item for practice_id in practice_ids for item in items.get(practice_id, [])]
            fresh = [item for item in due if (user_id, item.key) not in recent]
            run.skipped += len(due) - len(fresh)
            if not fresh:
                continue
            practices = sorted({item.practice for item in fresh})
            things = f"{len(fresh)} thing{'s' if len(fresh) != 1 else ''}"
            body = render_to_string(
                "contracts/email/practice_reminder.txt",
                {
                    **context,
                    "user": user,
                    "groups": [(p, [i for i in fresh if i.practice == p]) for p in practices],
                    "resend_days": RESEND_AFTER.days,
                },
            )
            if not sender.send(
                user,
                f"{settings.FEDERATION_NAME}: {things} to do for {', '.join(practices)}",
                body,
                [(item.key, f"{item.practice}: {item.text}") for item in fresh],
            ):
                run.failed += 1
                continue
            run.practice_emails += 1
            run.items += len(fresh)
            run.recipients.append(user.email)

        digest = None
        for user in staff:
            if (user.pk, STAFF_DIGEST) in recent:
                run.skipped += 1
                continue
            digest = digest or staff_digest(today)
            body = render_to_string(
                "contracts/email/staff_digest.txt", {**context, "user": user, "digest": digest}
            )
            summary = "Weekly digest: " + ", ".join(f"{label.lower()} {n}" for label, n, _ in digest.lines)
            if not sender.send(
                user,
                f"{settings.FEDERATION_NAME}: weekly digest, {_long(today)}",
                body,
                [(STAFF_DIGEST, summary)],
            ):
                run.failed += 1
                continue
            run.digests += 1
            run.recipients.append(user.email)
    run.emails = run.practice_emails + run.digests
    return run


class _Sender:
    """Sends over one connection of the configured email backend, recording
    each message's items in the same transaction; dry, it only describes."""

    def __init__(self, *, dry_run: bool, echo: Callable[[str], None] | None):
        self.dry_run = dry_run
        self.echo = echo
        self.connection = None if dry_run else get_connection()

    def __enter__(self):
        if self.connection is not None:
            self.connection.open()
        return self

    def __exit__(self, *exc):
        if self.connection is not None:
            self.connection.close()

    def send(self, user, subject: str, body: str, keyed: list[tuple[str, str]]) -> bool:
        """Whether the email went (dry, whether it would)."""
        if self.dry_run:
            if self.echo:
                self.echo(f"Would send to {user.email}: {subject}")
                for _key, summary in keyed:
                    self.echo(f"  - {summary}")
            return True
        message = EmailMessage(
            subject=subject,
            body=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[user.email],
            connection=self.connection,
        )
        # Recorded and sent together: if the send fails, nothing is recorded
        # as sent and the next run tries again.
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # A crash just after a commit may lose the newest records (a
                # duplicate reminder next run, never a lost one); in exchange a
                # run does not wait for a disk flush per email.
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
                Reminder.objects.bulk_create(
                    Reminder(recipient=user, item=key, summary=summary[:300]) for key, summary in keyed
                )
                message.send()
        except (OSError, smtplib.SMTPException) as error:
            # One refused address must not stop everyone else's reminders;
            # the failure is kept for staff's work queue.
            ReminderFailure.objects.create(
                recipient=user,
                subject=subject[:300],
                summary="; ".join(summary for _key, summary in keyed)[:300],
                error=(str(error) or type(error).__name__)[:300],
            )
            if self.echo:
                self.echo(f"Could not send to {user.email}: {error}")
            return False
        return True


def _send_practice_reminders(*, today: date, dry_run: bool, base_url: str, echo, warn) -> JobOutcome:
    started = time.perf_counter()
    with one_run_at_a_time():
        run = send_reminders(today=today, dry_run=dry_run, base_url=base_url, echo=echo)
    seconds = time.perf_counter() - started
    verb = "Would send" if dry_run else "Sent"
    summary = (
        f"{verb} {run.emails} email{'s' if run.emails != 1 else ''} as at {today:%-d %B %Y}: "
        f"{run.practice_emails} to practice users ({run.items} items), "
        f"{run.digests} staff digest{'s' if run.digests != 1 else ''}; "
        f"{run.skipped} skipped as sent within the last {RESEND_AFTER.days} days; "
        f"{seconds:.1f} s."
    )
    failed = ""
    if run.failed:
        failed = (
            f"{run.failed} email{'s' if run.failed != 1 else ''} could not be sent; "
            "they are listed for staff at /reminders/failed/ and will be tried again next run."
        )
    return JobOutcome(summary, failed)


reminder_job = ReminderJob("the practices' reminders and the staff digest", _send_practice_reminders)
