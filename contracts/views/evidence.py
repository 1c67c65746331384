"""Evidence: practices upload it (and keep the schedule of clinicians it is
given for), staff accept or reject it, and only those who may see it download
the file."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views import View

from contracts.filters.subcontracts import EvidenceFilterSet
from contracts.forms import add_service_errors
from contracts.forms.subcontracts import ClinicianForm, EvidenceForm, ReviewForm
from contracts.models import (
    Decision,
    EvidenceDecision,
    EvidenceStatus,
    EvidenceSubmission,
    ScheduledClinician,
    SubContract,
)
from contracts.permissions import can_review_evidence, can_upload_evidence, review_blocked
from contracts.services.evidence import DecisionConflict, evidence_review, evidence_submit
from contracts.services.subcontracts import clinician_add, clinician_remove
from contracts.tables.subcontracts import EvidenceTable, evidence_status_tag
from contracts.views.mixins import SubContractActionMixin
from fedportal.downloads import attachment_response
from fedportal.exports import ExportColumn
from fedportal.lists import FilteredListView
from fedportal.permissions import get_visible_or_404, require

STATUS_LABELS = dict(EvidenceStatus.choices)


def _int_or_none(value: str | None) -> int | None:
    """An id from the query string, or None for anything else."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


class EvidenceCreateView(SubContractActionMixin, View):
    template_name = "contracts/subcontracts/evidence_form.html"
    permission = staticmethod(can_upload_evidence)

    def get(self, request, pk):
        subcontract = self.get_subcontract(request, pk)
        initial = {
            "requirement": _int_or_none(request.GET.get("requirement")),
            "clinician": _int_or_none(request.GET.get("clinician")),
        }
        form = EvidenceForm(subcontract=subcontract, initial=initial)
        return self.render(form, subcontract)

    def post(self, request, pk):
        subcontract = self.get_subcontract(request, pk)
        form = EvidenceForm(request.POST, request.FILES, subcontract=subcontract)
        if form.is_valid():
            data = form.cleaned_data
            try:
                submission = evidence_submit(
                    subcontract=subcontract,
                    requirement=data["requirement"],
                    clinician=data["clinician"],
                    upload=data["file"],
                    description=data["description"],
                    valid_from=data["valid_from"],
                    valid_to=data["valid_to"],
                    notes=data["notes"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    f"{submission.requirement} uploaded (version {submission.version}). "
                    "Federation staff will review it.",
                )
                return redirect(subcontract)
        if request.FILES.get("file"):
            form.ask_for_the_file_again(request.FILES["file"])
        return self.render(form, subcontract, status=400)

    def render(self, form, subcontract, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "subcontract": subcontract,
                "has_schedule": form.fields["requirement"]
                .queryset.filter(is_clinician_schedule=True)
                .exists(),
                "title": "Upload evidence",
            },
            status=status,
        )


class EvidenceListView(FilteredListView):
    filterset_class = EvidenceFilterSet
    table_class = EvidenceTable
    title = "Evidence"
    export_filename = "evidence"
    export_columns = [
        ExportColumn("Practice", "subcontract__practice__name", width=40),
        ExportColumn("ODS code", "subcontract__practice__ods_code", width=10),
        ExportColumn("Service", "subcontract__service__name", width=30),
        ExportColumn("Evidence", "requirement__name", width=30),
        ExportColumn("Clinician", "clinician__name", width=24),
        ExportColumn("Version", "version", "int"),
        ExportColumn("What it is", "description", width=40),
        ExportColumn("Valid from", "valid_from", "date"),
        ExportColumn("Valid to", "valid_to", "date"),
        ExportColumn("Status", "status", display=lambda v: STATUS_LABELS.get(v, v)),
        ExportColumn("Reason given", "decision__reason", width=40),
        ExportColumn("Submitted", "submitted_at", "datetime", width=18),
        ExportColumn("SHA-256", "sha256", width=20),
    ]

    def get_queryset(self):
        return EvidenceSubmission.objects.visible_to(self.request.user).for_table()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.is_board_member:
            # Board members read dashboards, never practices' uploads (DESIGN.md).
            context["intro"] = (
                "Evidence files are seen only by federation staff and the practice that uploaded them. "
                "The compliance dashboard shows where every practice stands."
            )
        elif user.is_practice_user:
            context["intro"] = "Everything your practice has uploaded, every version, with staff's decisions."
        return context


class EvidenceDetailView(LoginRequiredMixin, View):
    template_name = "contracts/subcontracts/evidence_detail.html"

    def get(self, request, pk):
        submission = get_visible_or_404(request, EvidenceSubmission, pk=pk)
        return self.render(submission, ReviewForm())

    def post(self, request, pk):
        submission = get_visible_or_404(request, EvidenceSubmission, pk=pk)
        # The role rule only: a decision already made is a state, answered
        # below (or by the service, if someone decides at the same moment)
        # with a message, not a refusal.
        require(can_review_evidence(request.user), request)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                record = evidence_review(
                    submission_id=submission.pk,
                    decision=form.cleaned_data["decision"],
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except DecisionConflict as conflict:
                messages.warning(request, str(conflict))
                return redirect(submission)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                verb = "accepted" if record.decision == Decision.ACCEPT else "rejected"
                messages.success(request, f"Evidence {verb}. The practice has been told by email.")
                return redirect(submission)
        elif blocked := review_blocked(submission):
            messages.warning(request, blocked)
            return redirect(submission)
        return self.render(submission, form, status=400)

    def render(self, submission, form, status=200):
        user = self.request.user
        submission = (
            EvidenceSubmission.objects.for_table()
            .select_related("subcontract__practice__locality", "decision__decided_by")
            .get(pk=submission.pk)
        )
        versions = (
            EvidenceSubmission.objects.visible_to(user)
            .filter(
                subcontract=submission.subcontract_id,
                requirement=submission.requirement_id,
                clinician=submission.clinician_id,
            )
            .select_related("submitted_by")
            .order_by("-version")
        )
        versions = list(versions)
        submission.status_tag = evidence_status_tag(submission)
        for version in versions:
            version.status_tag = evidence_status_tag(version)
        try:
            decision = submission.decision
        except EvidenceDecision.DoesNotExist:
            decision = None
        context = {
            "submission": submission,
            "decision": decision,
            "versions": versions,
            "form": form,
            "can_review": can_review_evidence(user)[0] and not review_blocked(submission),
            "title": f"{submission.requirement} version {submission.version}",
        }
        return render(self.request, self.template_name, context, status=status)


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        submission = get_visible_or_404(request, EvidenceSubmission, pk=pk)
        return attachment_response(
            submission.file, filename=submission.original_name, content_type=submission.content_type
        )


class ClinicianCreateView(SubContractActionMixin, View):
    template_name = "contracts/subcontracts/clinician_form.html"
    permission = staticmethod(can_upload_evidence)

    def get(self, request, pk):
        subcontract = self.get_subcontract(request, pk)
        return render(request, self.template_name, {"form": ClinicianForm(), "subcontract": subcontract})

    def post(self, request, pk):
        subcontract = self.get_subcontract(request, pk)
        form = ClinicianForm(request.POST)
        if form.is_valid():
            try:
                clinician = clinician_add(subcontract=subcontract, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{clinician.name} added to the schedule.")
                return redirect(subcontract)
        return render(request, self.template_name, {"form": form, "subcontract": subcontract}, status=400)


class ClinicianRemoveView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        clinician = get_object_or_404(ScheduledClinician, pk=pk)
        # Scope through the sub-contract: another practice's clinician is 404.
        subcontract = get_visible_or_404(request, SubContract, pk=clinician.subcontract_id)
        require(can_upload_evidence(request.user, subcontract), request)
        clinician = clinician_remove(clinician_id=clinician.pk)
        messages.success(
            request,
            f"{clinician.name} is off the schedule from {clinician.removed_on:%-d %B %Y}. "
            "Their record and evidence are kept.",
        )
        return redirect(subcontract)
