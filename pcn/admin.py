"""The administrator's view of networks, memberships and registrations.
Bank details are never listed; registrations are read-only here (their
state changes go through the portal's services, which check and lock)."""

from django.contrib import admin

from fedportal.admin_rules import RefuseDeleteWhileLinkedMixin
from pcn.models import (
    PCN,
    AgreementSchedule,
    AgreementSignature,
    ContractYear,
    MaturityAssessment,
    Membership,
    Payment,
    Rate,
    Registration,
    ReimbursementClaim,
    RoleReimbursement,
    WorkforcePost,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    fields = ["practice", "start_date", "end_date", "other_ccg"]
    autocomplete_fields = ["practice"]


@admin.register(PCN)
class PCNAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["code", "name", "ccg_code", "open_date", "close_date", "clinical_director_name"]
    list_filter = ["ccg_code"]
    search_fields = ["code", "name", "ccg_code"]
    autocomplete_fields = ["clinical_director_practice", "payee_practice"]
    readonly_fields = ["created_at", "updated_at", "boundary", "boundary_file_name"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["practice", "pcn", "start_date", "end_date", "other_ccg"]
    list_filter = ["other_ccg"]
    list_select_related = ["practice", "pcn"]
    search_fields = ["practice__ods_code", "practice__name", "pcn__code", "pcn__name"]
    autocomplete_fields = ["practice", "pcn"]


@admin.register(ContractYear)
class ContractYearAdmin(admin.ModelAdmin):
    list_display = ["label", "start", "end", "reference_date", "live_from", "submission_due"]


@admin.register(Rate)
class RateAdmin(admin.ModelAdmin):
    list_display = ["contract_year", "kind", "per_patient_per_year", "starts", "ends"]
    list_filter = ["contract_year", "kind"]


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ["pcn", "contract_year", "status", "submitted_at", "decided_at"]
    list_filter = ["contract_year", "status"]
    list_select_related = ["pcn", "contract_year"]
    search_fields = ["pcn__code", "pcn__name"]
    exclude = ["bank_account_name", "bank_sort_code", "bank_account_number", "boundary"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AgreementSignature)
class AgreementSignatureAdmin(admin.ModelAdmin):
    list_display = ["registration", "practice", "signatory", "signed_by", "signed_at"]
    list_select_related = ["registration__pcn", "practice", "signed_by"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Payment)
class PaymentAdmin(admin.ModelAdmin):
    list_display = ["pcn", "month", "kind", "amount", "received_on"]
    list_select_related = ["pcn"]


@admin.register(RoleReimbursement)
class RoleReimbursementAdmin(admin.ModelAdmin):
    list_display = ["contract_year", "role", "percent", "annual_cap"]
    list_filter = ["contract_year", "role"]


@admin.register(WorkforcePost)
class WorkforcePostAdmin(admin.ModelAdmin):
    list_display = ["pcn", "contract_year", "title", "role", "wte", "starts", "ends"]
    list_filter = ["contract_year", "role"]
    list_select_related = ["pcn", "contract_year"]
    search_fields = ["pcn__code", "pcn__name", "title"]
    autocomplete_fields = ["pcn"]


@admin.register(ReimbursementClaim)
class ReimbursementClaimAdmin(admin.ModelAdmin):
    """Claims are worked out against the cap by the portal: read-only here."""

    list_display = ["post", "month", "costs", "amount", "capped"]
    list_select_related = ["post"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(MaturityAssessment)
class MaturityAssessmentAdmin(admin.ModelAdmin):
    list_display = ["pcn", "assessed_on", "right_scale", "integrated_working", "targeting_care"]
    list_select_related = ["pcn"]
    search_fields = ["pcn__code", "pcn__name"]


@admin.register(AgreementSchedule)
class AgreementScheduleAdmin(admin.ModelAdmin):
    """Signed schedules are kept as uploaded: never changed here."""

    list_display = ["registration", "original_name", "size", "uploaded_by", "uploaded_at"]
    list_select_related = ["registration__pcn", "registration__contract_year", "uploaded_by"]
    exclude = ["file"]

    def has_change_permission(self, request, obj=None):
        return False
