from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from pghistory.models import Context

from fedportal.admin_rules import RefuseDeleteWhileLinkedMixin, many_to_many_references
from fedportal.models import User


@admin.register(User)
class PortalUserAdmin(RefuseDeleteWhileLinkedMixin, UserAdmin):
    """Users and their roles. Apps above fedportal add what they keep about a
    user (localities: the practices a practice user belongs to) by
    registering a subclass in its place."""

    list_display = ["username", "email", "first_name", "last_name", "role", "is_active"]
    list_filter = ["role", "is_active", "is_staff"]
    fieldsets = [*UserAdmin.fieldsets, ("Portal role", {"fields": ["role"]})]
    add_fieldsets = [*UserAdmin.add_fieldsets, ("Portal role", {"fields": ["role"]})]

    def extra_protected(self, objs) -> list[str]:
        """Someone the change history names is not deleted: the history says
        who changed each record by their account, so deleting it would lose
        who. (Records they uploaded or decided refer to them too, and PROTECT
        refuses those.) Such a user is made inactive instead."""
        users = {user.pk: user for user in objs}
        named = (
            Context.objects.filter(metadata__user__in=list(users))
            .values_list("metadata__user", flat=True)
            .distinct()
        )
        return [
            *many_to_many_references(objs),
            *(
                f"Change history: changes made by {users[pk]} (untick 'Active' to stop them signing in)"
                for pk in named
                if pk in users
            ),
        ]
