"""The federation's finance records (seed 001, Tables 1 and 2; seed 000,
section (a), Appendix 1 and the shop rate): income streams, cost savings and
expenditure as lines with a figure per financial year, the board's plan
beside each figure, transformation-fund projects, shared costs split across
localities, the shop rate and per-patient funding.

Only inputs are stored. Every total the board reads (Table 1's subtotal,
Table 2's surplus, a split's columns) is computed from them
(``finance.selectors``), never kept.

Finance is for the federation: staff keep it, the board reads it, practice
users see none of it (``visible_to`` is empty for them)."""

from decimal import ROUND_HALF_UP, Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from contracts.models import Contract, Organisation, Service
from fedportal.clock import now as clock_now
from fedportal.money import to_pennies
from fedportal.periods import FIRST_YEAR, LAST_YEAR, financial_year_label, plausible_date
from localities.models import Locality

# The largest amount a finance figure may hold: a federation's figures are
# thousands to millions; a billion is a slip of the keyboard, not income.
MAX_AMOUNT = Decimal("999999999.99")
AMOUNT_MESSAGE = "Enter an amount from £0 to £999,999,999.99."


def money_field(verbose_name=None, **kwargs) -> models.DecimalField:
    """Pounds and pence, never negative, never absurd."""
    return models.DecimalField(
        verbose_name,
        max_digits=14,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(MAX_AMOUNT)],
        **kwargs,
    )


def year_field(verbose_name="financial year", **kwargs) -> models.PositiveSmallIntegerField:
    """A financial year, stored as the calendar year it starts in (2019 is 2019/20)."""
    return models.PositiveSmallIntegerField(
        verbose_name,
        validators=[MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)],
        help_text="The year it starts in: 2019 for 2019/20.",
        **kwargs,
    )


class FinanceQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every finance record; practice users none."""
        if not user.is_authenticated or not user.is_active or not user.sees_every_practice:
            return self.none()
        return self


# Lines and their figures ------------------------------------------------------


class Section(models.TextChoices):
    INCOME = "income", "Income stream"
    SAVING = "saving", "Cost saving"
    EXPENDITURE = "expenditure", "Expenditure"


class IncomeCategory(models.TextChoices):
    SERVICE = "service", "Service contract"
    TRANSFORMATION = "transformation", "Transformation fund"
    GRANT = "grant", "Grant or set-up funding"
    PROJECT = "project", "Project support and consultancy"
    SCHEME = "scheme", "Scheme for practices"
    OTHER = "other", "Other"


class LineQuerySet(FinanceQuerySet):
    def current(self):
        return self.filter(archived=False)


@pghistory.track()
class Line(models.Model):
    """One line of the finance tables: an income stream (who pays, what for,
    optionally the contract or service it comes from), a cost-saving scheme
    (Purchase Direct) or an expenditure category. Its amounts are its
    ``Figure``s, one per financial year and kind."""

    section = models.CharField(max_length=12, choices=Section.choices, default=Section.INCOME)
    name = models.CharField(max_length=200)
    commissioner = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="finance_lines",
        help_text="Who pays (income streams); empty for several payers.",
    )
    commissioner_label = models.CharField(
        "commissioner as the tables write it",
        max_length=40,
        blank=True,
        help_text="e.g. LCC / RCC; empty: the commissioner's name.",
    )
    category = models.CharField(max_length=20, choices=IncomeCategory.choices, blank=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="finance_lines"
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, null=True, blank=True, related_name="finance_lines"
    )
    notes = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the tables, smallest first.")
    archived = models.BooleanField(default=False)

    objects = LineQuerySet.as_manager()

    class Meta:
        ordering = ["section", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["section", "name"],
                name="finance_line_unique_name",
                violation_error_message="A line of this name is already in this section.",
            ),
            models.CheckConstraint(
                condition=Q(section="income")
                | Q(commissioner__isnull=True, contract__isnull=True, service__isnull=True),
                name="finance_line_only_income_has_payer",
                violation_error_message="Only an income stream has a commissioner, contract or service.",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("finance:line-detail", args=[self.pk])

    @property
    def commissioner_display(self) -> str:
        if self.commissioner_label:
            return self.commissioner_label
        return self.commissioner.name if self.commissioner_id else ""


class Basis(models.TextChoices):
    ACTUAL = "actual", "Actual"
    FORECAST = "forecast", "Forecast"
    TBC = "tbc", "To be confirmed"


class Kind(models.TextChoices):
    GROSS = "gross", "Gross contract value secured"
    NET = "net", "Net income"
    SAVING = "saving", "Cost saving"
    EXPENDITURE = "expenditure", "Expenditure"


# Which kinds of figure each section of line takes.
KINDS_OF_SECTION = {
    Section.INCOME: (Kind.GROSS, Kind.NET),
    Section.SAVING: (Kind.SAVING,),
    Section.EXPENDITURE: (Kind.EXPENDITURE,),
}


class FigureQuerySet(FinanceQuerySet):
    def for_tables(self):
        return self.select_related("line", "line__commissioner")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Figure(models.Model):
    """A line's amount for one financial year: gross contract value secured
    (Table 1) or net income (Table 2) for an income stream, a saving, or an
    expenditure; on an actual, forecast or to-be-confirmed basis, with the
    board's plan (budget) beside it and a comment as the tables print it.
    Every change is recorded (pghistory), and the movement of the forecast
    since the previous month's board paper is read from that history."""

    line = models.ForeignKey(Line, on_delete=models.PROTECT, related_name="figures")
    year = year_field()
    kind = models.CharField(max_length=12, choices=Kind.choices)
    basis = models.CharField(max_length=10, choices=Basis.choices, default=Basis.FORECAST)
    amount = money_field()
    plan = money_field("plan (budget)", null=True, blank=True, help_text="As approved by the board.")
    comment = models.CharField(max_length=200, blank=True, help_text="Printed beside the line.")
    movement_note = models.TextField(
        "note on the movement",
        blank=True,
        help_text="Why the figure moved since last month's board paper (required past the threshold).",
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = FigureQuerySet.as_manager()

    class Meta:
        ordering = ["line", "year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["line", "year", "kind"],
                name="finance_one_figure_per_line_year_kind",
                violation_error_message="This line already has a figure of this kind for this year.",
            ),
            models.CheckConstraint(
                condition=Q(amount__gte=0) & Q(amount__lte=MAX_AMOUNT),
                name="finance_figure_amount_in_range",
                violation_error_message=AMOUNT_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(plan__isnull=True) | (Q(plan__gte=0) & Q(plan__lte=MAX_AMOUNT)),
                name="finance_figure_plan_in_range",
                violation_error_message=AMOUNT_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR) & Q(year__lte=LAST_YEAR),
                name="finance_figure_year_plausible",
                violation_error_message=f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}.",
            ),
        ]
        indexes = [models.Index(fields=["year", "kind"], name="finance_figure_year_kind")]

    def __str__(self) -> str:
        return f"{self.line} {self.year_label} ({self.get_kind_display().lower()})"

    def get_absolute_url(self) -> str:
        return self.line.get_absolute_url()

    @property
    def year_label(self) -> str:
        return financial_year_label(self.year)

    def clean(self):
        if self.line_id and self.kind and self.kind not in KINDS_OF_SECTION[self.line.section]:
            allowed = ", ".join(str(Kind(k).label).lower() for k in KINDS_OF_SECTION[self.line.section])
            raise ValidationError({"kind": f"A line of this section takes: {allowed}."})


class FinanceSettings(models.Model):
    """Settings staff keep for the finance pages: how far a figure of the
    current year may move from last month's before a note is required."""

    movement_threshold = money_field(
        "movement needing a note",
        default=Decimal("1000.00"),
        help_text="A current-year figure that moves more than this since last month's paper needs a note.",
    )

    class Meta:
        verbose_name_plural = "finance settings"
        constraints = [models.CheckConstraint(condition=Q(pk=1), name="finance_settings_single_row")]

    def __str__(self) -> str:
        return "Finance settings"

    @classmethod
    def load(cls) -> "FinanceSettings":
        return cls.objects.get_or_create(pk=1)[0]


# Transformation fund ----------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETED = "completed", "Completed"
    CLOSED = "closed", "Closed"


@pghistory.track()
class TransformationProject(models.Model):
    """A transformation-fund project of a locality (seed 000, Appendix 1):
    the fund's allocation, the federation's fee for supporting its
    implementation, its project management, status, progress updates and the
    contracts it pays for. In the fees table a locality's share of shared
    costs (GPTeamNet) is shown on its first project's row."""

    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="transformation_projects")
    title = models.CharField(max_length=200)
    allocation = money_field("TF budget", default=Decimal("0"), help_text="The fund's allocation.")
    fee = money_field("TF implementation fee", default=Decimal("0"), help_text="The federation's fee.")
    project_management = money_field("project management", default=Decimal("0"))
    status = models.CharField(max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.APPROVED)
    contracts = models.ManyToManyField(Contract, blank=True, related_name="transformation_projects")
    position = models.PositiveSmallIntegerField(default=0)

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["locality", "title"],
                name="finance_project_unique_title",
                violation_error_message="This locality already has a project of this title.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("finance:project-detail", args=[self.pk])


class ProjectUpdate(models.Model):
    """A dated progress update on a project (the quarterly update reports the
    CCG panel reviews). Appended, never edited."""

    project = models.ForeignKey(TransformationProject, on_delete=models.PROTECT, related_name="updates")
    on = models.DateField("date", validators=[plausible_date])
    text = models.TextField("update")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["-on", "-created_at"]

    def __str__(self) -> str:
        return f"{self.project} {self.on:%d/%m/%Y}"


# Shared costs split across localities -------------------------------------------


class SharedCostStatus(models.TextChoices):
    DRAFT = "draft", "Draft: follows the list sizes"
    PUBLISHED = "published", "Published: frozen"


@pghistory.track()
class SharedCost(models.Model):
    """A cost shared across localities in proportion to their registered
    patients at a date (seed 000's GPTeamNet table), with the federation's
    percentage fee, legal costs and management time split the same way.

    A draft follows the list sizes the localities app keeps; publishing it
    freezes its split (``SharedCostPart`` rows), so a later list-size import
    never changes what the board was given."""

    title = models.CharField(max_length=200, unique=True)
    contract = models.ForeignKey(
        Contract, on_delete=models.PROTECT, null=True, blank=True, related_name="shared_costs"
    )
    as_at = models.DateField("patients registered at", validators=[plausible_date])
    contract_cost = money_field()
    fee_percent = models.DecimalField(
        "federation fee %",
        max_digits=5,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    legal = money_field("legal costs", default=Decimal("0"))
    management = money_field("federation management", default=Decimal("0"))
    management_note = models.CharField(
        max_length=200, blank=True, help_text="e.g. based on 4 hours per month."
    )
    status = models.CharField(max_length=10, choices=SharedCostStatus.choices, default=SharedCostStatus.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["-as_at", "title"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("finance:shared-cost-detail", args=[self.pk])

    @property
    def fee(self) -> Decimal:
        """The federation's fee: its percentage of the contract, to the penny."""
        return to_pennies(self.contract_cost * self.fee_percent / Decimal("100"))

    @property
    def total(self) -> Decimal:
        return self.contract_cost + self.fee + self.legal + self.management

    @property
    def is_published(self) -> bool:
        return self.status == SharedCostStatus.PUBLISHED


class SharedCostPart(models.Model):
    """One locality's row of a published split, frozen as the board was given
    it: the patients counted and each column's pennies."""

    shared_cost = models.ForeignKey(SharedCost, on_delete=models.PROTECT, related_name="parts")
    locality = models.ForeignKey(Locality, on_delete=models.PROTECT, related_name="+")
    locality_name = models.CharField(max_length=100)
    patients = models.PositiveIntegerField()
    contract = models.DecimalField(max_digits=14, decimal_places=2)
    fee = models.DecimalField(max_digits=14, decimal_places=2)
    legal = models.DecimalField(max_digits=14, decimal_places=2)
    management = models.DecimalField(max_digits=14, decimal_places=2)

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["shared_cost", "locality_name"]
        constraints = [
            models.UniqueConstraint(fields=["shared_cost", "locality"], name="finance_one_part_per_locality")
        ]

    def __str__(self) -> str:
        return f"{self.shared_cost}: {self.locality_name}"


# The shop rate and per-patient funding --------------------------------------------


@pghistory.track()
class ShopRate(models.Model):
    """The hourly rate the federation charges for its staff's time (seed
    000): its annual costs over one manager's available hours, rounded to the
    pound as the seed does, plus a margin, plus VAT. The margin and VAT are
    inputs; the working is shown on its page."""

    financial_year = year_field(unique=True)
    annual_costs = money_field("federation's annual costs")
    available_hours = models.PositiveIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(8784)],
        help_text="One manager's hours in a year, e.g. 37.5 hours a week less leave and bank holidays.",
    )
    hours_note = models.CharField(max_length=200, blank=True)
    margin_percent = models.DecimalField(
        "margin %",
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    vat_percent = models.DecimalField(
        "VAT %",
        max_digits=5,
        decimal_places=2,
        default=Decimal("20"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["-financial_year"]

    def __str__(self) -> str:
        return f"Shop rate {financial_year_label(self.financial_year)}"

    def get_absolute_url(self) -> str:
        return reverse("finance:shop-rate")

    @property
    def year_label(self) -> str:
        return financial_year_label(self.financial_year)

    @property
    def exact_cost_per_hour(self) -> Decimal:
        return to_pennies(self.annual_costs / self.available_hours)

    @property
    def cost_per_hour(self) -> Decimal:
        """Rounded to the whole pound, as the seed's sheet does (166,000 / 1,665 = 99.70 -> 100)."""
        return (self.annual_costs / self.available_hours).quantize(Decimal("1"), rounding=ROUND_HALF_UP)

    @property
    def margin(self) -> Decimal:
        return to_pennies(self.cost_per_hour * self.margin_percent / Decimal("100"))

    @property
    def before_vat(self) -> Decimal:
        return self.cost_per_hour + self.margin

    @property
    def vat(self) -> Decimal:
        return to_pennies(self.before_vat * self.vat_percent / Decimal("100"))

    @property
    def rate(self) -> Decimal:
        return self.before_vat + self.vat


@pghistory.track()
class PerPatientFunding(models.Model):
    """Funding of an amount per registered patient, applied to the
    federation's population at a date from the list sizes the localities app
    keeps (seed 000: 25p per patient for the PCN and demand-management work)."""

    title = models.CharField(max_length=200, unique=True)
    per_patient = models.DecimalField(
        "amount per patient",
        max_digits=8,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1000"))],
    )
    as_at = models.DateField("patients registered at", validators=[plausible_date])
    line = models.ForeignKey(
        Line, on_delete=models.PROTECT, null=True, blank=True, related_name="per_patient_funding"
    )
    notes = models.TextField(blank=True)

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["-as_at", "title"]

    def __str__(self) -> str:
        return self.title


# Imports of the finance workbook ------------------------------------------------------


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed: waiting for confirmation"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed: nothing written"


class FinanceImport(models.Model):
    """A finance workbook uploaded by staff (the template of ``manage.py
    export_finance``): previewed (a dry run), then applied once confirmed, all
    or nothing. The file is kept with its SHA-256 as the record of what was
    imported."""

    file = models.FileField(upload_to="finance-imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField()
    status = models.CharField(max_length=10, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    # The dry run's summary (preview) and the confirmed import's (result).
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock_now, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    objects = FinanceQuerySet.as_manager()

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("finance:import-preview", args=[self.pk])
