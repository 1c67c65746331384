"""The board's papers under /reports/: the COO report of each month (HTML
preview, PDF, xlsx of its tables, publishing and its frozen versions), the
verification page, and the staff pages that keep what the report is made of
(workstreams and their monthly updates, milestones, the risk register, the
action log, board meetings and their papers).

Views hold no query of their own: reads are ``reports.selectors`` and the
models' ``visible_to``; writes ``reports.services``; form pages ``FormPageView``."""

import hashlib
from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.generic import TemplateView
from django_tables2 import SingleTableMixin

from fedportal import clock
from fedportal.downloads import attachment_response
from fedportal.exports import ExportColumn, xlsx_response
from fedportal.form_pages import FormPageView
from fedportal.history import history_for
from fedportal.permissions import RuleRequiredMixin, get_visible_or_404
from fedportal.tables import configure
from reports import selectors, services
from reports.forms import (
    ActionForm,
    AgendaItemForm,
    AttendeeForm,
    MeetingForm,
    MilestoneForm,
    PaperForm,
    PublishForm,
    ReportStartForm,
    RiskForm,
    UpdateForm,
    VerifyForm,
    WorkstreamForm,
)
from reports.markdown import render_markdown
from reports.models import (
    BoardAction,
    BoardMeeting,
    BoardPack,
    CooReport,
    Milestone,
    PackStatus,
    Paper,
    PublishedVersion,
    Risk,
    Workstream,
    WorkstreamUpdate,
    month_label,
)
from reports.pdf import render_report_pdf, report_context
from reports.permissions import can_keep_papers, can_read_published, can_verify
from reports.tables import ActionTable, MeetingTable, RiskTable, WorkstreamTable

REPORTS = ("Board reports", "/reports/")


def _month(slug: str) -> date:
    try:
        return date.fromisoformat(f"{slug}-01")
    except ValueError:
        raise Http404("No such month.") from None


def _report(request, slug: str, *, with_records: bool = False) -> CooReport:
    """The month's report in the user's scope: a draft is 404 to the board.
    ``with_records``: with the records the report prints, read in the same
    query (for staff, who see its data)."""
    month = _month(slug)
    reports = CooReport.objects.all()
    if with_records and request.user.is_federation_staff:
        reports = selectors.with_records(reports, user=request.user, month=month)
    return get_visible_or_404(request, reports, month=month)


class Page(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_keep_papers)
    title = ""

    def breadcrumbs(self):
        return [(REPORTS[0], reverse("reports:report-list"))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, crumbs=self.breadcrumbs(), **kwargs)


# Reports and their published versions -----------------------------------------------


class ReportListView(Page):
    """Staff: every month, drafts too. Board: the published reports, newest first."""

    rule = staticmethod(can_read_published)
    template_name = "reports/report_list.html"
    title = "Board reports"

    def breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        user = self.request.user
        versions = list(selectors.published_versions(user=user))
        months = list(selectors.report_months(user=user)) if user.is_federation_staff else []
        return super().get_context_data(versions=versions, months=months, **kwargs)


class ReportView(Page):
    """The month's report: for staff, the live HTML preview (the same
    template as the PDF) with its versions; for the board, the published
    versions only (a draft is 404)."""

    rule = staticmethod(can_read_published)
    template_name = "reports/coo_report/page.html"

    def get_context_data(self, **kwargs):
        report = _report(self.request, self.kwargs["month"], with_records=True)
        self.title = str(report)
        versions = selectors.report_versions(user=self.request.user, report=report)
        context = {"report": report, "versions": versions}
        if self.request.user.is_federation_staff:
            context.update(report_context(selectors.coo_report_data(user=self.request.user, report=report)))
        return super().get_context_data(**context, **kwargs)


class ReportPdfView(Page):
    """Staff: the draft as a PDF, rendered now from the live data."""

    def get(self, request, *args, **kwargs):
        report = _report(request, kwargs["month"], with_records=True)
        pdf = render_report_pdf(selectors.coo_report_data(user=request.user, report=report))
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="coo-report-{report.slug}-draft.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response


def _export_tables(data: selectors.ReportData) -> dict:
    """Each table of the report as (columns, rows, totals): the same numbers
    as the page and the PDF, read from the same ReportData."""
    states = data.compliance_states
    finance = data.finance
    return {
        "contracts": (
            [
                ExportColumn("Locality", "", width=20),
                ExportColumn("Contractor", "", width=30),
                ExportColumn("Project", "", width=30),
                ExportColumn("Duration (months)", "", "int"),
                ExportColumn("Starts", "", "date"),
                ExportColumn("Ends", "", "date"),
                ExportColumn("Value ex-VAT", "", "money"),
            ],
            [
                [
                    c.covered_localities,
                    c.contractor.name,
                    c.title,
                    c.duration_months,
                    c.start_date,
                    c.end_date,
                    c.value,
                ]
                for c in data.contracts
            ],
            ["Total", None, None, None, None, None, data.contracts_total],
        ),
        "compliance": (
            [ExportColumn("Service", "", width=30)]
            + [ExportColumn(state, "", "int") for state in states]
            + [ExportColumn("Sub-contracts", "", "int")],
            [[row.service, *row.cells(), row.total] for row in data.compliance],
            ["Total", *data.compliance_totals, data.compliance_total],
        ),
        "pcns": (
            [
                ExportColumn("Network", "", width=30),
                ExportColumn("Code", ""),
                ExportColumn("Practices", "", "int"),
                ExportColumn("Registered patients", "", "int"),
                ExportColumn("Registration", ""),
            ],
            [
                [n.name, n.code, n.member_count, n.population, n.registration_label]
                for n in data.pcns.networks
            ],
            ["Total", None, None, data.pcns.population, None],
        ),
        "finance": (
            [
                ExportColumn("Financial year", ""),
                ExportColumn("Income", "", "money"),
                ExportColumn("Income plan", "", "money"),
                ExportColumn("Expenditure", "", "money"),
                ExportColumn("Expenditure plan", "", "money"),
                ExportColumn("Surplus / (deficit)", "", "money"),
                ExportColumn("Plan", "", "money"),
                ExportColumn("Against plan", "", "money"),
            ],
            [
                [
                    y.label,
                    y.income,
                    y.income_plan,
                    y.expenditure,
                    y.expenditure_plan,
                    y.surplus,
                    y.surplus_plan,
                    y.variance,
                ]
                for y in finance.years
            ],
            None,
        ),
        "risks": (
            [
                ExportColumn("Risk", "", width=40),
                ExportColumn("Owner", ""),
                ExportColumn("Likelihood", "", "int"),
                ExportColumn("Impact", "", "int"),
                ExportColumn("Score", "", "int"),
                ExportColumn("Trend", ""),
                ExportColumn("Mitigation", "", width=48),
            ],
            [
                [
                    r.risk.title,
                    r.risk.owner,
                    r.risk.likelihood,
                    r.risk.impact,
                    r.risk.score,
                    r.trend,
                    r.risk.mitigation,
                ]
                for r in data.risks
            ],
            None,
        ),
        "fees": (
            [
                ExportColumn("Project", "", width=30),
                ExportColumn("TF implementation", "", "money"),
                ExportColumn("Patients", "", "int"),
                ExportColumn("Shared cost total", "", "money"),
                ExportColumn("PM", "", "money"),
                ExportColumn("TF budget", "", "money"),
            ],
            [
                [
                    row.project.title,
                    row.project.fee,
                    row.split.patients if row.split else None,
                    row.split.total if row.split else None,
                    row.project.project_management,
                    row.project.allocation,
                ]
                for row in data.fees.rows
            ],
            [
                "Total",
                data.fees.totals["fee"],
                data.fees.totals["patients"],
                data.fees.totals["split_total"],
                data.fees.totals["project_management"],
                data.fees.totals["allocation"],
            ],
        ),
    }


EXPORT_TITLES = {
    "contracts": "Contracts held for practices",
    "compliance": "Evidence compliance by service",
    "pcns": "PCN registration status",
    "finance": "Income and expenditure",
    "risks": "Key risks",
    "fees": "Transformation Fund fees",
}


class ReportTableExportView(Page):
    """One of the report's tables as an xlsx workbook."""

    def get(self, request, *args, **kwargs):
        if kwargs["table"] not in EXPORT_TITLES:
            raise Http404("No such table.")
        report = _report(request, kwargs["month"], with_records=True)
        data = selectors.coo_report_data(user=request.user, report=report)
        columns, rows, totals = _export_tables(data)[kwargs["table"]]
        title = EXPORT_TITLES[kwargs["table"]]
        return xlsx_response(
            rows,
            columns,
            filename=f"coo-report-{report.slug}-{kwargs['table']}",
            title=title,
            totals=totals,
            preamble=[[f"{title}, COO report {report.label}, as at {data.as_at:%-d %B %Y}"]],
        )


class ReportStartView(FormPageView):
    form_class = ReportStartForm
    rule = staticmethod(can_keep_papers)
    title = "Start a month's COO report"
    submit_label = "Start the report"

    def breadcrumbs(self):
        return [REPORTS]

    def cancel_url(self):
        return reverse("reports:report-list")

    def save(self, form):
        return services.report_start(user=self.request.user, month=form.cleaned_data["month"])

    def success_message(self, saved):
        return f"The COO report for {saved.label} has been started."


class PublishView(FormPageView):
    form_class = PublishForm
    rule = staticmethod(can_keep_papers)
    submit_label = "Publish this version"

    def get_object(self):
        return _report(self.request, self.kwargs["month"])

    def get_title(self):
        return f"Publish the COO report for {self.object.label}"

    def breadcrumbs(self):
        return [REPORTS, (self.object.label, self.object.get_absolute_url())]

    @property
    def intro(self):
        return (
            "Publishing renders the report as it stands now and freezes it: board members download "
            "exactly this PDF from now on. A later correction is a new version beside it."
        )

    def save(self, form):
        return services.report_publish(
            user=self.request.user, report=self.object, correction=form.cleaned_data["correction"]
        )

    def success_message(self, saved):
        return f"Version {saved.version} of the COO report for {saved.report.label} is published."

    def success_url(self, saved):
        return saved.report.get_absolute_url()


class VersionDownloadView(RuleRequiredMixin, TemplateView):
    """The published PDF, byte for byte as stored, streamed; never rendered again."""

    rule = staticmethod(can_read_published)

    def get(self, request, *args, **kwargs):
        version = get_visible_or_404(
            request, PublishedVersion.objects.select_related("report"), pk=kwargs["pk"]
        )
        return attachment_response(
            version.file, filename=version.original_name, content_type="application/pdf"
        )


class VerifyView(RuleRequiredMixin, TemplateView):
    """Whether a PDF someone holds is a published version, by its SHA-256."""

    rule = staticmethod(can_verify)
    template_name = "reports/verify.html"

    def context(self, form, **kwargs):
        crumbs = [REPORTS] if self.request.user.sees_every_practice else []
        return {"form": form, "title": "Check a board report PDF", "crumbs": crumbs, **kwargs}

    def get(self, request, *args, **kwargs):
        return render(request, self.template_name, self.context(VerifyForm()))

    def post(self, request, *args, **kwargs):
        form = VerifyForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, self.context(form), status=400)
        digest = hashlib.sha256()
        for chunk in form.cleaned_data["pdf"].chunks():
            digest.update(chunk)
        sha256 = digest.hexdigest()
        # Any signed-in user may learn which version a file is; the match is
        # read whoever asks, so a practice user holding a copy can check it too.
        match = selectors.version_with_hash(sha256=sha256)
        return render(
            request,
            self.template_name,
            self.context(VerifyForm(), checked=True, sha256=sha256, match=match),
        )


# Workstreams, updates, milestones ------------------------------------------------------


class RegisterView(SingleTableMixin, Page):
    """A register of records with its table."""

    template_name = "reports/register.html"
    actions: list[tuple[str, str]] = []

    def get_table(self, **kwargs):
        return configure(self.get_table_class()(self.get_table_data(), **kwargs), self.request, 50)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            actions=[(label, reverse(name)) for label, name in self.actions], **kwargs
        )


class WorkstreamListView(RegisterView):
    title = "Workstreams"
    table_class = WorkstreamTable
    actions = [("Add a workstream", "reports:workstream-create")]

    def get_table_data(self):
        return Workstream.objects.visible_to(self.request.user)


class WorkstreamDetailView(Page):
    template_name = "reports/workstream_detail.html"

    def breadcrumbs(self):
        return [REPORTS, ("Workstreams", reverse("reports:workstream-list"))]

    def get_context_data(self, **kwargs):
        workstream = get_visible_or_404(self.request, Workstream.objects.all(), pk=self.kwargs["pk"])
        self.title = workstream.title
        today = clock.today()
        updates = list(workstream.updates.order_by("-month")[:12])
        milestones = list(workstream.milestones.all())
        return super().get_context_data(
            workstream=workstream,
            updates=[(u, render_markdown(u.body)) for u in updates],
            milestones=[(m, m.status_on(today)) for m in milestones],
            this_month=today.strftime("%Y-%m"),
            history=history_for(workstream, user=self.request.user, limit=30),
            **kwargs,
        )


class WorkstreamFormView(FormPageView):
    form_class = WorkstreamForm
    rule = staticmethod(can_keep_papers)

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_visible_or_404(self.request, Workstream.objects.all(), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Change {self.object}" if self.object else "Add a workstream"

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def breadcrumbs(self):
        return [REPORTS, ("Workstreams", reverse("reports:workstream-list"))]

    def cancel_url(self):
        return self.object.get_absolute_url() if self.object else reverse("reports:workstream-list")

    def save(self, form):
        return services.workstream_save(user=self.request.user, workstream=self.object, **form.cleaned_data)

    def success_message(self, saved):
        return f"{saved.title} has been saved."


class UpdateFormView(FormPageView):
    """A workstream's update for a month, with a preview that renders it as
    the report will (markup and script shown as text) without saving."""

    form_class = UpdateForm
    rule = staticmethod(can_keep_papers)
    template_name = "reports/update_form.html"
    submit_label = "Save the update"

    def get_object(self):
        self.month = _month(self.kwargs["month"])
        return get_visible_or_404(self.request, Workstream.objects.all(), pk=self.kwargs["pk"])

    def existing(self):
        return WorkstreamUpdate.objects.filter(workstream=self.object, month=self.month).first()

    def get_form_kwargs(self):
        existing = self.existing() if self.request.method == "GET" else None
        return {"initial": {"body": existing.body}} if existing else {}

    def get_title(self):
        return f"Update for {month_label(self.month)}"

    def get_caption(self):
        return self.object.title

    def breadcrumbs(self):
        return [
            REPORTS,
            ("Workstreams", reverse("reports:workstream-list")),
            (self.object.title, self.object.get_absolute_url()),
        ]

    def post(self, request, *args, **kwargs):
        if "preview" in request.POST:
            form = self.get_form(request.POST)
            body = request.POST.get("body", "")
            return self.render(form, preview=render_markdown(body))
        return super().post(request, *args, **kwargs)

    def render(self, form, status: int = 200, preview=None):
        context = self.get_context_data(form=form, preview=preview)
        return render(self.request, self.template_name, context, status=status)

    def save(self, form):
        return services.update_save(
            user=self.request.user, workstream=self.object, month=self.month, body=form.cleaned_data["body"]
        )

    def success_message(self, saved):
        return f"The update for {month_label(saved.month)} has been saved."


class MilestoneFormView(FormPageView):
    form_class = MilestoneForm
    rule = staticmethod(can_keep_papers)

    def get_object(self):
        if "milestone_pk" in self.kwargs:
            self.milestone = get_visible_or_404(
                self.request, Milestone.objects.select_related("workstream"), pk=self.kwargs["milestone_pk"]
            )
            return self.milestone.workstream
        self.milestone = None
        return get_visible_or_404(self.request, Workstream.objects.all(), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Change milestone {self.milestone.code}" if self.milestone else "Add a milestone"

    def get_caption(self):
        return self.object.title

    def get_form_kwargs(self):
        return {"instance": self.milestone} if self.milestone else {}

    def breadcrumbs(self):
        return [
            REPORTS,
            ("Workstreams", reverse("reports:workstream-list")),
            (self.object.title, self.object.get_absolute_url()),
        ]

    def save(self, form):
        return services.milestone_save(
            user=self.request.user, workstream=self.object, milestone=self.milestone, **form.cleaned_data
        )

    def success_message(self, saved):
        return f"Milestone {saved.code} has been saved."


# The risk register and the action log ----------------------------------------------------


class RiskListView(RegisterView):
    title = "Risk register"
    table_class = RiskTable
    actions = [("Add a risk", "reports:risk-create")]

    def get_table_data(self):
        return Risk.objects.visible_to(self.request.user).annotate(score_value=F("likelihood") * F("impact"))


class RecordFormView(FormPageView):
    """A staff form for one record of a register (new or changed)."""

    rule = staticmethod(can_keep_papers)
    model = None
    list_name = ""
    list_label = ""
    noun = ""

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_visible_or_404(self.request, self.model.objects.all(), pk=self.kwargs["pk"])

    def get_title(self):
        return (
            f"Change the {self.noun}"
            if self.object
            else f"Add {'an' if self.noun[0] in 'aeiou' else 'a'} {self.noun}"
        )

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def breadcrumbs(self):
        return [REPORTS, (self.list_label, reverse(self.list_name))]

    def cancel_url(self):
        return reverse(self.list_name)

    def success_url(self, saved):
        return reverse(self.list_name)

    def success_message(self, saved):
        return f"The {self.noun} has been saved."


class RiskFormView(RecordFormView):
    form_class = RiskForm
    model = Risk
    list_name, list_label, noun = "reports:risk-list", "Risk register", "risk"

    def save(self, form):
        return services.risk_save(user=self.request.user, risk=self.object, **form.cleaned_data)


class ActionListView(RegisterView):
    title = "Board action log"
    table_class = ActionTable
    actions = [("Add an action", "reports:action-create")]

    def get_table_data(self):
        return BoardAction.objects.visible_to(self.request.user).select_related("raised_at")


class ActionFormView(RecordFormView):
    form_class = ActionForm
    model = BoardAction
    list_name, list_label, noun = "reports:action-list", "Board action log", "action"

    def save(self, form):
        return services.action_save(user=self.request.user, record=self.object, **form.cleaned_data)


# Board meetings --------------------------------------------------------------------------


class MeetingListView(RegisterView):
    title = "Board meetings"
    table_class = MeetingTable
    actions = [("Add a meeting", "reports:meeting-create")]

    def get_table_data(self):
        return BoardMeeting.objects.visible_to(self.request.user).annotate(
            paper_count=Count("papers", distinct=True), action_count=Count("actions", distinct=True)
        )


class MeetingFormView(RecordFormView):
    form_class = MeetingForm
    model = BoardMeeting
    list_name, list_label, noun = "reports:meeting-list", "Board meetings", "meeting"

    def success_url(self, saved):
        return saved.get_absolute_url()

    def save(self, form):
        return services.meeting_save(user=self.request.user, meeting=self.object, **form.cleaned_data)


class MeetingDetailView(Page):
    template_name = "reports/meeting_detail.html"

    def breadcrumbs(self):
        return [REPORTS, ("Board meetings", reverse("reports:meeting-list"))]

    def get_context_data(self, **kwargs):
        meeting = get_visible_or_404(
            self.request,
            BoardMeeting.objects.prefetch_related("attendees", "agenda_items", "papers", "actions"),
            pk=self.kwargs["pk"],
        )
        self.title = str(meeting)
        papers = list(meeting.papers.all())
        from reports.models import paper_letters

        return super().get_context_data(
            meeting=meeting, papers=list(zip(paper_letters(len(papers)), papers, strict=True)), **kwargs
        )


class MeetingPartFormView(FormPageView):
    """Add something to a meeting: an attendee, an agenda item, a paper."""

    rule = staticmethod(can_keep_papers)
    service = None
    noun = ""

    def get_object(self):
        return get_visible_or_404(self.request, BoardMeeting.objects.all(), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Add {self.noun}"

    def get_caption(self):
        return str(self.object)

    def breadcrumbs(self):
        return [
            REPORTS,
            ("Board meetings", reverse("reports:meeting-list")),
            (str(self.object), self.object.get_absolute_url()),
        ]

    def save(self, form):
        return type(self).service(user=self.request.user, meeting=self.object, **form.cleaned_data)

    def success_url(self, saved):
        return self.object.get_absolute_url()

    def success_message(self, saved):
        return f"{saved} has been added."


class AttendeeFormView(MeetingPartFormView):
    form_class = AttendeeForm
    service = staticmethod(services.attendee_add)
    noun = "a director or guest"


class AgendaItemFormView(MeetingPartFormView):
    form_class = AgendaItemForm
    service = staticmethod(services.agenda_item_add)
    noun = "an agenda item"


class PaperFormView(MeetingPartFormView):
    form_class = PaperForm
    service = staticmethod(services.paper_add)
    noun = "a paper"
    submit_label = "Add the paper"


class PaperDownloadView(RuleRequiredMixin, TemplateView):
    rule = staticmethod(can_keep_papers)

    def get(self, request, *args, **kwargs):
        paper = Paper.objects.filter(
            pk=kwargs["pk"], meeting__in=BoardMeeting.objects.visible_to(request.user)
        ).first()
        if paper is None or not paper.file:
            raise Http404("No such paper.")
        return attachment_response(paper.file, filename=paper.original_name, content_type="application/pdf")


# Board packs -------------------------------------------------------------------------------


class PackView(Page):
    """A meeting's pack: its build's progress or failure (kept by the
    background task, never waited for here), the draft to check, its
    published versions, and the buttons to build, rebuild or publish."""

    template_name = "reports/pack.html"

    def breadcrumbs(self):
        return [REPORTS, ("Board meetings", reverse("reports:meeting-list"))]

    def get_context_data(self, **kwargs):
        meeting = get_visible_or_404(self.request, BoardMeeting.objects.all(), pk=self.kwargs["pk"])
        pack = BoardPack.objects.visible_to(self.request.user).filter(meeting=meeting).first()
        versions = (
            list(selectors.published_versions(user=self.request.user).filter(pack=pack)) if pack else []
        )
        self.title = f"Board pack: {meeting.held_on:%-d %B %Y}"
        return super().get_context_data(meeting=meeting, pack=pack, versions=versions, **kwargs)


class PackBuildView(Page):
    """POST: queue the pack's build (or a rebuild after a failure or a change)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        meeting = get_visible_or_404(request, BoardMeeting.objects.all(), pk=kwargs["pk"])
        try:
            services.pack_request(user=request.user, meeting=meeting)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The pack is being built. This page shows how far it has gone.")
        return redirect("reports:pack", pk=meeting.pk)


class PackDraftDownloadView(Page):
    def get(self, request, *args, **kwargs):
        pack = get_visible_or_404(request, BoardPack.objects.select_related("meeting"), meeting=kwargs["pk"])
        if pack.status != PackStatus.BUILT:
            raise Http404("The pack has not been built.")
        return attachment_response(pack.file, filename=pack.original_name, content_type="application/pdf")


class PackPublishView(FormPageView):
    form_class = PublishForm
    rule = staticmethod(can_keep_papers)
    submit_label = "Publish the pack"
    intro = (
        "Publishing keeps the pack exactly as built (the draft you can download now) for the board. "
        "A later correction is a new version beside it."
    )

    def get_object(self):
        return get_visible_or_404(
            self.request, BoardPack.objects.select_related("meeting"), meeting=self.kwargs["pk"]
        )

    def get_title(self):
        return f"Publish the board pack of {self.object.meeting.held_on:%-d %B %Y}"

    def breadcrumbs(self):
        return [REPORTS, ("Board meetings", reverse("reports:meeting-list"))]

    def save(self, form):
        return services.pack_publish(
            user=self.request.user, pack=self.object, correction=form.cleaned_data["correction"]
        )

    def success_message(self, saved):
        return f"Version {saved.version} of the board pack is published."

    def success_url(self, saved):
        return self.object.get_absolute_url()
