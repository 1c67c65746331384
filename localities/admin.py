from django.contrib import admin

from localities.models import ImportRun, ListSize, Locality, Practice, PracticeMembership


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ListSizeInline(admin.TabularInline):
    model = ListSize
    extra = 0
    readonly_fields = ["recorded_at"]


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin):
    list_display = ["ods_code", "name", "locality", "postcode", "status", "is_shareholder"]
    list_filter = ["status", "locality", "is_shareholder"]
    search_fields = ["ods_code", "name", "postcode"]
    list_select_related = ["locality"]
    inlines = [ListSizeInline]
    # A select of every practice would be 7,000 options at national scale.
    autocomplete_fields = ["merged_into", "locality"]


@admin.register(ListSize)
class ListSizeAdmin(admin.ModelAdmin):
    list_display = ["practice", "as_at", "registered_patients", "source"]
    list_select_related = ["practice"]
    search_fields = ["practice__ods_code", "practice__name"]
    date_hierarchy = "as_at"


@admin.register(PracticeMembership)
class PracticeMembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "practice", "job_title"]
    autocomplete_fields = ["practice"]
    search_fields = ["user__username", "practice__name", "practice__ods_code"]


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ["original_name", "kind", "status", "uploaded_by", "uploaded_at", "applied_at"]
    readonly_fields = [f.name for f in ImportRun._meta.fields]
