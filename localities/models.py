"""Localities, member practices (by ODS code) and their registered list sizes.

List sizes are dated figures, never overwritten: "the list size" of a practice
is its latest figure on or before a given date.
"""

import re
from datetime import date

import pghistory
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, Upper
from django.urls import reverse

from fedportal.clock import now as clock_now
from fedportal.importers import importer

ODS_PRACTICE_PATTERN = r"^[A-Z]\d{5}$"
ODS_CODE_MESSAGE = "Enter a GP practice ODS code: one capital letter then five digits, like C82001."
validate_ods_code = RegexValidator(ODS_PRACTICE_PATTERN, message=ODS_CODE_MESSAGE)
POSTCODE_RE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}$")
POSTCODE_MESSAGE = "Enter a full UK postcode, like LE16 7BB."


def normalise_postcode(value: str) -> str:
    """Upper case with one space before the inward code: 'le8 0lg' -> 'LE8 0LG'."""
    compact = re.sub(r"\s+", "", value or "").upper()
    return f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact


class LocalityQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every locality; a practice user sees their practices' localities."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_practice:
            return self
        return self.filter(pk__in=Practice.objects.visible_to(user).values("locality"))

    def with_population(self, as_at: date, *, user):
        """Annotate ``population`` (sum of the latest figures on or before
        ``as_at`` of the member practices open that day) and ``practice_count``,
        counting only the practices ``user`` may see: a practice user's total
        never includes another practice's figures. The user is required, so
        that this scoping cannot be forgotten."""
        counted = Practice.objects.visible_to(user).members(on=as_at)
        open_practices = counted.open_on(as_at).filter(locality=OuterRef("pk"))
        population = (
            open_practices.annotate(latest=Subquery(ListSize.latest_on(as_at)))
            .values("locality")
            .annotate(total=Sum("latest"))
            .values("total")
        )
        counts = open_practices.values("locality").annotate(n=models.Count("pk")).values("n")
        return self.annotate(
            population=Coalesce(Subquery(population), 0),
            practice_count=Coalesce(Subquery(counts), 0),
        )


@pghistory.track()
class Locality(models.Model):
    """A group of neighbouring member practices (ELR has six), the unit the
    board is drawn from and transformation funds are given to."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    short_name = models.CharField(
        max_length=30, blank=True, help_text="As the board papers write it, e.g. O&W."
    )
    description = models.TextField(blank=True)

    objects = LocalityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "localities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("localities:locality-detail", args=[self.slug])


class PracticeStatus(models.TextChoices):
    OPEN = "open", "Open"
    DORMANT = "dormant", "Dormant"
    CLOSED = "closed", "Closed"
    PROPOSED = "proposed", "Proposed"


# ODS status codes (epraccur column 13).
ODS_STATUS = {
    "A": PracticeStatus.OPEN,
    "D": PracticeStatus.DORMANT,
    "C": PracticeStatus.CLOSED,
    "P": PracticeStatus.PROPOSED,
}


def open_q(day: date) -> Q:
    """Open on ``day`` (``PracticeQuerySet.open_on``), as a condition."""
    opened = Q(open_date__isnull=True) | Q(open_date__lte=day)
    not_closed = Q(close_date__isnull=True) | Q(close_date__gt=day)
    not_merged = Q(merged_on__isnull=True) | Q(merged_on__gt=day)
    end_known = Q(status=PracticeStatus.OPEN) | Q(close_date__isnull=False) | Q(merged_on__isnull=False)
    return opened & not_closed & not_merged & end_known


def member_q(day: date, prefix: str = "") -> Q:
    """A member of the federation on ``day`` (``PracticeQuerySet.members``),
    as a condition on the practice reached through ``prefix`` ("practice__")."""
    return Q(**{f"{prefix}member_from__lte": day}) & (
        Q(**{f"{prefix}member_until__isnull": True}) | Q(**{f"{prefix}member_until__gt": day})
    )


class PracticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every practice; a practice user only their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_practice:
            return self
        return self.filter(pk__in=PracticeMembership.objects.filter(user=user).values("practice"))

    def members(self, *, on: date):
        """The federation's member practices on ``on``: those staff admitted
        (``member_from`` on or before that day) and that had not left by
        then. Whatever a commissioner's file lists, only members count in the
        federation's figures, matrices and pickers."""
        return self.filter(member_q(on))

    def open_on(self, day: date):
        """Practices open on ``day``: opened by then, not closed and not merged
        into another by then. A dormant or closed practice with neither a close
        nor a merger date is never counted, since when it stopped is unknown.
        The same rule as ``with_status_on`` giving "open"."""
        return self.filter(open_q(day))

    def with_status_on(self, day: date):
        """Annotate ``status_on``: the practice's status on ``day`` from its
        dates, not from today's file. Not yet opened: proposed. Closed or
        merged by then: the file's status when that says it stopped, else
        closed. Running then: open when the file says so or its end is a
        known later date (a practice that merges in April is open in
        February, whatever a later file says), else what the file says."""
        not_opened = Q(open_date__gt=day)
        ended = Q(close_date__lte=day) | Q(merged_on__lte=day)
        return self.annotate(
            status_on=Case(
                When(not_opened, then=Value(PracticeStatus.PROPOSED.value)),
                When(ended & Q(status=PracticeStatus.OPEN), then=Value(PracticeStatus.CLOSED.value)),
                When(ended, then=F("status")),
                When(open_q(day), then=Value(PracticeStatus.OPEN.value)),
                default=F("status"),
                output_field=models.CharField(),
            )
        )

    def list_size_on(self, day: date):
        """Annotate ``list_size`` and ``list_size_at``: "the list size" of each
        practice on ``day``, its latest figure as at ``day`` or before. The one
        rule for every page that shows a practice's list size: a figure dated
        after ``day`` (an extract published ahead, say) is kept but not yet
        counted. ``ListSize.latest_on`` is the same rule as a subquery."""
        return self.annotate(
            list_size=Subquery(ListSize.latest_on(day)),
            list_size_at=Subquery(ListSize.latest_on(day, value="as_at")),
        )

    def for_table(self, as_at: date):
        """What lists of practices show: the locality, and the list size on ``as_at``."""
        return self.select_related("locality").list_size_on(as_at)


@pghistory.track()
class Practice(models.Model):
    """A GP practice, known by its ODS code. Status, dates and address come
    from the ODS epraccur file; locality and shareholding are the federation's."""

    ods_code = models.CharField(
        "ODS code",
        max_length=6,
        unique=True,
        validators=[validate_ods_code],
        error_messages={"unique": "A practice with this ODS code is already in the portal."},
    )
    name = models.CharField(max_length=200)
    address = models.TextField(blank=True, help_text="One line per address line.")
    postcode = models.CharField(max_length=8, blank=True)
    locality = models.ForeignKey(
        Locality, on_delete=models.PROTECT, null=True, blank=True, related_name="practices"
    )
    commissioner_code = models.CharField(
        "commissioner", max_length=5, blank=True, help_text="CCG or sub-ICB location code, e.g. 03W."
    )
    status = models.CharField(max_length=10, choices=PracticeStatus.choices, default=PracticeStatus.OPEN)
    open_date = models.DateField(null=True, blank=True)
    close_date = models.DateField(null=True, blank=True)
    is_shareholder = models.BooleanField("shareholder of the federation", default=False)
    # Membership is the federation's decision (its shareholders vote it), not
    # a commissioner's file: an imported practice is not a member until staff
    # say so. Dates rather than a flag, so that a figure "at" a day counts the
    # members of that day, as list sizes and open dates are read at a day.
    member_from = models.DateField(
        "member of the federation from",
        null=True,
        blank=True,
        help_text="Leave empty for a practice that is not a member (an imported walk-in centre, say).",
    )
    member_until = models.DateField(
        "member until",
        null=True,
        blank=True,
        help_text="The day it stopped being a member, if it has left.",
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_practices",
        help_text="The practice this one merged into, if it did.",
    )
    merged_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["name", "ods_code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ods_code__regex=ODS_PRACTICE_PATTERN),
                name="practice_ods_code_format",
                violation_error_message=ODS_CODE_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(merged_into__isnull=True) | Q(merged_on__isnull=False),
                name="practice_merger_has_date",
                violation_error_message="Give the date of the merger.",
            ),
            models.CheckConstraint(
                condition=Q(member_until__isnull=True)
                | (Q(member_from__isnull=False) & Q(member_until__gt=F("member_from"))),
                name="practice_membership_ends_after_start",
                violation_error_message="A membership ends after it starts.",
            ),
            models.CheckConstraint(
                condition=Q(close_date__isnull=True)
                | Q(open_date__isnull=True)
                | Q(close_date__gte=F("open_date")),
                name="practice_closes_after_opening",
                violation_error_message="The close date must be on or after the open date.",
            ),
        ]
        indexes = [
            models.Index(fields=["locality", "status"]),
            models.Index(fields=["postcode"]),
            # The practice list's default order, so a page is read off the
            # index instead of sorting every practice.
            models.Index(fields=["name"], name="practice_name"),
            # PracticeFilterSet.search, which Django writes as UPPER(name) LIKE
            # '%…%' (a pg_trgm index) OR UPPER(ods_code) / UPPER(postcode)
            # LIKE '…%' (prefix indexes): all three, or it reads every row.
            GinIndex(OpClass(Upper("name"), name="gin_trgm_ops"), name="practice_name_trgm"),
            models.Index(
                OpClass(Upper("ods_code"), name="text_pattern_ops"), name="practice_ods_code_prefix"
            ),
            models.Index(
                OpClass(Upper("postcode"), name="text_pattern_ops"), name="practice_postcode_prefix"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.ods_code})"

    def get_absolute_url(self) -> str:
        return reverse("localities:practice-detail", args=[self.ods_code])

    def clean(self):
        self.ods_code = (self.ods_code or "").strip().upper()
        if self.postcode:
            # Checked after normalising: the space it adds must still fit the
            # column (a typed "Infinity" would become "INFIN ITY").
            postcode = normalise_postcode(self.postcode)
            if not POSTCODE_RE.match(postcode):
                raise ValidationError({"postcode": POSTCODE_MESSAGE})
            self.postcode = postcode

    def is_member_on(self, day: date) -> bool:
        """``PracticeQuerySet.members`` for one practice in memory."""
        return (
            self.member_from is not None
            and self.member_from <= day
            and (self.member_until is None or self.member_until > day)
        )

    @property
    def address_lines(self) -> list[str]:
        return [line for line in self.address.splitlines() if line.strip()]


class ListSizeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(practice__in=Practice.objects.visible_to(user))


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class ListSize(models.Model):
    """A practice's registered patients at a date, as published by NHS Digital
    or recorded by staff. Figures are added, never overwritten."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="list_sizes")
    as_at = models.DateField("as at")
    registered_patients = models.PositiveIntegerField()
    source = models.CharField(
        max_length=200, blank=True, help_text="The file or person the figure came from."
    )
    recorded_at = models.DateTimeField(default=clock_now, editable=False)

    objects = ListSizeQuerySet.as_manager()

    class Meta:
        ordering = ["practice", "-as_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["practice", "as_at"],
                name="one_list_size_per_practice_and_date",
                violation_error_message="A list size for this practice at this date is already recorded.",
            )
        ]
        indexes = [
            models.Index(
                fields=["practice", "-as_at"], include=["registered_patients"], name="list_size_latest"
            )
        ]

    def __str__(self) -> str:
        return (
            f"{self.practice.ods_code} at {self.as_at.day} {self.as_at:%B %Y}: {self.registered_patients:,}"
        )

    @staticmethod
    def latest_on(as_at: date, *, practice=None, value: str = "registered_patients"):
        """A subquery: "the list size" of ``practice`` (by default the outer
        query's row, ``OuterRef("pk")``) on ``as_at``, its latest figure as at
        that day or before; ``value`` "as_at" gives that figure's date. For
        queries over practices use ``PracticeQuerySet.list_size_on``; over
        rows that point to a practice, pass ``practice=OuterRef("practice")``."""
        practice = OuterRef("pk") if practice is None else practice
        return (
            ListSize.objects.filter(practice=practice, as_at__lte=as_at).order_by("-as_at").values(value)[:1]
        )


class PracticeMembership(models.Model):
    """Attaches a practice user (a practice manager, say) to a practice whose
    records they keep."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_memberships"
    )
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    job_title = models.CharField(max_length=100, blank=True, default="Practice manager")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"],
                name="one_membership_per_user_and_practice",
                violation_error_message="This user is already attached to this practice.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} at {self.practice}"


class ImportKind(models.TextChoices):
    PRACTICES = "practices", "GP practices (ODS epraccur file)"
    LIST_SIZES = "list_sizes", "Patients registered at a GP practice (NHS Digital)"


def validate_import_kind(value: str) -> None:
    if importer(value) is None:
        raise ValidationError("Choose what the file is.", code="invalid_choice")


class ImportStatus(models.TextChoices):
    PREVIEWED = "previewed", "Previewed, waiting for confirmation"
    APPLIED = "applied", "Applied"
    FAILED = "failed", "Failed"


class ImportRun(models.Model):
    """An NHS data file uploaded by staff: previewed (a dry run), then applied
    once confirmed. The file is kept with its SHA-256 as the record of what was
    imported."""

    # Any kind an app registered (fedportal.importers): localities' own
    # (ImportKind) and others' (pcn's ePCN workbook).
    kind = models.CharField(max_length=20, validators=[validate_import_kind])
    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveBigIntegerField()
    commissioner = models.CharField(max_length=5, blank=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices, default=ImportStatus.PREVIEWED)
    # Empty until the dry run (preview) and the confirmed import (result) have run.
    preview = models.JSONField(default=dict, blank=True)
    result = models.JSONField(default=dict, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=clock_now, editable=False)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.kind_label}: {self.original_name}"

    @property
    def kind_label(self) -> str:
        """What the file is, as the kind's app registered it (the ePCN
        workbook is pcn's: not one of ImportKind's choices)."""
        kind = importer(self.kind)
        return kind.label if kind else self.kind
