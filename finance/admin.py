"""The administrator's view of the finance records. Figures are changed in
the portal (where the movement rule and its note apply); here they can be
read, and lines and projects kept."""

from django.contrib import admin

from fedportal.admin_rules import RefuseDeleteWhileLinkedMixin
from finance.models import (
    Figure,
    FinanceImport,
    FinanceSettings,
    Line,
    PerPatientFunding,
    ProjectUpdate,
    SharedCost,
    SharedCostPart,
    ShopRate,
    TransformationProject,
)


class FigureInline(admin.TabularInline):
    model = Figure
    extra = 0
    fields = ["year", "kind", "basis", "amount", "plan", "comment", "movement_note"]
    ordering = ["year", "kind"]


@admin.register(Line)
class LineAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["name", "section", "commissioner", "category", "position", "archived"]
    list_filter = ["section", "category", "archived"]
    search_fields = ["name", "commissioner__name"]
    list_select_related = ["commissioner"]
    autocomplete_fields = []
    raw_id_fields = ["contract", "service"]
    inlines = [FigureInline]


@admin.register(Figure)
class FigureAdmin(admin.ModelAdmin):
    list_display = ["line", "year", "kind", "basis", "amount", "plan", "comment"]
    list_filter = ["kind", "basis", "year"]
    search_fields = ["line__name"]
    list_select_related = ["line"]
    raw_id_fields = ["line"]


@admin.register(FinanceSettings)
class FinanceSettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "movement_threshold"]


class ProjectUpdateInline(admin.TabularInline):
    model = ProjectUpdate
    extra = 0
    fields = ["on", "text", "author"]
    raw_id_fields = ["author"]


@admin.register(TransformationProject)
class TransformationProjectAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["title", "locality", "allocation", "fee", "project_management", "status", "position"]
    list_filter = ["status", "locality"]
    search_fields = ["title"]
    list_select_related = ["locality"]
    filter_horizontal = ["contracts"]
    inlines = [ProjectUpdateInline]


class SharedCostPartInline(admin.TabularInline):
    """The frozen split of a published cost: read only."""

    model = SharedCostPart
    extra = 0
    can_delete = False
    fields = ["locality_name", "patients", "contract", "fee", "legal", "management"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(SharedCost)
class SharedCostAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["title", "as_at", "contract_cost", "fee_percent", "legal", "management", "status"]
    list_filter = ["status"]
    search_fields = ["title"]
    readonly_fields = ["status", "published_at", "published_by"]
    raw_id_fields = ["contract"]
    inlines = [SharedCostPartInline]


@admin.register(ShopRate)
class ShopRateAdmin(admin.ModelAdmin):
    list_display = ["__str__", "annual_costs", "available_hours", "margin_percent", "vat_percent"]


@admin.register(PerPatientFunding)
class PerPatientFundingAdmin(admin.ModelAdmin):
    list_display = ["title", "per_patient", "as_at", "line"]
    raw_id_fields = ["line"]


@admin.register(FinanceImport)
class FinanceImportAdmin(admin.ModelAdmin):
    list_display = ["original_name", "status", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["status"]
    list_select_related = ["uploaded_by"]
    readonly_fields = [
        "file",
        "original_name",
        "sha256",
        "size",
        "preview",
        "result",
        "uploaded_by",
        "applied_by",
    ]
