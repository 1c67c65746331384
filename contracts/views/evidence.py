"""Evidence: practices upload it (and keep the schedule of clinicians it is
given for), staff accept or reject it, and only those who may see it download
the file."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views import View

from contracts.filters.subcontracts import EvidenceFilterSet
from contracts.forms.subcontracts import ClinicianForm, EvidenceForm, ReviewForm
from contracts.models import (
    Decision,
    EvidenceDecision,
    EvidenceStatus,
    EvidenceSubmission,
    ScheduledClinician,
    SubContract,
)
from contracts.permissions import (
    can_review_evidence,
    can_upload_evidence,
    can_withdraw_evidence,
    review_blocked,
    withdrawal_blocked,
)
from contracts.selectors import evidence_versions
from contracts.services.evidence import DecisionConflict, evidence_review, evidence_submit, evidence_withdraw
from contracts.services.subcontracts import clinician_add, clinician_remove
from contracts.tables.subcontracts import EvidenceTable, evidence_status_tag
from contracts.views.mixins import StateCheckedFormPage, SubContractFormPage
from fedportal.downloads import attachment_response, inline_response, previewable
from fedportal.exports import ExportColumn
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.permissions import Verdict, get_visible_or_404, require

STATUS_LABELS = dict(EvidenceStatus.choices)


def _int_or_none(value: str | None) -> int | None:
    """An id from the query string, or None for anything else."""
    try:
        return int(value) if value else None
    except ValueError:
        return None


class EvidenceCreateView(SubContractFormPage):
    """A practice (or staff for it) uploads evidence for one of the
    sub-contract's requirements: a new version, for staff to review."""

    template_name = "contracts/subcontracts/evidence_form.html"
    form_class = EvidenceForm
    rule = staticmethod(can_upload_evidence)
    title = "Upload evidence"
    intro = (
        "Each upload is kept as a new version: nothing you uploaded before is replaced. "
        "Federation staff review it and you will get an email with their decision."
    )
    submit_label = "Upload evidence"

    def get_form_kwargs(self) -> dict:
        kwargs = {"subcontract": self.object}
        if self.request.method == "GET":
            # The sub-contract page's upload links choose the requirement (and clinician).
            kwargs["initial"] = {
                "requirement": _int_or_none(self.request.GET.get("requirement")),
                "clinician": _int_or_none(self.request.GET.get("clinician")),
            }
        return kwargs

    def save(self, form):
        data = form.cleaned_data
        return evidence_submit(
            subcontract=self.object,
            requirement=data["requirement"],
            clinician=data["clinician"],
            upload=data["file"],
            description=data["description"],
            valid_from=data["valid_from"],
            valid_to=data["valid_to"],
            notes=data["notes"],
            user=self.request.user,
        )

    def success_message(self, submission) -> str:
        return (
            f"{submission.requirement} uploaded (version {submission.version}). "
            "Federation staff will review it."
        )

    def success_url(self, submission) -> str:
        return self.object.get_absolute_url()

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        requirements = kwargs["form"].fields["requirement"].queryset
        context["has_schedule"] = requirements.filter(is_clinician_schedule=True).exists()
        return context

    def render(self, form, status: int = 200):
        if status == 400 and (upload := self.request.FILES.get("file")):
            form.ask_for_the_file_again(upload)
        return super().render(form, status)


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


class EvidenceDetailView(StateCheckedFormPage):
    """A submission, its decision and its other versions, for those who see
    it; staff accept or reject it beside them."""

    template_name = "contracts/subcontracts/evidence_detail.html"
    form_class = ReviewForm
    submit_label = "Save decision"
    # A decision already made is a state: a valid form reaches the service,
    # which says who decided first; a refused one is told it was decided.
    check_state = "when refused"
    conflicts = (DecisionConflict,)

    def get_object(self) -> EvidenceSubmission:
        submissions = EvidenceSubmission.objects.for_table().select_related(
            "subcontract__practice__locality", "decision__decided_by"
        )
        return get_visible_or_404(self.request, submissions, pk=self.kwargs["pk"])

    def permission(self) -> Verdict:
        # Whoever sees the evidence reads its page; deciding is staff's.
        if self.request.method == "POST":
            return can_review_evidence(self.request.user)
        return True, ""

    def blocked(self) -> str:
        return review_blocked(self.object)

    def save(self, form):
        return evidence_review(
            submission_id=self.object.pk,
            decision=form.cleaned_data["decision"],
            reason=form.cleaned_data["reason"],
            user=self.request.user,
        )

    def success_message(self, decision) -> str:
        verb = "accepted" if decision.decision == Decision.ACCEPT else "rejected"
        return f"Evidence {verb}. The practice has been told by email."

    def success_url(self, decision) -> str:
        return self.object.get_absolute_url()

    def get_title(self) -> str:
        return f"{self.object.requirement} version {self.object.version}"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        subcontract = self.object.subcontract
        return [
            ("Evidence", reverse("contracts:evidence-list")),
            (f"{subcontract.service.name} – {subcontract.practice.name}", subcontract.get_absolute_url()),
        ]

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        submission = self.object
        submission.status_tag = evidence_status_tag(submission)
        versions = evidence_versions(user=self.request.user, submission=submission)
        for version in versions:
            version.status_tag = evidence_status_tag(version)
        try:
            decision = submission.decision
        except EvidenceDecision.DoesNotExist:
            decision = None
        context.update(
            submission=submission,
            decision=decision,
            versions=versions,
            review_blocked=review_blocked(submission),
            previewable=previewable(submission.content_type),
            may_withdraw=can_withdraw_evidence(self.request.user, submission)[0]
            and not withdrawal_blocked(submission),
            history=history_for(submission, user=self.request.user, known=(submission.subcontract,)),
        )
        return context


class EvidenceDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        submission = get_visible_or_404(request, EvidenceSubmission, pk=pk)
        return attachment_response(
            submission.file, filename=submission.original_name, content_type=submission.content_type
        )


class EvidencePreviewView(LoginRequiredMixin, View):
    """A PDF or picture of evidence, shown in a sandboxed frame on its page,
    so staff review it without downloading it: for whoever sees the evidence
    (another practice's is 404), and 404 for a Word or Excel file."""

    def get(self, request, pk):
        submission = get_visible_or_404(request, EvidenceSubmission, pk=pk)
        return inline_response(
            submission.file, filename=submission.original_name, content_type=submission.content_type
        )


class WithdrawForm(forms.Form):
    """Nothing to type: the button confirms."""


class EvidenceWithdrawView(StateCheckedFormPage):
    """A practice takes back evidence staff have not decided yet (uploaded by
    mistake, the wrong file): a confirm page. The record and its file are
    kept, marked withdrawn, in the history."""

    template_name = "contracts/subcontracts/evidence_withdraw.html"
    form_class = WithdrawForm
    submit_label = "Withdraw this evidence"
    check_state = "first"
    conflicts = (DecisionConflict,)

    def get_object(self) -> EvidenceSubmission:
        submissions = EvidenceSubmission.objects.for_table()
        return get_visible_or_404(self.request, submissions, pk=self.kwargs["pk"])

    def permission(self) -> Verdict:
        return can_withdraw_evidence(self.request.user, self.object)

    def blocked(self) -> str:
        return withdrawal_blocked(self.object)

    def save(self, form):
        return evidence_withdraw(submission_id=self.object.pk, user=self.request.user)

    def success_message(self, submission) -> str:
        return (
            f"{submission.requirement} version {submission.version} withdrawn. "
            "Staff will not review it; upload a new version when you have the right file."
        )

    def success_url(self, submission) -> str:
        return submission.subcontract.get_absolute_url()

    def get_title(self) -> str:
        return f"Withdraw {self.object.requirement} version {self.object.version}?"

    def get_caption(self) -> str:
        subcontract = self.object.subcontract
        return f"{subcontract.service.name} · {subcontract.practice.name}"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        subcontract = self.object.subcontract
        return [
            ("Evidence", reverse("contracts:evidence-list")),
            (f"{subcontract.service.name} – {subcontract.practice.name}", subcontract.get_absolute_url()),
            (f"{self.object.requirement} version {self.object.version}", self.object.get_absolute_url()),
        ]


class ClinicianCreateView(SubContractFormPage):
    """A practice (or staff for it) puts a clinician on the sub-contract's schedule."""

    template_name = "contracts/subcontracts/clinician_form.html"
    form_class = ClinicianForm
    rule = staticmethod(can_upload_evidence)
    title = "Add a clinician to the schedule"
    intro = "Then upload their competency evidence from the sub-contract's page."
    submit_label = "Add clinician"

    def save(self, form):
        return clinician_add(subcontract=self.object, **form.cleaned_data)

    def success_message(self, clinician) -> str:
        return f"{clinician.name} added to the schedule."

    def success_url(self, clinician) -> str:
        return self.object.get_absolute_url()


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
