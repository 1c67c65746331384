"""Primary Care Networks (the 2019 Network Contract DES): networks, which
practice belongs to which network when, registrations per contract year with
the members' list sizes frozen at submission, and the rates and payments
the network's entitlements come from.

A practice is in at most one network on any date: a PostgreSQL exclusion
constraint over (practice, [start, end]) says so in the database itself.
"""

import re
from datetime import date
from decimal import Decimal

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateRangeField, RangeBoundary, RangeOperators
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Func, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce
from django.urls import reverse

from fedportal.clock import now as clock_now
from fedportal.periods import financial_year_label, plausible_date
from localities.models import ListSize, Practice

PCN_CODE_PATTERN = r"^U\d{5}$"
PCN_CODE_MESSAGE = "Enter a PCN code: the letter U then five digits, like U12169."
validate_pcn_code = RegexValidator(PCN_CODE_PATTERN, message=PCN_CODE_MESSAGE)
SORT_CODE_PATTERN = r"^\d{2}-\d{2}-\d{2}$"
SORT_CODE_MESSAGE = "Enter a sort code as three pairs of digits, like 30-96-26."
ACCOUNT_NUMBER_PATTERN = r"^\d{8}$"
ACCOUNT_NUMBER_MESSAGE = "Enter an account number of eight digits, like 12345678."
OVERLAP_MESSAGE = (
    "This practice is already in a network on some of these dates: a practice is in one network at a time."
)


def normalise_sort_code(value: str) -> str:
    """'309626', '30 96 26' or '30-96-26' -> '30-96-26' (anything else is left to fail validation)."""
    digits = re.sub(r"[\s-]", "", value or "")
    return (
        f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"
        if re.fullmatch(r"\d{6}", digits)
        else (value or "").strip()
    )


class ContractYearQuerySet(models.QuerySet):
    def current(self, today: date) -> "ContractYear | None":
        """The year ``today`` falls in; before the first, the next to come;
        after the last, the last."""
        return current_year(list(self.order_by("start")), today)  # a handful of rows: one query


def current_year(years: list["ContractYear"], today: date) -> "ContractYear | None":
    """``ContractYearQuerySet.current`` over years already read, in order of start."""
    return (
        next((y for y in years if y.start <= today <= y.end), None)
        or next((y for y in years if y.start > today), None)
        or (years[-1] if years else None)
    )


class ContractYear(models.Model):
    """A year of the Network Contract DES (2019/20 first): its dates, the
    reference date of the list sizes a registration counts, when networks go
    live, and when registrations are due."""

    start = models.DateField(unique=True, help_text="1 April of the financial year.")
    end = models.DateField()
    reference_date = models.DateField(help_text="List sizes are counted as at this date (1 January 2019).")
    live_from = models.DateField(help_text="When networks start and entitlements begin (1 July 2019).")
    submission_due = models.DateField(null=True, blank=True)
    approval_due = models.DateField(null=True, blank=True)

    objects = ContractYearQuerySet.as_manager()

    class Meta:
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")) & Q(live_from__gte=F("start")) & Q(live_from__lte=F("end")),
                name="pcn_contract_year_dates",
                violation_error_message="The year must end after it starts, and go live within it.",
            )
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return financial_year_label(self.start.year)


class PCNQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every network; a practice user sees the networks
        their practice is (or was) a member of."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_practice:
            return self
        mine = Practice.objects.visible_to(user)
        return self.filter(pk__in=Membership.objects.filter(practice__in=mine).values("pcn"))

    def with_population(self, members_on: date, sizes_at: date | None = None):
        """Annotate ``member_count`` and ``population``: the members on
        ``members_on`` and the sum of their latest list sizes on or before
        ``sizes_at`` (the same day unless given: a contract year counts its
        members when it goes live, their lists at its reference date)."""
        sizes_at = sizes_at or members_on
        members = Membership.objects.on(members_on).filter(pcn=OuterRef("pk"))
        latest = ListSize.latest_on(sizes_at, practice=OuterRef("practice"))
        population = (
            members.annotate(size=Subquery(latest))
            .order_by()
            .values("pcn")
            .annotate(total=Sum("size"))
            .values("total")
        )
        count = members.order_by().values("pcn").annotate(n=models.Count("pk")).values("n")
        return self.annotate(
            member_count=Coalesce(Subquery(count), 0), population=Coalesce(Subquery(population), 0)
        )

    def for_table(self, contract_year: "ContractYear | None", today: date):
        """What the list shows for a contract year: members when it goes
        live, their list sizes at its reference date, and the status of the
        network's registration for it (with no contract year set up yet:
        members and list sizes ``today``, no registration)."""
        queryset = self.select_related("clinical_director_practice")
        if contract_year is None:
            return queryset.with_population(today).annotate(
                registration_status=models.Value(None, output_field=models.CharField()),
                registration_id=models.Value(None, output_field=models.BigIntegerField()),
            )
        registration = Registration.objects.filter(pcn=OuterRef("pk"), contract_year=contract_year)
        return queryset.with_population(contract_year.live_from, contract_year.reference_date).annotate(
            registration_status=Subquery(registration.values("status")[:1]),
            registration_id=Subquery(registration.values("pk")[:1]),
        )


@pghistory.track()
class PCN(models.Model):
    """A Primary Care Network: practices serving 30-50,000 patients together
    under the Network Contract DES, with a clinical director, one nominated
    payee that receives the network's funding, and a boundary."""

    code = models.CharField(
        "PCN code",
        max_length=6,
        unique=True,
        validators=[validate_pcn_code],
        error_messages={"unique": "A network with this code is already in the portal."},
    )
    name = models.CharField(max_length=200)
    ccg_code = models.CharField("CCG code", max_length=5, help_text="The CCG it reports to, e.g. 03W.")
    ccg_name = models.CharField("CCG name", max_length=200, blank=True)
    open_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    close_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    address = models.TextField(blank=True, help_text="One line per address line.")
    postcode = models.CharField(max_length=8, blank=True)

    clinical_director_name = models.CharField("clinical director", max_length=200, blank=True)
    clinical_director_contact = models.CharField(
        "clinical director's contact", max_length=200, blank=True, help_text="Email or telephone."
    )
    clinical_director_practice = models.ForeignKey(
        Practice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="practice the clinical director works in",
    )
    clinical_director_from = models.DateField(
        "clinical director from", null=True, blank=True, validators=[plausible_date]
    )
    clinical_director_to = models.DateField(
        "clinical director to", null=True, blank=True, validators=[plausible_date]
    )

    payee_practice = models.ForeignKey(
        Practice,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="nominated payee (member practice)",
    )
    payee_other = models.CharField(
        "nominated payee (another provider)",
        max_length=200,
        blank=True,
        help_text="When the payee is not a member practice.",
    )
    # Shown to federation staff only; every change is kept in the history staff see.
    bank_account_name = models.CharField("name of bank account", max_length=200, blank=True)
    bank_sort_code = models.CharField(
        "sort code",
        max_length=8,
        blank=True,
        validators=[RegexValidator(SORT_CODE_PATTERN, message=SORT_CODE_MESSAGE)],
    )
    bank_account_number = models.CharField(
        "account number",
        max_length=8,
        blank=True,
        validators=[RegexValidator(ACCOUNT_NUMBER_PATTERN, message=ACCOUNT_NUMBER_MESSAGE)],
    )

    funding_split = models.CharField(
        "split of the network's funding between members",
        max_length=10,
        choices=[("equal", "Equally"), ("list_size", "By list size"), ("fixed", "By fixed shares")],
        default="list_size",
        help_text="As the network agreement names it.",
    )
    boundary = models.JSONField(null=True, blank=True, help_text="GeoJSON Polygon or MultiPolygon.")
    boundary_file_name = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PCNQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "PCN"
        verbose_name_plural = "PCNs"
        constraints = [
            models.CheckConstraint(
                condition=Q(code__regex=PCN_CODE_PATTERN),
                name="pcn_code_format",
                violation_error_message=PCN_CODE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(bank_sort_code="") | Q(bank_sort_code__regex=SORT_CODE_PATTERN),
                name="pcn_sort_code_format",
                violation_error_message=SORT_CODE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(bank_account_number="") | Q(bank_account_number__regex=ACCOUNT_NUMBER_PATTERN),
                name="pcn_account_number_format",
                violation_error_message=ACCOUNT_NUMBER_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(close_date__isnull=True)
                | Q(open_date__isnull=True)
                | Q(close_date__gte=F("open_date")),
                name="pcn_closes_after_opening",
                violation_error_message="The close date must be on or after the open date.",
            ),
            models.CheckConstraint(
                condition=Q(payee_practice__isnull=True) | Q(payee_other=""),
                name="pcn_one_payee",
                violation_error_message="Name one nominated payee: a member practice or another provider.",
            ),
        ]
        indexes = [models.Index(fields=["ccg_code", "name"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def get_absolute_url(self) -> str:
        return reverse("pcn:pcn-detail", args=[self.code])

    def clean(self):
        self.code = (self.code or "").strip().upper()
        self.ccg_code = (self.ccg_code or "").strip().upper()
        self.bank_sort_code = normalise_sort_code(self.bank_sort_code)
        self.bank_account_number = re.sub(r"\s", "", self.bank_account_number or "")
        errors = {}
        if self.close_date and self.open_date and self.close_date < self.open_date:
            errors["close_date"] = "The close date must be on or after the open date."
        if (
            self.clinical_director_to
            and self.clinical_director_from
            and self.clinical_director_to < self.clinical_director_from
        ):
            errors["clinical_director_to"] = (
                "The clinical director's end date must be on or after their start."
            )
        if self.payee_practice_id and self.payee_other.strip():
            errors["payee_other"] = (
                "Name one nominated payee: a member practice or another provider, not both."
            )
        if errors:
            raise ValidationError(errors)

    @property
    def payee_name(self) -> str:
        if self.payee_practice_id:
            return str(self.payee_practice)
        return self.payee_other

    @property
    def bank_details_complete(self) -> bool:
        return bool(self.bank_account_name and self.bank_sort_code and self.bank_account_number)

    @property
    def masked_account_number(self) -> str:
        return mask_account_number(self.bank_account_number)

    @property
    def masked_sort_code(self) -> str:
        return "••-••-••" if self.bank_sort_code else ""


def plain(number: Decimal) -> str:
    """A decimal without trailing zeros or an exponent: 70.00 -> '70', 0.50 -> '0.5'."""
    return format(number.normalize(), "f")


def mask_account_number(number: str) -> str:
    """'12345678' -> '••••••78': enough for someone holding the statement to recognise it."""
    return f"••••••{number[-2:]}" if number else ""


class DateRange(Func):
    """PostgreSQL's daterange(start, end, '[]'): both ends included, no end = open."""

    function = "DATERANGE"
    output_field = DateRangeField()


class MembershipQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(pcn__in=PCN.objects.visible_to(user))

    def on(self, day: date):
        """Memberships in force on ``day``."""
        return self.filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gte=day))


@pghistory.track()
class Membership(models.Model):
    """A practice's membership of a network from one date to another (open
    ended while current). Moves between networks end one membership and start
    another, so the history stays."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="pcn_memberships")
    pcn = models.ForeignKey(PCN, on_delete=models.PROTECT, related_name="memberships", verbose_name="PCN")
    start_date = models.DateField("from", validators=[plausible_date])
    end_date = models.DateField("to", null=True, blank=True, validators=[plausible_date])
    # The practice's own CCG differs from the network's (ePCN: match = FALSE).
    other_ccg = models.BooleanField("from another CCG", default=False)
    practice_ccg_code = models.CharField("practice's CCG", max_length=5, blank=True)
    share = models.DecimalField(
        "fixed share of the network's funding",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="Used when the network agreement splits funding by fixed shares.",
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "practice__name", "start_date"]
        constraints = [
            ExclusionConstraint(
                name="pcn_membership_one_network_at_a_time",
                expressions=[
                    (
                        DateRange(
                            "start_date",
                            "end_date",
                            RangeBoundary(inclusive_lower=True, inclusive_upper=True),
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    ("practice", RangeOperators.EQUAL),
                ],
                violation_error_message=OVERLAP_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="pcn_membership_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]
        indexes = [models.Index(fields=["pcn", "start_date"])]

    def __str__(self) -> str:
        return f"{self.practice} in {self.pcn.name} from {self.start_date:%d/%m/%Y}"

    def clean(self):
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})


class RegistrationStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    APPROVED = "approved", "Approved"
    APPROVED_WITH_EXCEPTION = "approved_exception", "Approved with exception"
    RETURNED = "returned", "Returned"


DECIDED = (RegistrationStatus.APPROVED, RegistrationStatus.APPROVED_WITH_EXCEPTION)


class RegistrationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the network sees its registrations."""
        return self.filter(pcn__in=PCN.objects.visible_to(user))


@pghistory.track()
class Registration(models.Model):
    """A network's registration under the Network Contract DES for one
    contract year: the short submission to the CCG, its checks, and the
    panel's decision. Its members and their list sizes are frozen into
    ``RegistrationMember`` rows when it is submitted."""

    pcn = models.ForeignKey(PCN, on_delete=models.PROTECT, related_name="registrations", verbose_name="PCN")
    contract_year = models.ForeignKey(ContractYear, on_delete=models.PROTECT, related_name="registrations")
    status = models.CharField(
        max_length=20, choices=RegistrationStatus.choices, default=RegistrationStatus.DRAFT
    )
    population_exception = models.TextField(
        "reason for an exception to the 30,000 population",
        blank=True,
        help_text="e.g. a rural network: leave blank when the network has 30,000 patients or more.",
    )
    # Frozen at submission, as the form sent to the CCG said it.
    total_list_size = models.PositiveIntegerField(null=True, blank=True)
    clinical_director_name = models.CharField(max_length=200, blank=True)
    payee_name = models.CharField(max_length=200, blank=True)
    bank_account_name = models.CharField(max_length=200, blank=True)
    bank_sort_code = models.CharField(max_length=8, blank=True)
    bank_account_number = models.CharField(max_length=8, blank=True)
    boundary = models.JSONField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    panel_notes = models.TextField("CCG panel's notes", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        ordering = ["contract_year", "pcn"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "contract_year"],
                name="pcn_one_registration_per_year",
                violation_error_message="This network already has a registration for this contract year.",
            )
        ]
        indexes = [models.Index(fields=["contract_year", "status"])]

    def __str__(self) -> str:
        return f"{self.pcn.name}: registration {self.contract_year}"

    def get_absolute_url(self) -> str:
        return reverse("pcn:registration-detail", args=[self.pk])

    @property
    def is_frozen(self) -> bool:
        return self.status != RegistrationStatus.DRAFT and self.status != RegistrationStatus.RETURNED

    @property
    def masked_account_number(self) -> str:
        return mask_account_number(self.bank_account_number)


@pghistory.track()
class RegistrationMember(models.Model):
    """A member practice as the submitted registration lists it: its ODS code,
    name and list size at the reference date, frozen so that later list-size
    imports never rewrite what was submitted."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="members")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    ods_code = models.CharField("ODS code", max_length=6)
    practice_name = models.CharField(max_length=200)
    list_size = models.PositiveIntegerField(null=True, blank=True)
    other_ccg = models.BooleanField(default=False)

    class Meta:
        ordering = ["practice_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "practice"],
                name="pcn_registration_member_once",
                violation_error_message="This practice is already listed in the registration.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.practice_name} ({self.ods_code})"


class AgreementScheduleQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the registration sees the schedule its members signed."""
        return self.filter(registration__in=Registration.objects.visible_to(user))


@pghistory.track()
class AgreementSchedule(models.Model):
    """The signed schedule of the initial Network Agreement, as staff upload
    it (a scan or PDF of the page each member practice signed). Kept with its
    SHA-256 under a new name: a second upload is a new row, never an overwrite."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="schedules")
    file = models.FileField(upload_to="pcn/schedules/%Y/%m/")
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock_now, editable=False)

    objects = AgreementScheduleQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("pcn:schedule-download", args=[self.pk])


@pghistory.track()
class AgreementSignature(models.Model):
    """A member practice's signature of the initial Network Agreement for a
    registration: confirmed by the practice's own user, or recorded by staff
    from the signed schedule they upload. Signatures are added, never edited."""

    registration = models.ForeignKey(Registration, on_delete=models.PROTECT, related_name="signatures")
    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="+")
    # The practice's name when it signed, so the history names it.
    practice_name = models.CharField(max_length=200, blank=True)
    signed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    signed_at = models.DateTimeField(default=clock_now, editable=False)
    signatory = models.CharField(
        "signed for the practice by",
        max_length=200,
        blank=True,
        help_text="The partner who signs for the practice (on a schedule, their signature is on the page).",
    )
    recorded_by_staff = models.BooleanField(default=False, help_text="Recorded from the signed schedule.")
    schedule = models.ForeignKey(
        AgreementSchedule,
        on_delete=models.PROTECT,
        related_name="signatures",
        null=True,
        blank=True,
        verbose_name="signed schedule",
    )

    class Meta:
        ordering = ["signed_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "practice"],
                name="pcn_agreement_signed_once",
                violation_error_message="This practice has already signed the network agreement.",
            ),
            models.CheckConstraint(
                condition=~Q(signatory="") | Q(schedule__isnull=False),
                name="pcn_signature_names_signatory_or_schedule",
                violation_error_message="Enter the name of the partner who signs for the practice.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.practice} signed {self.signed_at:%d/%m/%Y}"


class RateKind(models.TextChoices):
    CORE = "core", "Core PCN funding"
    CLINICAL_DIRECTOR = "clinical_director", "Clinical director contribution"
    EXTENDED_HOURS = "extended_hours", "Extended hours access"
    PARTICIPATION = "participation", "Network participation payment (to each practice)"


@pghistory.track()
class Rate(models.Model):
    """A rate per patient a year for one contract year, over the period it is
    paid (clinical director: July 2019 to March 2020). Data, not constants."""

    contract_year = models.ForeignKey(ContractYear, on_delete=models.PROTECT, related_name="rates")
    kind = models.CharField(max_length=30, choices=RateKind.choices)
    per_patient_per_year = models.DecimalField(max_digits=10, decimal_places=4)
    starts = models.DateField()
    ends = models.DateField()
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["contract_year", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_year", "kind"],
                name="pcn_one_rate_per_kind_and_year",
                violation_error_message="This rate is already set for the contract year.",
            ),
            models.CheckConstraint(
                condition=Q(ends__gte=F("starts")) & Q(per_patient_per_year__gte=0),
                name="pcn_rate_plausible",
                violation_error_message="A rate is not negative and ends after it starts.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.contract_year}: £{self.per_patient_per_year} per patient"


@pghistory.track()
class Payment(models.Model):
    """Money received for a network, for a month of its schedule."""

    pcn = models.ForeignKey(PCN, on_delete=models.PROTECT, related_name="payments")
    month = models.DateField(help_text="The first day of the month the payment is for.")
    kind = models.CharField(max_length=30, choices=RateKind.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    received_on = models.DateField()
    reference = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["month", "kind"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount__gte=0),
                name="pcn_payment_not_negative",
                violation_error_message="An amount cannot be negative.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.pcn.code} {self.month:%b %Y} {self.amount}"


# Workforce: the additional roles reimbursement scheme ----------------------------


class StaffRole(models.TextChoices):
    """The additional roles of the Network Contract DES, in the order the
    networks were to take them on (seed 003: 2019 clinical pharmacists and
    social prescribers, 2020 physiotherapists and physician associates, 2021
    community paramedics)."""

    CLINICAL_PHARMACIST = "clinical_pharmacist", "Clinical pharmacist"
    SOCIAL_PRESCRIBER = "social_prescriber", "Social prescribing link worker"
    PHYSIOTHERAPIST = "physiotherapist", "First contact physiotherapist"
    PHYSICIAN_ASSOCIATE = "physician_associate", "Physician associate"
    PARAMEDIC = "paramedic", "Community paramedic"


@pghistory.track()
class RoleReimbursement(models.Model):
    """What the additional roles reimbursement scheme pays for one role in one
    contract year: a share of the post's costs, up to a cap per whole-time
    post a year (2019/20: 70% of a clinical pharmacist's costs up to £37,810;
    100% of a social prescribing link worker's up to £34,113). Data, not
    constants."""

    contract_year = models.ForeignKey(
        ContractYear, on_delete=models.PROTECT, related_name="role_reimbursements"
    )
    role = models.CharField(max_length=30, choices=StaffRole.choices)
    percent = models.DecimalField("share of costs reimbursed (%)", max_digits=5, decimal_places=2)
    annual_cap = models.DecimalField("cap per whole-time post a year", max_digits=14, decimal_places=2)

    class Meta:
        ordering = ["contract_year", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["contract_year", "role"],
                name="pcn_one_reimbursement_per_role_and_year",
                violation_error_message="The reimbursement for this role is already set for the contract year.",
            ),
            models.CheckConstraint(
                condition=Q(percent__gte=0) & Q(percent__lte=100) & Q(annual_cap__gte=0),
                name="pcn_reimbursement_plausible",
                violation_error_message="A share is between 0% and 100% and a cap is not negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} {self.contract_year}: {plain(self.percent)}% up to £{self.annual_cap:,}"


class WorkforcePostQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the network sees its workforce plan."""
        return self.filter(pcn__in=PCN.objects.visible_to(user))


@pghistory.track()
class WorkforcePost(models.Model):
    """A post in a network's workforce plan for a contract year: the role,
    how many whole-time equivalents, from when (to when), and who employs it.
    Reimbursement is claimed against it month by month, up to its cap."""

    pcn = models.ForeignKey(PCN, on_delete=models.PROTECT, related_name="workforce_posts", verbose_name="PCN")
    contract_year = models.ForeignKey(ContractYear, on_delete=models.PROTECT, related_name="workforce_posts")
    role = models.CharField(max_length=30, choices=StaffRole.choices)
    title = models.CharField(
        "post", max_length=200, help_text="As the plan names it, e.g. Clinical pharmacist (Oadby)."
    )
    wte = models.DecimalField("whole-time equivalent", max_digits=4, decimal_places=2)
    starts = models.DateField("from", validators=[plausible_date])
    ends = models.DateField("to", null=True, blank=True, validators=[plausible_date])
    employer = models.CharField("employed by", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = WorkforcePostQuerySet.as_manager()

    class Meta:
        ordering = ["contract_year", "role", "starts", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(wte__gt=0) & Q(wte__lte=10),
                name="pcn_post_wte_plausible",
                violation_error_message="Enter a whole-time equivalent above 0 and at most 10.",
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")),
                name="pcn_post_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]
        indexes = [models.Index(fields=["pcn", "contract_year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.wte_shown} WTE)"

    def get_absolute_url(self) -> str:
        return reverse("pcn:workforce", args=[self.pcn.code])

    @property
    def wte_shown(self) -> str:
        return plain(self.wte)


class ReimbursementClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(post__in=WorkforcePost.objects.visible_to(user))


@pghistory.track()
class ReimbursementClaim(models.Model):
    """A month's claim for a post under the additional roles scheme: the
    post's costs that month, and the amount claimed (the scheme's share of
    the costs, cut to what is left of the post's cap for the year)."""

    post = models.ForeignKey(WorkforcePost, on_delete=models.PROTECT, related_name="claims")
    month = models.DateField(help_text="The first day of the month claimed for.")
    costs = models.DecimalField("costs (salary and on-costs)", max_digits=14, decimal_places=2)
    amount = models.DecimalField("amount claimed", max_digits=14, decimal_places=2)
    capped = models.BooleanField(default=False, help_text="The claim was cut to what was left of the cap.")
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    claimed_at = models.DateTimeField(default=clock_now, editable=False)

    objects = ReimbursementClaimQuerySet.as_manager()

    class Meta:
        ordering = ["month", "post"]
        constraints = [
            models.UniqueConstraint(
                fields=["post", "month"],
                name="pcn_one_claim_per_post_and_month",
                violation_error_message="This month is already claimed for this post.",
            ),
            models.CheckConstraint(
                condition=Q(costs__gte=0) & Q(amount__gte=0) & Q(amount__lte=F("costs")),
                name="pcn_claim_plausible",
                violation_error_message="A claim is not negative and never more than the costs.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post.title} {self.month:%B %Y}: £{self.amount:,}"


# Maturity: seed 003's matrix ------------------------------------------------------


class MaturityLevel(models.IntegerChoices):
    FOUNDATIONS = 0, "Foundations for transformation"
    STEP_1 = 1, "Step 1"
    STEP_2 = 2, "Step 2"
    STEP_3 = 3, "Step 3"


# The matrix's rows: (field, heading).
MATURITY_DOMAINS = [
    ("right_scale", "Right scale"),
    ("integrated_working", "Integrated working"),
    ("targeting_care", "Targeting care"),
    ("managing_resources", "Managing resources"),
    ("empowered_primary_care", "Empowered primary care"),
]


class MaturityAssessmentQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Whoever sees the network sees its self-assessments."""
        return self.filter(pcn__in=PCN.objects.visible_to(user))


def _level_field(heading: str):
    return models.PositiveSmallIntegerField(heading.lower(), choices=MaturityLevel.choices)


@pghistory.track()
class MaturityAssessment(models.Model):
    """A network's dated self-assessment against the PCN maturity matrix
    (seed 003): for each of its five rows, the level reached, from the
    foundations for transformation to step 3. Assessments are added, never
    changed, so progress shows over time."""

    pcn = models.ForeignKey(
        PCN, on_delete=models.PROTECT, related_name="maturity_assessments", verbose_name="PCN"
    )
    assessed_on = models.DateField("assessed on", validators=[plausible_date])
    right_scale = _level_field("Right scale")
    integrated_working = _level_field("Integrated working")
    targeting_care = _level_field("Targeting care")
    managing_resources = _level_field("Managing resources")
    empowered_primary_care = _level_field("Empowered primary care")
    notes = models.TextField(blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MaturityAssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["pcn", "assessed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["pcn", "assessed_on"],
                name="pcn_one_assessment_a_day",
                violation_error_message="The network already has an assessment on this date.",
            ),
            models.CheckConstraint(
                condition=Q(right_scale__lte=3)
                & Q(integrated_working__lte=3)
                & Q(targeting_care__lte=3)
                & Q(managing_resources__lte=3)
                & Q(empowered_primary_care__lte=3),
                name="pcn_assessment_levels",
                violation_error_message="A level is the foundations or step 1, 2 or 3.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.pcn.name}: maturity {self.assessed_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("pcn:maturity", args=[self.pcn.code])

    def levels(self) -> list[tuple[str, str, int]]:
        """(field, heading, level) for each row of the matrix."""
        return [(name, heading, getattr(self, name)) for name, heading in MATURITY_DOMAINS]
