"""The administrator's view of localities, practices and their list sizes.

DESIGN.md's data rules hold here as in the portal: list sizes are dated
figures that are added, never overwritten or deleted; imports are a record of
what was imported; and a record that others refer to is not deleted.
"""

from django.contrib import admin

from fedportal.admin import PortalUserAdmin
from fedportal.admin_rules import ReadOnlyAdminMixin, RefuseDeleteWhileLinkedMixin
from fedportal.models import User
from localities.models import ImportRun, ListSize, Locality, Practice, PracticeMembership


@admin.register(Locality)
class LocalityAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["name", "short_name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name"]


class ListSizeInline(ReadOnlyAdminMixin, admin.TabularInline):
    """The practice's figures, newest first. A new figure is added on the list
    size page (or the practice's page in the portal), never typed over an old one."""

    model = ListSize
    extra = 0
    fields = ["as_at", "registered_patients", "source", "recorded_at"]
    readonly_fields = fields
    ordering = ["-as_at"]


@admin.register(Practice)
class PracticeAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = [
        "ods_code",
        "name",
        "locality",
        "postcode",
        "status",
        "member_from",
        "member_until",
        "is_shareholder",
    ]
    list_filter = ["status", "locality", "is_shareholder"]
    search_fields = ["ods_code", "name", "postcode"]
    list_select_related = ["locality"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [ListSizeInline]
    # A select of every practice would be 7,000 options at national scale.
    autocomplete_fields = ["merged_into", "locality"]


@admin.register(ListSize)
class ListSizeAdmin(admin.ModelAdmin):
    """Add and view only: a figure is never overwritten or deleted, and a
    correction is a new figure at its own date. The add form checks what the
    portal's form does (one figure per practice and date, not negative)."""

    list_display = ["practice", "as_at", "registered_patients", "source", "recorded_at"]
    list_select_related = ["practice"]
    search_fields = ["practice__ods_code", "practice__name"]
    date_hierarchy = "as_at"
    autocomplete_fields = ["practice"]
    readonly_fields = ["recorded_at"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PracticeMembershipInline(admin.TabularInline):
    model = PracticeMembership
    extra = 0
    autocomplete_fields = ["practice"]


# fedportal registers users and roles and knows nothing of practices (it is
# the layer below): the user's page with their practices is registered here.
admin.site.unregister(User)


@admin.register(User)
class UserWithPracticesAdmin(PortalUserAdmin):
    """fedportal's user admin, with the practices a practice user belongs to."""

    inlines = [*PortalUserAdmin.inlines, PracticeMembershipInline]


@admin.register(PracticeMembership)
class PracticeMembershipAdmin(RefuseDeleteWhileLinkedMixin, admin.ModelAdmin):
    list_display = ["user", "practice", "job_title"]
    list_select_related = ["user", "practice"]
    autocomplete_fields = ["user", "practice"]
    search_fields = ["user__username", "practice__name", "practice__ods_code"]


@admin.register(ImportRun)
class ImportRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The record of each NHS file imported: files are uploaded, previewed and
    applied in the portal (Imports), where they are checked."""

    list_display = ["original_name", "kind", "status", "uploaded_by", "uploaded_at", "applied_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["uploaded_by"]
    search_fields = ["original_name", "sha256"]
    date_hierarchy = "uploaded_at"
    # The file itself is shown by name: MEDIA_URL serves nothing, and a
    # link straight to storage would skip the portal's checks.
    fields = [
        "kind",
        "original_name",
        "stored_as",
        "size",
        "sha256",
        "commissioner",
        "status",
        "preview",
        "result",
        "uploaded_by",
        "uploaded_at",
        "applied_by",
        "applied_at",
    ]
    readonly_fields = fields

    @admin.display(description="stored as")
    def stored_as(self, obj):
        return obj.file.name
