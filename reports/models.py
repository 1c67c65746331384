"""The board's papers (issue 12): the workstreams of the monthly COO report
(seed 000's sections (a) to (t)) and their dated updates, milestones, the risk
register, the board's action log, board meetings with their agenda and
lettered papers, and the COO report of a month with its published versions.

Only inputs are stored; the report's tables are read from the other apps
when it is rendered (``reports.selectors``), and frozen only when a version
is published (its PDF bytes, kept once with their SHA-256).

Everything here is the federation's: staff keep it; board members read the
published reports only (``visible_to``); practice users see none of it."""

from datetime import date, timedelta

import pghistory
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from fedportal.clock import now as clock_now
from fedportal.periods import plausible_date


def _staff_only(queryset, user):
    if not user.is_authenticated or not user.is_active or not user.is_federation_staff:
        return queryset.none()
    return queryset


class StaffQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The records behind the report are staff's: drafts, unpublished."""
        return _staff_only(self, user)


class Rag(models.TextChoices):
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"


RAG_TAGS = {Rag.GREEN: "nhsuk-tag--green", Rag.AMBER: "nhsuk-tag--yellow", Rag.RED: "nhsuk-tag--red"}


def month_label(month: date) -> str:
    return month.strftime("%B %Y")


def month_slug(month: date) -> str:
    return month.strftime("%Y-%m")


@pghistory.track()
class Workstream(models.Model):
    """A programme the COO reports on each month: one lettered section of the
    report ((a) Business plan, (b) Localities and transformation fund ...),
    in ``position`` order; archived when finished (no longer in the report)."""

    title = models.CharField(max_length=200)
    lead = models.CharField(max_length=100, blank=True, help_text="Who leads it, e.g. JW / RB.")
    status = models.CharField("RAG status", max_length=5, choices=Rag.choices, default=Rag.GREEN)
    position = models.PositiveSmallIntegerField(
        "order in the report", default=0, help_text="Smaller first: the report letters them (a), (b) ..."
    )
    archived = models.BooleanField(default=False, help_text="Finished: left out of new reports.")

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["archived", "position", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title"],
                name="reports_workstream_title_unique",
                violation_error_message="A workstream with this title already exists.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:workstream-detail", args=[self.pk])

    @property
    def status_tag(self) -> str:
        return RAG_TAGS[self.status]


@pghistory.track()
class WorkstreamUpdate(models.Model):
    """What the COO writes for a workstream in one month's report: Markdown
    paragraphs and bullets, rendered through ``reports.markdown`` (markup in
    it is shown as text, never run)."""

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="updates")
    month = models.DateField(help_text="The first day of the report's month.")
    body = models.TextField(
        "update",
        max_length=20_000,
        help_text="Markdown: a blank line between paragraphs, '- ' at the start of a bullet.",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["month", "workstream__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "month"],
                name="reports_one_update_per_month",
                violation_error_message="This workstream already has an update for this month.",
            ),
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="reports_update_month_first_day",
                violation_error_message="The month is stored as its first day.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.workstream}: {month_label(self.month)}"

    def get_absolute_url(self) -> str:
        return self.workstream.get_absolute_url()


class MilestoneStatus(models.TextChoices):
    COMPLETED = "completed", "Completed"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OVERDUE = "overdue", "Overdue"


MILESTONE_TAGS = {
    MilestoneStatus.COMPLETED: "nhsuk-tag--green",
    MilestoneStatus.ON_TRACK: "nhsuk-tag--blue",
    MilestoneStatus.AT_RISK: "nhsuk-tag--yellow",
    MilestoneStatus.OVERDUE: "nhsuk-tag--red",
}


def milestone_status(
    *, due_date: date, completed_on: date | None, forecast_date: date | None, on: date
) -> str:
    """The one rule (seed 004's style), from the dates: completed once done;
    overdue when its due date has passed; at risk when it is forecast to land
    after its due date; otherwise on track."""
    if completed_on is not None and completed_on <= on:
        return MilestoneStatus.COMPLETED
    if due_date < on:
        return MilestoneStatus.OVERDUE
    if forecast_date is not None and forecast_date > due_date:
        return MilestoneStatus.AT_RISK
    return MilestoneStatus.ON_TRACK


@pghistory.track()
class Milestone(models.Model):
    """A dated step of a workstream, with a code (seed 004: "M1.2"). Its status
    is derived from the dates (``milestone_status``); when it slips (forecast
    after the due date, or overdue) an exception note says why and what next."""

    workstream = models.ForeignKey(Workstream, on_delete=models.PROTECT, related_name="milestones")
    code = models.CharField(max_length=20)
    description = models.CharField(max_length=300)
    due_date = models.DateField(validators=[plausible_date])
    forecast_date = models.DateField(
        null=True,
        blank=True,
        validators=[plausible_date],
        help_text="When it is now expected, if not on time.",
    )
    completed_on = models.DateField(null=True, blank=True, validators=[plausible_date])
    exception_note = models.TextField(
        blank=True, max_length=2000, help_text="Why it slipped and what is being done: needed once it slips."
    )

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["workstream", "code"],
                name="reports_milestone_code_unique",
                violation_error_message="This workstream already has a milestone with this code.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.description}"

    def get_absolute_url(self) -> str:
        return self.workstream.get_absolute_url()

    def status_on(self, on: date) -> str:
        return milestone_status(
            due_date=self.due_date, completed_on=self.completed_on, forecast_date=self.forecast_date, on=on
        )


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


@pghistory.track()
class Risk(models.Model):
    """A line of the risk register (seed 000, section (d), Paper E): the risk,
    its owner, likelihood and impact (1 to 5 each; the score is their
    product), the mitigation and whether it is open. Its history gives the
    trend since last month's report."""

    title = models.CharField("risk", max_length=300)
    workstream = models.ForeignKey(
        Workstream, on_delete=models.PROTECT, related_name="risks", null=True, blank=True
    )
    owner = models.CharField(max_length=100)
    likelihood = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 (rare) to 5 (almost certain)."
    )
    impact = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(5)], help_text="1 (negligible) to 5 (severe)."
    )
    mitigation = models.TextField(blank=True, max_length=4000)
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    is_key = models.BooleanField("key risk", default=False, help_text="Named in the COO report.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["status", "-is_key", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(likelihood__gte=1, likelihood__lte=5, impact__gte=1, impact__lte=5),
                name="reports_risk_scores_1_to_5",
                violation_error_message="Likelihood and impact are each from 1 to 5.",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reports:risk-list")

    @property
    def score(self) -> int:
        return self.likelihood * self.impact


class MeetingAttendance(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    IN_ATTENDANCE = "in_attendance", "In attendance"


@pghistory.track()
class BoardMeeting(models.Model):
    """A meeting of the federation's board: when and where, who came, its
    agenda, and its papers lettered A, B, C ..."""

    held_on = models.DateField("date", unique=True, validators=[plausible_date])
    venue = models.CharField(max_length=200)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"Board meeting {self.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:meeting-detail", args=[self.pk])


class Attendee(models.Model):
    """A director (or guest) at a meeting, with the locality they sit for."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=100)
    represents = models.CharField(max_length=100, blank=True, help_text="e.g. the locality they sit for.")
    attendance = models.CharField(max_length=20, choices=MeetingAttendance.choices)

    class Meta:
        ordering = ["attendance", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "name"],
                name="reports_attendee_once",
                violation_error_message="This person is already listed for this meeting.",
            )
        ]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    """An item of a meeting's agenda, with declarations of interest on it."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    presenter = models.CharField(max_length=100, blank=True)
    declarations = models.CharField("declarations of interest", max_length=500, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class PaperKind(models.TextChoices):
    COO_REPORT = "coo_report", "COO report"
    RISK_REGISTER = "risk_register", "Risk register"
    ACTION_LOG = "action_log", "Action log"
    UPLOADED = "uploaded", "Uploaded PDF"


def paper_path(instance, filename: str) -> str:
    return f"reports/papers/{filename}"


class Paper(models.Model):
    """A paper of a meeting, lettered by its place (A, B, C ...): produced by
    the portal (the COO report, the risk register, the action log) or an
    uploaded PDF, kept through ``fedportal.files``."""

    meeting = models.ForeignKey(BoardMeeting, on_delete=models.CASCADE, related_name="papers")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=PaperKind.choices)
    file = models.FileField(upload_to=paper_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


def paper_letters(count: int) -> list[str]:
    """A, B ... Z, AA, AB ...: papers beyond 26 are rare but not refused."""
    letters = []
    for n in range(count):
        label = ""
        n += 1
        while n:
            n, rest = divmod(n - 1, 26)
            label = chr(65 + rest) + label
        letters.append(label)
    return letters


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


@pghistory.track()
class BoardAction(models.Model):
    """A matter arising: what the board asked for, of whom, at which meeting,
    by when, and whether it is done ("JW will write up a clinical governance
    process ... for Board consideration")."""

    action = models.CharField(max_length=500)
    owner = models.CharField(max_length=100)
    raised_at = models.ForeignKey(
        BoardMeeting, on_delete=models.PROTECT, related_name="actions", verbose_name="raised at"
    )
    due_date = models.DateField(validators=[plausible_date])
    status = models.CharField(max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    note = models.CharField(max_length=500, blank=True)

    objects = StaffQuerySet.as_manager()

    class Meta:
        ordering = ["status", "due_date", "pk"]

    def __str__(self) -> str:
        return self.action

    def get_absolute_url(self) -> str:
        return reverse("reports:action-list")


class CooReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every month's report, drafts too; board members only
        those with a published version; practice users none."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_federation_staff:
            return self
        if user.is_board_member:
            return self.filter(versions__isnull=False).distinct()
        return self.none()


class CooReport(models.Model):
    """The Chief Operating Officer's report for a month: the month's
    workstream updates and the tables computed as at its last day. A draft
    until a version is published."""

    month = models.DateField(unique=True, help_text="The first day of the month.")
    introduction = models.TextField(blank=True, max_length=4000)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CooReportQuerySet.as_manager()

    class Meta:
        ordering = ["-month"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__day=1),
                name="reports_coo_report_month_first_day",
                violation_error_message="The month is stored as its first day.",
            )
        ]

    def __str__(self) -> str:
        return f"COO report {month_label(self.month)}"

    def get_absolute_url(self) -> str:
        return reverse("reports:coo-report", args=[month_slug(self.month)])

    @property
    def label(self) -> str:
        return month_label(self.month)

    @property
    def slug(self) -> str:
        return month_slug(self.month)

    @property
    def as_at(self) -> date:
        """The last day of the month: the report's figures are as at then."""
        following = (self.month.replace(day=28) + timedelta(days=4)).replace(day=1)
        return following - timedelta(days=1)


class PublishedVersionQuerySet(models.QuerySet):
    def visible_to(self, user):
        if not user.is_authenticated or not user.is_active or not user.sees_every_practice:
            return self.none()
        return self


def published_path(instance, filename: str) -> str:
    return f"reports/published/{filename}"


class PublishedVersion(models.Model):
    """A published version of a COO report or a board pack: its PDF, rendered once and kept
    with its SHA-256, downloaded byte for byte ever after. A correction is a
    new version; the older ones stay downloadable, marked superseded."""

    report = models.ForeignKey(
        CooReport, on_delete=models.PROTECT, related_name="versions", null=True, blank=True
    )
    pack = models.ForeignKey(
        "BoardPack", on_delete=models.PROTECT, related_name="versions", null=True, blank=True
    )
    version = models.PositiveSmallIntegerField()
    file = models.FileField(upload_to=published_path)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    correction = models.CharField(
        "what this version corrects", max_length=500, blank=True, help_text="Blank for the first version."
    )
    # On the portal's date, so the demo's February papers read as published then.
    published_at = models.DateTimeField(default=clock_now, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    objects = PublishedVersionQuerySet.as_manager()

    class Meta:
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "version"],
                name="reports_version_once",
                violation_error_message="This version has already been published.",
            ),
            models.CheckConstraint(condition=Q(version__gte=1), name="reports_version_from_1"),
            models.UniqueConstraint(
                fields=["pack", "version"],
                name="reports_pack_version_once",
                violation_error_message="This version has already been published.",
            ),
            models.CheckConstraint(
                condition=Q(report__isnull=True, pack__isnull=False)
                | Q(report__isnull=False, pack__isnull=True),
                name="reports_version_of_a_report_or_a_pack",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.subject}, version {self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:version-download", args=[self.pk])

    @property
    def subject(self):
        """What was published: a month's COO report or a meeting's board pack."""
        return self.report if self.report_id else self.pack


class PackStatus(models.TextChoices):
    QUEUED = "queued", "Waiting for the worker"
    BUILDING = "building", "Building"
    BUILT = "built", "Built"
    FAILED = "failed", "Failed"


def pack_path(instance, filename: str) -> str:
    return f"reports/packs/{filename}"


class BoardPackQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Packs are drafts until published (a PublishedVersion): staff only."""
        return _staff_only(self, user)


class BoardPack(models.Model):
    """A meeting's board pack as one PDF: a cover, the agenda with each
    paper's letter and first page, the papers in order, page numbers across
    the pack and a paper reference on each page ("C-3"). Built by a
    background task (``reports.tasks``); its progress and any failure are
    kept here for the page to show."""

    meeting = models.OneToOneField(BoardMeeting, on_delete=models.PROTECT, related_name="pack")
    status = models.CharField(max_length=10, choices=PackStatus.choices, default=PackStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    error = models.TextField(blank=True)
    file = models.FileField(upload_to=pack_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    requested_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)

    objects = BoardPackQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting__held_on"]

    def __str__(self) -> str:
        return f"Board pack {self.meeting.held_on:%-d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("reports:pack", args=[self.meeting_id])
