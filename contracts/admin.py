"""The administrator's view of contracts, services, evidence and returns.

DESIGN.md's data rules hold here as in the portal. What a user submitted or
decided (contract documents and review notes, evidence and decisions on it,
activity returns, reminders sent) is shown read-only: files are only accepted
through the portal's checked upload forms, and decisions are appended there.
Contracts and services are archived, never deleted; tariffs, like list sizes,
are dated figures that are added, not overwritten.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from contracts.models import (
    ActivityReturn,
    ActivityReturnLine,
    Contract,
    ContractDocument,
    ContractReviewNote,
    EvidenceDecision,
    EvidenceRequirement,
    EvidenceStatus,
    EvidenceSubmission,
    HeadContract,
    Organisation,
    Reminder,
    ReminderFailure,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from contracts.services.held import contract_coverage_error
from contracts.services.subcontracts import RESERVED_SLUGS
from fedportal.admin_rules import ReadOnlyAdminMixin, RefuseDeleteWhileLinkedMixin


@admin.register(Organisation)
class OrganisationAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ContractDocumentInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Documents are added on the contract's page in the portal, where the file
    is checked (type from its content, size) and kept with its SHA-256."""

    model = ContractDocument
    extra = 0
    # The file is linked through the portal's download view, which checks who
    # may see it: MEDIA_URL serves nothing, and storage must not be linked.
    fields = [
        "title",
        "kind",
        "original_name",
        "download",
        "content_type",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
    ]
    readonly_fields = fields

    @admin.display(description="file")
    def download(self, obj):
        if obj.contract.archived:
            return "Contract archived"
        return format_html(
            '<a href="{}">Download</a>', reverse("contracts:contract-document-download", args=[obj.pk])
        )


class ContractReviewNoteInline(ReadOnlyAdminMixin, admin.TabularInline):
    """Notes are added in the portal (not dated in the future) and never edited."""

    model = ContractReviewNote
    extra = 0
    fields = ["reviewed_on", "note", "author", "created_at"]
    readonly_fields = fields


class ContractAdminForm(forms.ModelForm):
    """The admin gives the model and fields; this adds the portal's coverage rule."""

    def clean(self):
        cleaned = super().clean()
        error = contract_coverage_error(
            covers_all_localities=cleaned.get("covers_all_localities", False),
            localities=cleaned.get("localities") or [],
            practices=cleaned.get("practices") or [],
        )
        if error:
            self.add_error("localities", error)
        return cleaned


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    """Contracts are archived (the ``archived`` box), never deleted."""

    form = ContractAdminForm
    list_display = [
        "reference",
        "title",
        "contractor",
        "start_date",
        "end_date",
        "value",
        "vat_rate",
        "is_draft",
        "archived",
    ]
    list_filter = ["is_draft", "archived", "contractor"]
    list_select_related = ["contractor"]
    search_fields = ["reference", "title", "contractor__name"]
    filter_horizontal = ["localities"]
    # A select of every practice would be 7,000 options at national scale.
    autocomplete_fields = ["contractor", "commissioner", "practices"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ContractDocumentInline, ContractReviewNoteInline]

    def has_delete_permission(self, request, obj=None):
        return False


class TariffInline(admin.TabularInline):
    """A new price is a new tariff from its date; earlier tariffs stay for the
    claims before it, so they are never changed or deleted."""

    model = Tariff
    extra = 0

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EvidenceRequirementForm(forms.ModelForm):
    """The admin gives the model and fields; this adds the portal's rule on schedules."""

    def clean_is_clinician_schedule(self):
        # The same rule as the portal's requirement_update.
        value = self.cleaned_data["is_clinician_schedule"]
        requirement = self.instance
        if requirement.pk and value != requirement.is_clinician_schedule and requirement.submissions.exists():
            raise ValidationError(
                "Evidence was already uploaded for this requirement, so whether it is a schedule "
                "of clinicians cannot change. Stop asking for it and add a new requirement instead."
            )
        return value


class EvidenceRequirementInline(admin.TabularInline):
    """Requirements are never deleted, since evidence refers to them: untick
    ``active`` to stop asking for one."""

    model = EvidenceRequirement
    form = EvidenceRequirementForm
    extra = 0

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(HeadContract)
class HeadContractAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["title", "commissioner", "paying_organisation", "start_date", "end_date"]
    list_select_related = ["commissioner", "paying_organisation"]
    search_fields = ["title", "commissioner__name"]
    autocomplete_fields = ["commissioner", "paying_organisation"]


class ServiceAdminForm(forms.ModelForm):
    """The admin gives the model and fields; this adds the portal's reserved slugs."""

    def clean_slug(self):
        # The same rule as the portal's service_create: /services/new/ is a page.
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise ValidationError(f"“{slug}” is taken by the portal's own pages. Choose another.")
        return slug


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    """Services are archived (the ``archived`` box), never deleted."""

    form = ServiceAdminForm
    list_display = ["name", "head_contract", "unit", "takes_returns", "archived"]
    list_filter = ["archived", "takes_returns"]
    list_select_related = ["head_contract"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TariffInline, EvidenceRequirementInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SubContract)
class SubContractAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["practice", "service", "start_date", "end_date"]
    list_filter = ["service"]
    list_select_related = ["practice", "service"]
    search_fields = ["practice__name", "practice__ods_code"]
    autocomplete_fields = ["practice"]
    readonly_fields = ["created_at"]

    def get_readonly_fields(self, request, obj=None):
        # As in the portal, a sub-contract's practice and service stay: its
        # evidence and returns belong to them.
        if obj is not None:
            return ["practice", "service", *self.readonly_fields]
        return self.readonly_fields


@admin.register(ScheduledClinician)
class ScheduledClinicianAdmin(admin.ModelAdmin):
    """A clinician is taken off a schedule with a ``removed on`` date, never deleted."""

    list_display = ["name", "role", "registration", "subcontract", "removed_on"]
    list_select_related = ["subcontract__practice", "subcontract__service"]
    search_fields = ["name", "registration", "subcontract__practice__name", "subcontract__practice__ods_code"]
    autocomplete_fields = ["subcontract"]
    readonly_fields = ["added_on"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return self.readonly_fields
        # Their evidence belongs to the sub-contract they are on; once some
        # was decided, it was judged for this person over these dates, so
        # renaming them (or clearing their removal) would show that decision
        # against someone else, as changing a decided record would.
        if obj.evidence.exclude(status=EvidenceStatus.PENDING).exists():
            return ["subcontract", "name", "registration", *self.readonly_fields, "removed_on"]
        return ["subcontract", *self.readonly_fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceSubmission)
class EvidenceSubmissionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Evidence is uploaded (checked) and decided in the portal; read it here."""

    list_display = ["subcontract", "requirement", "version", "status", "valid_to", "submitted_at"]
    list_filter = ["status", "requirement__service"]
    list_select_related = ["subcontract__practice", "subcontract__service", "requirement"]
    search_fields = ["subcontract__practice__name", "subcontract__practice__ods_code"]
    date_hierarchy = "submitted_at"
    fields = [
        "subcontract",
        "requirement",
        "clinician",
        "version",
        "description",
        "original_name",
        "download",
        "content_type",
        "size",
        "sha256",
        "valid_from",
        "valid_to",
        "notes",
        "status",
        "submitted_by",
        "submitted_at",
    ]
    readonly_fields = fields

    @admin.display(description="file")
    def download(self, obj):
        return format_html('<a href="{}">Download</a>', reverse("contracts:evidence-download", args=[obj.pk]))


@admin.register(EvidenceDecision)
class EvidenceDecisionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["submission", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["submission__subcontract__practice", "submission__requirement", "decided_by"]
    search_fields = ["submission__subcontract__practice__name", "submission__subcontract__practice__ods_code"]
    date_hierarchy = "decided_at"
    readonly_fields = [f.name for f in EvidenceDecision._meta.fields]


class ActivityReturnLineInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ActivityReturnLine
    extra = 0
    fields = ["period_start", "period_end", "unit_price", "units"]
    readonly_fields = fields


@admin.register(ActivityReturn)
class ActivityReturnAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Returns are made and approved in the portal; approved ones are locked
    by the database, and a correction is an amendment."""

    list_display = ["subcontract", "year", "quarter", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "year", "quarter", "subcontract__service"]
    list_select_related = ["subcontract__practice", "subcontract__service"]
    search_fields = ["subcontract__practice__name", "subcontract__practice__ods_code"]
    readonly_fields = [f.name for f in ActivityReturn._meta.fields]
    inlines = [ActivityReturnLineInline]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """What was sent to whom, kept so the same reminder is not sent twice in a week."""

    list_display = ["recipient", "item", "sent_at"]
    list_select_related = ["recipient"]
    search_fields = ["item", "recipient__username"]
    date_hierarchy = "sent_at"
    readonly_fields = [f.name for f in Reminder._meta.fields]


@admin.register(ReminderFailure)
class ReminderFailureAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Reminder emails the mail server refused; staff's work queue lists them."""

    list_display = ["recipient", "subject", "error", "failed_at"]
    list_select_related = ["recipient"]
    search_fields = ["recipient__username", "recipient__email", "error"]
    date_hierarchy = "failed_at"
    readonly_fields = [f.name for f in ReminderFailure._meta.fields]
