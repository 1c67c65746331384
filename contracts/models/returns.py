"""Quarterly activity returns: units a sub-contracting practice delivered in
a quarter, priced at the tariff in force. Approved returns are locked (by a
database trigger, not only by the views); a correction is an amendment that
keeps the original.

The pricing rules live here, once each: which tariff is in force on a day
(``tariff_in_force``) and over a stretch of days (``tariff_periods``), and
what a line of a return is worth (``line_amount``)."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.db.models import (
    BooleanField,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.urls import reverse

from contracts.models.subcontracts import Service, SubContract, Tariff
from fedportal import clock, formats
from fedportal.periods import Quarter
from localities.models import Practice


def _money() -> DecimalField:
    return DecimalField(max_digits=14, decimal_places=2)


def long_quarter_label(quarter: Quarter) -> str:
    """A quarter with its months, as practices are asked for it:
    "Q3 2018/19 (October to December 2018)"."""
    return f"{quarter} ({quarter.start:%B} to {quarter.end:%B %Y})"


# Pricing ------------------------------------------------------------------------


def tariff_in_force(day: date, *, service=None):
    """The tariff of ``service`` in force on ``day``: the latest to take
    effect by then (a tariff is in force from its date until the next one's).
    A queryset of at most one row, for a subquery (``service`` defaults to
    the outer query's row) or ``.first()``."""
    service = OuterRef("pk") if service is None else service
    return Tariff.objects.filter(service=service, effective_from__lte=day).order_by("-effective_from")[:1]


@dataclass(frozen=True)
class TariffPeriod:
    start: date
    end: date
    unit_price: Decimal

    def __str__(self) -> str:
        return f"{formats.day(self.start)} to {formats.day(self.end)} at £{self.unit_price}"


def tariff_periods(service: Service, start: date, end: date) -> list[TariffPeriod]:
    """The tariffs in force between ``start`` and ``end`` (each from its date
    until the next one's, as ``tariff_in_force``), one period each, clipped
    to those dates. Days before the first tariff have no price."""
    tariffs = list(Tariff.objects.filter(service=service, effective_from__lte=end).order_by("effective_from"))
    periods = []
    for index, tariff in enumerate(tariffs):
        next_from = tariffs[index + 1].effective_from if index + 1 < len(tariffs) else None
        period_start = max(start, tariff.effective_from)
        period_end = min(end, next_from - timedelta(days=1)) if next_from else end
        if period_start <= period_end:
            periods.append(TariffPeriod(period_start, period_end, tariff.unit_price))
    return periods


def line_amount(via: str = "") -> ExpressionWrapper:
    """What a line of a return is worth: its units times the unit price of
    its tariff period (whole units times pence is exact in pence: no
    rounding). For a query over lines, or one reaching them through ``via``
    (e.g. ``"lines__"``)."""
    return ExpressionWrapper(F(f"{via}units") * F(f"{via}unit_price"), output_field=_money())


class ReturnStatus(models.TextChoices):
    SUBMITTED = "submitted", "Awaiting approval"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Returned to the practice"


class ActivityReturnQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every return; a practice user their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_practice:
            return self
        return self.filter(subcontract__practice__in=Practice.objects.visible_to(user))

    def for_quarter(self, quarter: Quarter):
        return self.filter(year=quarter.year, quarter=quarter.number)

    def with_claim(self):
        """Annotate ``units_total`` and ``claim_value`` from the lines: the
        totals a return's page, lists and exports show."""
        lines = ActivityReturnLine.objects.filter(activity_return=OuterRef("pk")).values("activity_return")
        return self.annotate(
            units_total=Coalesce(Subquery(lines.annotate(n=Sum("units")).values("n")), 0),
            claim_value=Coalesce(
                Subquery(lines.annotate(v=Sum(line_amount())).values("v")),
                Decimal("0"),
                output_field=_money(),
            ),
        )

    def with_replaced(self):
        """Annotate ``replaced``: an approved amendment now stands in its place."""
        approved_amendment = ActivityReturn.objects.filter(
            amends=OuterRef("pk"), status=ReturnStatus.APPROVED
        )
        return self.annotate(replaced=Exists(approved_amendment))

    def with_amended(self):
        """Annotate ``amended``: an amendment of it awaits approval or was
        approved (``ActivityReturn.is_amended``)."""
        return self.annotate(amended=Exists(ActivityReturn.objects.amending(OuterRef("pk"))))

    def amending(self, activity_return):
        """The amendments of ``activity_return`` that count: awaiting approval
        or approved (one sent back corrects nothing)."""
        return self.filter(amends=activity_return, status__in=[ReturnStatus.SUBMITTED, ReturnStatus.APPROVED])

    def with_in_force(self):
        """Annotate ``replaced`` and ``in_force``: approved and not replaced by
        an approved amendment, so what is paid."""
        return self.with_replaced().annotate(
            in_force=ExpressionWrapper(
                Q(status=ReturnStatus.APPROVED, replaced=False), output_field=BooleanField()
            )
        )

    def current(self):
        """The returns in force: what is paid, once its quarter has ended."""
        return self.with_in_force().filter(in_force=True)

    def of_ended_quarters(self, today: date):
        """Returns whose quarter has ended by ``today``, and those staff
        accepted early (with a recorded reason): what a payment schedule may
        hold. A quarter has ended when today is in a later one."""
        this_quarter = Quarter.of(today)
        ended = Q(year__lt=this_quarter.year) | Q(year=this_quarter.year, quarter__lt=this_quarter.number)
        return self.filter(ended | Q(accepted_early_at__isnull=False))

    def payable(self, today: date):
        """The returns in force whose quarter has ended (or that staff
        accepted early): what a payment schedule pays."""
        return self.current().of_ended_quarters(today)

    def for_table(self):
        """What the list of returns and its exports show: the claim, whether
        an amendment replaced it, and ``quarter_key`` (2018-Q3 as 20183) to
        sort and export the quarter by."""
        return (
            self.select_related("subcontract__practice", "subcontract__service", "submitted_by", "decided_by")
            .with_claim()
            .with_replaced()
            .annotate(quarter_key=F("year") * 10 + F("quarter"))
        )


@pghistory.track()
class ActivityReturn(models.Model):
    """Units of a service a practice delivered in one quarter."""

    subcontract = models.ForeignKey(SubContract, on_delete=models.PROTECT, related_name="returns")
    year = models.PositiveSmallIntegerField(
        help_text="The year the financial year starts in: 2018 for 2018/19."
    )
    quarter = models.PositiveSmallIntegerField(choices=[(n, f"Q{n}") for n in range(1, 5)])
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        help_text="The approved return this one corrects.",
    )
    status = models.CharField(max_length=10, choices=ReturnStatus.choices, default=ReturnStatus.SUBMITTED)
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The portal's clock, so that a return made on the demo's 15 February
    # 2019 says so (fedportal.clock.now).
    submitted_at = models.DateTimeField(default=clock.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    # A return is for a quarter that has ended; staff may accept one sooner,
    # and who, when and why is kept with it (contracts.services.returns).
    accepted_early_reason = models.TextField("reason to accept it before the quarter ended", blank=True)
    accepted_early_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_early_at = models.DateTimeField(null=True, blank=True)

    objects = ActivityReturnQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-quarter", "subcontract__practice__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["subcontract", "year", "quarter"],
                condition=Q(status="submitted"),
                name="one_return_awaiting_approval_per_quarter",
                violation_error_message="A return for this quarter is already awaiting approval.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="return_quarter_1_to_4",
            ),
            models.CheckConstraint(
                condition=Q(accepted_early_at__isnull=True)
                | (Q(accepted_early_by__isnull=False) & ~Q(accepted_early_reason="")),
                name="return_accepted_early_says_who_and_why",
                violation_error_message="Say who accepted the return early, and why.",
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"])]
        triggers = [
            # Decided returns never change; corrections are new rows.
            pgtrigger.Protect(
                name="decided_returns_are_locked",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status__in=["approved", "rejected"]),
            ),
        ]

    def __str__(self) -> str:
        label = f"{self.subcontract} {self.period}"
        return f"{label} (amendment)" if self.amends_id else label

    def get_absolute_url(self) -> str:
        return reverse("contracts:return-detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def accepted_early(self) -> bool:
        return self.accepted_early_at is not None

    def quarter_ended(self, today: date) -> bool:
        return self.period < Quarter.of(today)

    @property
    def is_amended(self) -> bool:
        """Whether an amendment of it awaits approval or was approved: from
        ``with_amended()`` when the queryset was annotated, else one query."""
        if "amended" in self.__dict__:
            return self.amended
        return ActivityReturn.objects.amending(self).exists()


class ActivityReturnLineQuerySet(models.QuerySet):
    def with_amount(self):
        """Annotate ``amount``: what each line is worth."""
        return self.annotate(amount=line_amount())


@pghistory.track(pghistory.InsertEvent())
class ActivityReturnLine(models.Model):
    """Units delivered while one tariff was in force. A quarter whose tariff
    changed part way through has one line per tariff period."""

    activity_return = models.ForeignKey(ActivityReturn, on_delete=models.PROTECT, related_name="lines")
    period_start = models.DateField()
    period_end = models.DateField()
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    units = models.PositiveIntegerField()

    objects = ActivityReturnLineQuerySet.as_manager()

    class Meta:
        ordering = ["period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="return_line_period_in_order"
            ),
        ]
        triggers = [
            pgtrigger.Protect(
                name="return_lines_are_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            ),
        ]

    def __str__(self) -> str:
        return f"{self.units} at £{self.unit_price} ({formats.day(self.period_start)} to {formats.day(self.period_end)})"


class Reminder(models.Model):
    """A reminder sent to one person about one item (evidence missing for a
    requirement, a return due for a quarter, the weekly digest), kept so the
    same item is not sent again within a week."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    item = models.CharField(max_length=200, help_text="What the reminder was about, as a stable key.")
    summary = models.CharField(max_length=300)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        indexes = [models.Index(fields=["recipient", "item", "sent_at"])]

    def __str__(self) -> str:
        return f"{self.item} to {self.recipient}"


class ReminderFailureQuerySet(models.QuerySet):
    def unresolved(self):
        """Failures not followed by a reminder that reached the same person:
        what staff still need to look at (a wrong address, a full mailbox)."""
        return self.exclude(
            Exists(
                Reminder.objects.filter(recipient=OuterRef("recipient"), sent_at__gt=OuterRef("failed_at"))
            )
        )

    def for_table(self):
        return self.select_related("recipient").annotate(
            resolved=Exists(
                Reminder.objects.filter(recipient=OuterRef("recipient"), sent_at__gt=OuterRef("failed_at"))
            )
        )


class ReminderFailure(models.Model):
    """A reminder email the mail server refused. Kept apart from ``Reminder``
    (which means "sent, do not repeat for a week") so that the next run tries
    again, and staff see on their home page that someone was not told."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_failures"
    )
    subject = models.CharField(max_length=300)
    summary = models.CharField(max_length=300, help_text="The items the email would have listed.")
    error = models.CharField(max_length=300)
    # The real clock, as Reminder.sent_at: the week between reminders is real time.
    failed_at = models.DateTimeField(auto_now_add=True)

    objects = ReminderFailureQuerySet.as_manager()

    class Meta:
        ordering = ["-failed_at"]
        indexes = [models.Index(fields=["recipient", "failed_at"])]

    def __str__(self) -> str:
        return f"{self.subject} to {self.recipient}: {self.error}"
