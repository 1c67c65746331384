"""What every app's admin shares to keep DESIGN.md's data rules: records
that are shown but never changed, and deletes refused while others refer to
the record."""

from django.utils.text import capfirst


def many_to_many_references(objs) -> list[str]:
    """The records linked to ``objs`` through another model's many-to-many
    field (a contract covering a practice or a locality). Deleting ``objs``
    would silently drop those links, which Django's PROTECT does not catch."""
    objs = list(objs)
    if not objs:
        return []
    references = []
    for relation in objs[0]._meta.related_objects:
        if not relation.many_to_many:
            continue
        linked = relation.related_model._default_manager.filter(**{f"{relation.field.name}__in": objs})
        references += [
            f"{capfirst(relation.related_model._meta.verbose_name)}: {record}" for record in linked.distinct()
        ]
    return references


class RefuseDeleteWhileLinkedMixin:
    """Deleting is refused (as for PROTECT) while another record links to this
    one through a many-to-many field, or whatever ``extra_protected`` names.

    The confirmation page then lists what refers to the record. Django would
    instead say the administrator lacks permission to delete a protected
    record whose admin is read-only, as if it were about to be deleted; with
    anything protected nothing is deleted, so that message is left out."""

    def extra_protected(self, objs) -> list[str]:
        return many_to_many_references(objs)

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        protected = [*protected, *self.extra_protected(objs)]
        if protected:
            perms_needed = set()
        return deleted, model_count, perms_needed, protected


class ReadOnlyAdminMixin:
    """A record a user submitted or a process kept: shown, never added,
    changed or deleted here."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
