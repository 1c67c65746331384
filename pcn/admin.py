"""The administrator's view of networks, memberships and registrations.
Bank details are never listed; registrations are read-only here (their
state changes go through the portal's services, which check and lock)."""

from django.contrib import admin

from fedportal.admin_rules import RefuseDeleteWhileLinkedMixin
from pcn.models import PCN, AgreementSignature, ContractYear, Membership, Payment, Rate, Registration


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
