from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from fedportal.models import User
from localities.models import PracticeMembership


class PracticeMembershipInline(admin.TabularInline):
    model = PracticeMembership
    extra = 0
    autocomplete_fields = ["practice"]


@admin.register(User)
class PortalUserAdmin(UserAdmin):
    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    fieldsets = [*UserAdmin.fieldsets, ("Portal role", {"fields": ["role"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Portal role", {"fields": ["role"]})]
    inlines = [PracticeMembershipInline]
