"""Contracts the federation holds on behalf of practices (seed 000: First
Contact Physio, ECP, GPTeamNet), with their documents and review notes."""

from datetime import date, timedelta
from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, Prefetch, Q, Value, When
from django.db.models.functions import Round
from django.urls import reverse

from contracts.models.organisations import Organisation
from fedportal.clock import now as clock_now
from fedportal.money import to_pennies
from fedportal.periods import plausible_date
from localities.models import Locality, Practice

ENDING_SOON_DAYS = 60


class ContractStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    ENDING = "ending", f"Ending within {ENDING_SOON_DAYS} days"
    ENDED = "ended", "Ended"


class ContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every contract; a practice user sees those that
        cover their practice (directly, through its locality, or all)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_practice:
            return self.filter(archived=False)
        mine = Practice.objects.visible_to(user)
        return (
            self.filter(archived=False, is_draft=False)
            .filter(
                Q(covers_all_localities=True)
                | Q(practices__in=mine)
                | Q(localities__in=mine.values("locality"))
            )
            .distinct()
        )

    def with_status(self, today: date):
        """Annotate ``status`` as of ``today`` so lists can filter and sort by it."""
        return self.annotate(
            status=Case(
                When(is_draft=True, then=Value(ContractStatus.DRAFT)),
                When(end_date__lt=today, then=Value(ContractStatus.ENDED)),
                When(
                    end_date__lte=today + timedelta(days=ENDING_SOON_DAYS), then=Value(ContractStatus.ENDING)
                ),
                default=Value(ContractStatus.ACTIVE),
                output_field=models.CharField(),
            )
        )

    def for_detail(self, user):
        """With what a contract's page shows, fetched with it rather than
        after: the contractor and commissioner; the localities and practices
        covered that ``user`` may see, by name (``visible_localities``,
        ``visible_practices``); the documents with who uploaded each, and the
        review notes with their authors."""
        return self.select_related("contractor", "commissioner").prefetch_related(
            Prefetch(
                "localities",
                queryset=Locality.objects.visible_to(user).order_by("name"),
                to_attr="visible_localities",
            ),
            Prefetch(
                "practices",
                queryset=Practice.objects.visible_to(user).order_by("name"),
                to_attr="visible_practices",
            ),
            Prefetch("documents", queryset=ContractDocument.objects.select_related("uploaded_by")),
            Prefetch("review_notes", queryset=ContractReviewNote.objects.select_related("author")),
        )

    def for_table(self, today: date):
        """With the status on ``today`` and the money the table shows: VAT
        rounded to the penny as ``Contract.vat`` rounds it, and the inc-VAT value."""
        money = models.DecimalField(max_digits=16, decimal_places=2)
        return (
            self.select_related("contractor", "commissioner")
            .with_status(today)
            .annotate(
                vat_amount=Round(F("value") * F("vat_rate") / Value(100), 2, output_field=money),
                value_inc_vat_amount=F("value") + F("vat_amount"),
            )
        )


@pghistory.track()
class Contract(models.Model):
    """A contract the federation holds for practices: who provides what, for
    which localities and practices, when, and for how much (ex-VAT)."""

    reference = models.CharField(max_length=30, unique=True)
    title = models.CharField("project", max_length=200)
    contractor = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contracts_held")
    commissioner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contracts_funded",
        help_text="Who funds it, if a commissioner does.",
    )
    funding_source = models.CharField(
        max_length=200, blank=True, help_text="e.g. Transformation Fund 2018/19"
    )
    covers_all_localities = models.BooleanField("covers all localities", default=False)
    localities = models.ManyToManyField(Locality, blank=True, related_name="contracts")
    practices = models.ManyToManyField(Practice, blank=True, related_name="contracts")
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(validators=[plausible_date])
    value = models.DecimalField("value ex-VAT", max_digits=14, decimal_places=2)
    vat_rate = models.DecimalField(
        "VAT rate (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal("20.00"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    extension_decision_by = models.DateField(
        "practices decide on extension by",
        null=True,
        blank=True,
        validators=[plausible_date],
    )
    is_draft = models.BooleanField("draft", default=False, help_text="Not yet signed.")
    archived = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ContractQuerySet.as_manager()

    class Meta:
        ordering = ["end_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=F("start_date")),
                name="contract_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="contract_value_not_negative",
                violation_error_message="The value cannot be negative.",
            ),
            models.CheckConstraint(
                condition=Q(vat_rate__gte=0, vat_rate__lte=100),
                name="contract_vat_rate_is_a_percentage",
                violation_error_message="The VAT rate is a percentage between 0 and 100.",
            ),
        ]
        indexes = [models.Index(fields=["end_date"]), models.Index(fields=["contractor", "end_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.contractor})"

    def get_absolute_url(self) -> str:
        return reverse("contracts:contract-detail", args=[self.pk])

    @property
    def duration_months(self) -> int:
        """Whole months, counting both the first and the last day."""
        return contract_months(self.start_date, self.end_date)

    @property
    def vat(self) -> Decimal:
        return to_pennies(self.value * self.vat_rate / Decimal("100"))

    @property
    def value_with_vat(self) -> Decimal:
        return self.value + self.vat

    def clean(self):
        # The database's check constraint has no field to put its message by:
        # these say it beside the dates, wherever a contract is saved from.
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date must be on or after the start date."
        if self.extension_decision_by and self.end_date and self.extension_decision_by > self.end_date:
            errors["extension_decision_by"] = (
                "Practices must decide on extension by the end date, not after it."
            )
        if errors:
            raise ValidationError(errors)

    def status_on(self, today: date) -> str:
        if self.is_draft:
            return ContractStatus.DRAFT
        if self.end_date < today:
            return ContractStatus.ENDED
        if self.end_date <= today + timedelta(days=ENDING_SOON_DAYS):
            return ContractStatus.ENDING
        return ContractStatus.ACTIVE


# Who a contract covers is kept in its two link tables, whose rows are only
# added or removed; each is part of the contract's history. pghistory tracks
# a link table through a proxy model, so its triggers go in migrations.
@pghistory.track(pghistory.InsertEvent("add"), pghistory.DeleteEvent("remove"), obj_field=None)
class ContractLocality(Contract.localities.through):
    class Meta:
        proxy = True
        verbose_name = "locality covered"


@pghistory.track(pghistory.InsertEvent("add"), pghistory.DeleteEvent("remove"), obj_field=None)
class ContractPractice(Contract.practices.through):
    class Meta:
        proxy = True
        verbose_name = "practice covered"


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later, clamped to the month's end (31 Jan + 1 = 28 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))


def contract_months(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` inclusive, a part month of half
    or more counting as one: 1 Sep 2018 to 31 Mar 2019 is 7 months, 15 Oct
    2018 to 14 Apr 2019 is 6."""
    after_end = end + timedelta(days=1)
    months = max((end.year - start.year) * 12 + (end.month - start.month) - 1, 0)
    while add_months(start, months + 1) <= after_end:
        months += 1
    anniversary = add_months(start, months)
    remainder = (after_end - anniversary).days
    month_length = (add_months(start, months + 1) - anniversary).days
    if remainder * 2 >= month_length:
        months += 1
    return months


class DocumentKind(models.TextChoices):
    SIGNED_CONTRACT = "signed_contract", "Signed contract"
    VARIATION = "variation", "Variation or extension"
    QUOTE = "quote", "Quote"
    SPECIFICATION = "specification", "Service specification"
    REPORT = "report", "Monitoring report"
    OTHER = "other", "Other"


class ContractDocumentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the contract sees its documents."""
        return self.filter(contract__in=Contract.objects.visible_to(user))


@pghistory.track()
class ContractDocument(models.Model):
    """A file kept with a contract. Uploads are new rows: nothing is replaced."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(max_length=20, choices=DocumentKind.choices, default=DocumentKind.OTHER)
    title = models.CharField(max_length=200)
    file = models.FileField(upload_to="contracts/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock_now, editable=False)

    objects = ContractDocumentQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.title


@pghistory.track()
class ContractReviewNote(models.Model):
    """A dated note from a project review or monitoring meeting. Notes are
    added, never edited."""

    contract = models.ForeignKey(Contract, on_delete=models.PROTECT, related_name="review_notes")
    reviewed_on = models.DateField()
    note = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-created_at"]

    def __str__(self) -> str:
        return f"Review {self.reviewed_on:%d/%m/%Y}"
