"""Services the federation sub-contracts to practices, the evidence each one
requires, sub-contracts (a practice delivering a service between two dates),
and the evidence practices upload and staff review."""

from datetime import date, timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import DateRangeField, RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Func, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, JSONObject
from django.urls import reverse

from contracts.models.organisations import Organisation
from fedportal.clock import now as clock_now
from fedportal.clock import today as clock_today
from fedportal.periods import plausible_date
from localities.models import Practice


class DateRange(Func):
    function = "daterange"
    output_field = DateRangeField()


def _refreshes_requirement_state(operation, subcontract_ids: str) -> pgtrigger.Trigger:
    """A trigger that refreshes, in the writing transaction, the
    ``RequirementState`` rows of the sub-contracts ``subcontract_ids`` selects
    (SQL over the statement's ``old_rows`` and ``new_rows``). One trigger per
    statement, not per row, so a bulk write refreshes each sub-contract once;
    one per operation, since PostgreSQL gives transition tables only to
    triggers of a single event."""
    return pgtrigger.Trigger(
        name=f"requirement_state_{operation}".lower(),
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(
            old="old_rows" if operation in (pgtrigger.Update, pgtrigger.Delete) else None,
            new="new_rows" if operation in (pgtrigger.Insert, pgtrigger.Update) else None,
        ),
        func=f"PERFORM contracts_requirement_state_refresh(ARRAY({subcontract_ids})); RETURN NULL;",
    )


@pghistory.track()
class HeadContract(models.Model):
    """The federation's own contract with a commissioner, under which it
    sub-contracts a service to practices (e.g. Community Based Services with
    Leicestershire County Council)."""

    title = models.CharField(max_length=200)
    commissioner = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="head_contracts")
    paying_organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who pays practices' claims, if not the commissioner (e.g. LLR PCL).",
    )
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="head_contract_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.commissioner})"

    @property
    def payer(self) -> Organisation:
        return self.paying_organisation or self.commissioner


class ServiceQuerySet(models.QuerySet):
    def with_compliance_ranks(self, subcontracts, today):
        """Annotate ``compliance_ranks``: the compliance rank on ``today`` of
        each of ``subcontracts`` for the service (the dashboard's column, and
        its share of the headline counts)."""
        from contracts.compliance import worst_rank

        ranks = subcontracts.filter(service=OuterRef("pk")).order_by().annotate(rank=worst_rank(today))
        return self.annotate(compliance_ranks=ArraySubquery(ranks.values("rank")))


@pghistory.track()
class Service(models.Model):
    """A service practices deliver as sub-contractors to the federation,
    priced per unit of activity."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    head_contract = models.ForeignKey(HeadContract, on_delete=models.PROTECT, related_name="services")
    unit = models.CharField(max_length=60, help_text="What one unit of activity is, e.g. 'breath test'.")
    description = models.TextField(blank=True)
    takes_returns = models.BooleanField(
        "practices make quarterly activity returns",
        default=True,
    )
    archived = models.BooleanField(default=False)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("contracts:service-detail", args=[self.slug])


@pghistory.track()
class Tariff(models.Model):
    """The price of one unit of a service from a date until the next tariff."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="tariffs")
    effective_from = models.DateField(validators=[plausible_date])
    unit_price = models.DecimalField(max_digits=14, decimal_places=2)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["service", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "effective_from"],
                name="one_tariff_per_service_and_date",
                violation_error_message="This service already has a tariff from that date.",
            ),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0),
                name="tariff_not_negative",
                violation_error_message="The unit price cannot be negative.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service}: £{self.unit_price} from {self.effective_from:%d/%m/%Y}"


@pghistory.track()
class EvidenceRequirement(models.Model):
    """A piece of evidence a service requires of each sub-contracting
    practice, configured by staff (an indemnity certificate that expires, a
    schedule of fitters with each clinician's competency evidence, a signed
    sub-contract, a DPO self-assessment)."""

    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="requirements")
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, help_text="What the practice should upload.")
    has_expiry = models.BooleanField("evidence expires", default=True)
    is_clinician_schedule = models.BooleanField(
        "schedule of named clinicians",
        default=False,
        help_text="The practice lists its clinicians (e.g. fitters) and gives evidence for each.",
    )
    position = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["service", "position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["service", "name"],
                name="requirement_name_unique_per_service",
                violation_error_message="This service already requires evidence with that name.",
            )
        ]
        # Adding, stopping or restarting a requirement, or making it a
        # schedule, changes what every sub-contract of its service owes. (A
        # deleted requirement's state rows go with it: ON DELETE CASCADE.)
        triggers = [
            _refreshes_requirement_state(
                pgtrigger.Insert,
                "SELECT s.id FROM contracts_subcontract s"
                " WHERE s.service_id IN (SELECT service_id FROM new_rows WHERE active)",
            ),
            _refreshes_requirement_state(
                pgtrigger.Update,
                "SELECT s.id FROM contracts_subcontract s WHERE s.service_id IN ("
                " SELECT unnest(ARRAY[o.service_id, n.service_id]) FROM old_rows o JOIN new_rows n ON n.id = o.id"
                " WHERE (o.service_id, o.active, o.is_clinician_schedule)"
                " IS DISTINCT FROM (n.service_id, n.active, n.is_clinician_schedule))",
            ),
        ]

    def __str__(self) -> str:
        return self.name


def _active_on(day, via: str = "") -> Q:
    """Sub-contracts (reached through ``via``, e.g. ``"subcontract__"``)
    started by ``day`` and not ended before it."""
    return Q(**{f"{via}start_date__lte": day}) & (
        Q(**{f"{via}end_date__isnull": True}) | Q(**{f"{via}end_date__gte": day})
    )


class SubContractQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and board see every sub-contract; a practice user their own."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.sees_every_practice:
            return self
        return self.filter(practice__in=Practice.objects.visible_to(user))

    def active_on(self, day):
        return self.filter(_active_on(day))

    def with_compliance(self, today):
        """Annotate ``compliance_rank`` on ``today`` (``SubContract.compliance``
        reads its label)."""
        from contracts.compliance import annotate_compliance

        return annotate_compliance(self, today)

    def with_compliance_state(self, compliance: str, today):
        """Only the sub-contracts whose compliance on ``today`` is ``compliance``."""
        from contracts.compliance import filter_compliance

        return filter_compliance(self, compliance, today)

    def for_table(self, today):
        return self.select_related("practice", "practice__locality", "service").with_compliance(today)

    def compliance_cells(self, today) -> ArraySubquery:
        """For a query over practices: the outer practice's sub-contracts
        among these, each as ``{"service": id, "subcontract": id, "rank": n}``
        with its compliance rank on ``today`` (a row of the dashboard)."""
        from contracts.compliance import compliance_rank

        cells = self.filter(practice=OuterRef("pk")).order_by()
        return ArraySubquery(
            cells.values(cell=JSONObject(service="service_id", subcontract="pk", rank=compliance_rank(today)))
        )


@pghistory.track()
class SubContract(models.Model):
    """A practice delivering a service for the federation from one date to
    another (open-ended until it is ended). Its compliance is derived from
    its evidence: see ``contracts.compliance``."""

    practice = models.ForeignKey(Practice, on_delete=models.PROTECT, related_name="subcontracts")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="subcontracts")
    start_date = models.DateField(validators=[plausible_date])
    end_date = models.DateField(null=True, blank=True, validators=[plausible_date])
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SubContractQuerySet.as_manager()

    class Meta:
        ordering = ["practice__name", "service__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="subcontract_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            # A practice holds one sub-contract for a service at a time.
            ExclusionConstraint(
                name="subcontracts_do_not_overlap",
                expressions=[
                    (F("practice"), RangeOperators.EQUAL),
                    (F("service"), RangeOperators.EQUAL),
                    (DateRange("start_date", "end_date", models.Value("[]")), RangeOperators.OVERLAPS),
                ],
                violation_error_message="This practice already has a sub-contract for this service in those dates.",
            ),
        ]
        indexes = [models.Index(fields=["service", "practice"])]
        # A new sub-contract owes its service's requirements; one moved to
        # another service owes that one's. (A deleted one's state rows go
        # with it: ON DELETE CASCADE.)
        triggers = [
            _refreshes_requirement_state(pgtrigger.Insert, "SELECT id FROM new_rows"),
            _refreshes_requirement_state(
                pgtrigger.Update,
                "SELECT n.id FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE n.service_id <> o.service_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.practice.name}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:subcontract-detail", args=[self.pk])

    @property
    def compliance(self) -> str:
        """Its compliance (a ``Compliance`` value): from ``compliance_rank`` when
        the queryset was annotated (``with_compliance(today)``, the way for a
        list), otherwise read now, in one query, for the portal's today."""
        from contracts.compliance import BY_RANK

        if "compliance_rank" not in self.__dict__:
            if self.pk is None:
                raise ValueError("An unsaved sub-contract has no compliance yet: save it first.")
            self.compliance_rank = (
                SubContract.objects.filter(pk=self.pk)
                .with_compliance(clock_today())
                .values_list("compliance_rank", flat=True)
                .get()
            )
        return BY_RANK[self.compliance_rank]

    def clean(self):
        # Checked here so that a reversed range is a message beside the field,
        # not a database error from the overlap constraint.
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": "The end date must be on or after the start date."})

    def is_active_on(self, day) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


@pghistory.track()
class ScheduledClinician(models.Model):
    """A named clinician on a sub-contract's schedule (e.g. a fitter of
    contraceptive devices). Removing one keeps the record with a date."""

    subcontract = models.ForeignKey(SubContract, on_delete=models.PROTECT, related_name="clinicians")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=100, blank=True, help_text="e.g. GP, practice nurse")
    registration = models.CharField(
        "professional registration", max_length=40, blank=True, help_text="GMC or NMC number."
    )
    added_on = models.DateField(default=clock_today)
    removed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        # Who is on a schedule decides whose evidence a sub-contract owes.
        triggers = [
            _refreshes_requirement_state(pgtrigger.Insert, "SELECT DISTINCT subcontract_id FROM new_rows"),
            _refreshes_requirement_state(
                pgtrigger.Update,
                "SELECT DISTINCT unnest(ARRAY[o.subcontract_id, n.subcontract_id])"
                " FROM old_rows o JOIN new_rows n ON n.id = o.id"
                " WHERE (o.subcontract_id, o.removed_on IS NULL) IS DISTINCT FROM (n.subcontract_id, n.removed_on IS NULL)",
            ),
            _refreshes_requirement_state(pgtrigger.Delete, "SELECT DISTINCT subcontract_id FROM old_rows"),
        ]

    def __str__(self) -> str:
        return self.name


class EvidenceStatus(models.TextChoices):
    PENDING = "pending", "Awaiting review"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    # Taken back by the practice before staff decided: kept, file and all,
    # never reviewed, and no longer awaiting review (contracts.compliance).
    WITHDRAWN = "withdrawn", "Withdrawn"


class EvidenceSubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see all evidence; a practice user their practice's; board
        members none (DESIGN.md: never practice uploads)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_federation_staff:
            return self
        if user.is_board_member:
            return self.none()
        return self.filter(subcontract__practice__in=Practice.objects.visible_to(user))

    def for_table(self):
        return self.select_related(
            "subcontract__practice", "subcontract__service", "requirement", "clinician", "submitted_by"
        )

    def first_with_total(self, length: int) -> tuple[list, int]:
        """The first ``length`` submissions of this ordered queryset, with
        what ``for_table()`` reads beside them, and how many there are in all:
        one query. The first are picked before anything is joined to them,
        so that a long list costs no more than its head."""
        first = self.values("pk")[:length]
        total = self.order_by().annotate(all=Value(1)).values("all").annotate(n=Count("pk")).values("n")
        rows = list(
            EvidenceSubmission.objects.for_table()
            .filter(pk__in=first)
            .annotate(total=Coalesce(Subquery(total), 0))
            .order_by(*(self.query.order_by or self.model._meta.ordering))
        )
        return rows, rows[0].total if rows else 0

    def expiring_unreplaced(self, today: date):
        """Accepted evidence that runs out within 30 days and has not been
        replaced by accepted evidence valid for longer, for requirements and
        clinicians still asked for on sub-contracts active today."""
        from contracts.compliance import EXPIRING_WITHIN_DAYS

        soon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
        # The kept state names, for each requirement still asked for (and
        # clinician still on a schedule), the accepted evidence valid longest:
        # any other was replaced. (The dates on both sides let PostgreSQL
        # start from either table's index.)
        best = RequirementState.objects.filter(best_valid_to__gte=today, best_valid_to__lte=soon)
        return self.filter(
            _active_on(today, via="subcontract__"),
            status=EvidenceStatus.ACCEPTED,
            valid_to__gte=today,
            valid_to__lte=soon,
            pk__in=best.values("best_evidence"),
        )


@pghistory.track()
class EvidenceSubmission(models.Model):
    """One upload of evidence for a sub-contract's requirement (and clinician,
    for a schedule). Every upload is a new version; nothing is overwritten.
    ``status`` mirrors the single decision recorded in ``EvidenceDecision``."""

    subcontract = models.ForeignKey(SubContract, on_delete=models.PROTECT, related_name="evidence")
    requirement = models.ForeignKey(EvidenceRequirement, on_delete=models.PROTECT, related_name="submissions")
    clinician = models.ForeignKey(
        ScheduledClinician, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    version = models.PositiveIntegerField()
    file = models.FileField(upload_to="evidence/%Y/%m/", max_length=255)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField("SHA-256", max_length=64)
    description = models.CharField("what it is", max_length=200)
    valid_from = models.DateField(null=True, blank=True, validators=[plausible_date])
    valid_to = models.DateField(null=True, blank=True, validators=[plausible_date])
    notes = models.TextField(blank=True)
    status = models.CharField(max_length=10, choices=EvidenceStatus.choices, default=EvidenceStatus.PENDING)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(default=clock_now, editable=False)

    objects = EvidenceSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=F("valid_from")),
                name="evidence_valid_to_after_from",
                violation_error_message="'Valid to' must be on or after 'valid from'.",
            ),
            models.UniqueConstraint(
                fields=["subcontract", "requirement", "clinician", "version"],
                nulls_distinct=False,
                name="evidence_version_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["subcontract", "requirement", "clinician", "status"], name="evidence_state"),
            models.Index(fields=["status", "submitted_at"], name="evidence_queue"),
            models.Index(fields=["status", "valid_to"], name="evidence_expiry"),
        ]
        # An upload, a decision (it sets ``status``) or a corrected date
        # changes the state of its requirement.
        triggers = [
            _refreshes_requirement_state(pgtrigger.Insert, "SELECT DISTINCT subcontract_id FROM new_rows"),
            _refreshes_requirement_state(
                pgtrigger.Update,
                "SELECT DISTINCT unnest(ARRAY[o.subcontract_id, n.subcontract_id])"
                " FROM old_rows o JOIN new_rows n ON n.id = o.id"
                " WHERE (o.subcontract_id, o.requirement_id, o.clinician_id, o.status, o.valid_to)"
                " IS DISTINCT FROM (n.subcontract_id, n.requirement_id, n.clinician_id, n.status, n.valid_to)",
            ),
            _refreshes_requirement_state(pgtrigger.Delete, "SELECT DISTINCT subcontract_id FROM old_rows"),
        ]

    def __str__(self) -> str:
        return f"{self.requirement} v{self.version} – {self.subcontract.practice.name}"

    def get_absolute_url(self) -> str:
        return reverse("contracts:evidence-detail", args=[self.pk])


class Decision(models.TextChoices):
    ACCEPT = "accepted", "Accept"
    REJECT = "rejected", "Reject"


@pghistory.track()
class EvidenceDecision(models.Model):
    """A member of staff's decision on one submission, with the reason the
    practice sees. One decision per submission, enforced by the database, so
    two people deciding at once cannot both win."""

    submission = models.OneToOneField(EvidenceSubmission, on_delete=models.PROTECT, related_name="decision")
    decision = models.CharField(max_length=10, choices=Decision.choices)
    reason = models.TextField(blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(default=clock_now, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(decision="accepted") | ~Q(reason=""),
                name="rejection_has_a_reason",
                violation_error_message="Give the practice a reason for rejecting their evidence.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} by {self.decided_by}"


class RequirementState(models.Model):
    """Where one requirement of a sub-contract stands, whatever the day: the
    end of its best accepted evidence and whether an upload awaits review.
    One row per sub-contract, active requirement of its service and, for a
    schedule, clinician on it now (one row with no clinician when nobody is).
    ``contracts.compliance`` judges these rows against a day.

    Kept by the database, never written by Django: the triggers on
    sub-contracts, requirements, clinicians and evidence call
    ``contracts_requirement_state_refresh`` (migration 0006) in the writing
    transaction, and the foreign keys delete a row with what it refers to."""

    subcontract = models.ForeignKey(
        SubContract,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # ON DELETE CASCADE, added by the migration
        db_index=False,  # the unique constraint's index leads with it
        related_name="requirement_states",
    )
    requirement = models.ForeignKey(
        EvidenceRequirement,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    clinician = models.ForeignKey(
        ScheduledClinician,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    # The accepted evidence valid longest (of two ending the same day, the
    # later version), and its end: 'infinity' (read as date.max) when it does
    # not expire, NULL when nothing was accepted.
    best_evidence = models.ForeignKey(
        "EvidenceSubmission",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        db_index=False,
        null=True,
        related_name="+",
    )
    best_valid_to = models.DateField(null=True)
    pending = models.BooleanField("an upload awaits review", default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subcontract", "requirement", "clinician"],
                nulls_distinct=False,
                name="one_state_per_requirement",
            )
        ]
        indexes = [models.Index(fields=["best_valid_to"], name="requirement_state_best")]
        # Emptied by a TRUNCATE (of this table, or cascading from evidence,
        # clinicians or requirements), it is rebuilt for what is left.
        triggers = [
            pgtrigger.Trigger(
                name="requirement_state_rebuild",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Truncate,
                func="PERFORM contracts_requirement_state_refresh(ARRAY(SELECT id FROM contracts_subcontract));"
                " RETURN NULL;",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subcontract_id}: {self.requirement_id}/{self.clinician_id or '-'}"


class SubContractCompliance(models.Model):
    """Where a sub-contract's compliance stands on any day, kept whole.

    A requirement only gets worse as the days pass without a write (valid,
    then expiring or awaiting review, then expired), so a sub-contract, as
    bad as its worst requirement, does too: its compliance on a day is the
    worst state whose first day has come. Each column is the first day on
    which it is in that state or a worse one: ``'-infinity'`` (read as
    ``date.min``) when it always is, ``'infinity'`` (``date.max``) when it
    never will be without a write. Today's compliance is then a comparison
    of indexed dates with today (``contracts.compliance``).

    Kept by the database in the same transaction as ``RequirementState``,
    from its rows (``contracts_subcontract_compliance_refresh``, migration
    0007), never written by Django; one row per sub-contract, deleted with it."""

    subcontract = models.OneToOneField(
        SubContract,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,  # ON DELETE CASCADE, added by the migration
        related_name="kept_compliance",
    )
    expiring_or_worse_from = models.DateField()
    awaiting_review_or_worse_from = models.DateField()
    missing_or_worse_from = models.DateField()
    expired_from = models.DateField()

    class Meta:
        constraints = [
            # Worse states start no earlier than better ones.
            models.CheckConstraint(
                condition=Q(expiring_or_worse_from__lte=F("awaiting_review_or_worse_from"))
                & Q(awaiting_review_or_worse_from__lte=F("missing_or_worse_from"))
                & Q(missing_or_worse_from__lte=F("expired_from")),
                name="compliance_gets_worse_in_order",
            )
        ]
        indexes = [
            models.Index(fields=["expiring_or_worse_from"], name="compliance_expiring_from"),
            models.Index(fields=["awaiting_review_or_worse_from"], name="compliance_awaiting_from"),
            models.Index(fields=["missing_or_worse_from"], name="compliance_missing_from"),
            models.Index(fields=["expired_from"], name="compliance_expired_from"),
        ]
        # Emptied by a TRUNCATE, it is rebuilt from the requirements' state.
        triggers = [
            pgtrigger.Trigger(
                name="subcontract_compliance_rebuild",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Truncate,
                func="PERFORM contracts_subcontract_compliance_refresh(ARRAY(SELECT id FROM contracts_subcontract));"
                " RETURN NULL;",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subcontract_id}: expired from {self.expired_from}"
