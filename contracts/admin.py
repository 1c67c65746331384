from django.contrib import admin

from contracts.models import (
    ActivityReturn,
    ActivityReturnLine,
    Contract,
    ContractDocument,
    ContractReviewNote,
    EvidenceDecision,
    EvidenceRequirement,
    EvidenceSubmission,
    HeadContract,
    Organisation,
    Reminder,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "ods_code"]
    list_filter = ["kind"]
    search_fields = ["name"]


class ContractDocumentInline(admin.TabularInline):
    model = ContractDocument
    extra = 0
    readonly_fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]


class ContractReviewNoteInline(admin.TabularInline):
    model = ContractReviewNote
    extra = 0


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
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
    filter_horizontal = ["localities", "practices"]
    inlines = [ContractDocumentInline, ContractReviewNoteInline]


class TariffInline(admin.TabularInline):
    model = Tariff
    extra = 0


class EvidenceRequirementInline(admin.TabularInline):
    model = EvidenceRequirement
    extra = 0


@admin.register(HeadContract)
class HeadContractAdmin(admin.ModelAdmin):
    list_display = ["title", "commissioner", "paying_organisation", "start_date", "end_date"]
    list_select_related = ["commissioner", "paying_organisation"]


@admin.register(Service)
class ServiceAdmin(admin.ModelAdmin):
    list_display = ["name", "head_contract", "unit", "takes_returns", "archived"]
    list_select_related = ["head_contract"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [TariffInline, EvidenceRequirementInline]


@admin.register(SubContract)
class SubContractAdmin(admin.ModelAdmin):
    list_display = ["practice", "service", "start_date", "end_date"]
    list_filter = ["service"]
    list_select_related = ["practice", "service"]
    search_fields = ["practice__name", "practice__ods_code"]
    autocomplete_fields = ["practice"]


@admin.register(ScheduledClinician)
class ScheduledClinicianAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "registration", "subcontract", "removed_on"]
    list_select_related = ["subcontract__practice", "subcontract__service"]


@admin.register(EvidenceSubmission)
class EvidenceSubmissionAdmin(admin.ModelAdmin):
    list_display = ["subcontract", "requirement", "version", "status", "valid_to", "submitted_at"]
    list_filter = ["status", "requirement__service"]
    list_select_related = ["subcontract__practice", "subcontract__service", "requirement"]
    search_fields = ["subcontract__practice__name", "subcontract__practice__ods_code"]
    # Submissions and their files are evidence: read them here, decide them in the portal.
    readonly_fields = [f.name for f in EvidenceSubmission._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvidenceDecision)
class EvidenceDecisionAdmin(admin.ModelAdmin):
    list_display = ["submission", "decision", "decided_by", "decided_at"]
    list_select_related = ["submission__subcontract__practice", "submission__requirement", "decided_by"]
    readonly_fields = [f.name for f in EvidenceDecision._meta.fields]

    def has_delete_permission(self, request, obj=None):
        return False


class ActivityReturnLineInline(admin.TabularInline):
    model = ActivityReturnLine
    extra = 0
    readonly_fields = ["period_start", "period_end", "unit_price", "units"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ActivityReturn)
class ActivityReturnAdmin(admin.ModelAdmin):
    list_display = ["subcontract", "year", "quarter", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "year", "quarter", "subcontract__service"]
    list_select_related = ["subcontract__practice", "subcontract__service"]
    search_fields = ["subcontract__practice__name", "subcontract__practice__ods_code"]
    readonly_fields = [f.name for f in ActivityReturn._meta.fields]
    inlines = [ActivityReturnLineInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ["recipient", "item", "sent_at"]
    list_select_related = ["recipient"]
    search_fields = ["item", "recipient__username"]
