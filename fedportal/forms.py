"""What every form of the portal shares: the one convention for forms, and
putting a service's errors beside the fields they are about.

The convention: a form checks its *input* (is this a date, a whole number, a
choice offered); the service it feeds owns the *rules* (an end after the start,
a coverage that names someone), running the model's ``full_clean()`` once.
Forms whose fields come from a model are ``InputModelForm``s, which take the
fields and their widgets from the model but leave its validation to the
service, so no rule runs twice.

Both halves of "errors beside the fields" are here: ``full_clean_by_field``
for the service (a model's errors, each by the field it is about, in the
portal's words) and ``add_service_errors`` for the page."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models


class InputModelForm(forms.ModelForm):
    """A ModelForm for its fields only: the model's own validation (``clean``,
    unique and check constraints) runs in the service, once, not here too."""

    def _post_clean(self):
        # Django's ModelForm builds the instance and calls full_clean() here.
        # The service the view calls builds and validates it instead.
        pass


def full_clean_by_field(
    instance: models.Model,
    *,
    constraints: dict[str, str] | None = None,
    messages: dict[tuple[str, str], str] | None = None,
) -> None:
    """Run ``instance.full_clean()`` (for a service, before it saves) and raise
    its errors by the field each is about, in the words the pages use.

    ``constraints`` names the field a constraint is about ({constraint name:
    field}): Django gives a check or unique constraint's message no field.
    ``messages`` words an error again ({(field, code): message}) where Django's
    own words ("Ensure this value is less than or equal to 100.") say it less
    well; a constraint's error has the constraint's name for its code."""
    try:
        instance.full_clean()
    except ValidationError as error:
        constraints, messages = constraints or {}, messages or {}
        named = {
            str(constraint.get_violation_error_message()): constraint.name
            for constraint in instance._meta.constraints
            if constraint.name in constraints
        }
        errors: dict[str, list[ValidationError]] = {}
        for field, field_errors in error.error_dict.items():
            for each in field_errors:
                beside, code = field, each.code
                if field == NON_FIELD_ERRORS and (name := named.get(each.messages[0])):
                    beside, code = constraints[name], name
                worded = messages.get((beside, code))
                errors.setdefault(beside, []).append(ValidationError(worded, code=code) if worded else each)
        raise ValidationError(errors) from error


def add_service_errors(form: forms.Form, error: ValidationError, renames: dict | None = None) -> None:
    """Put a service's ValidationError beside the form's fields: a key the
    form knows under another name goes through ``renames``; messages for
    fields the form does not have go to the top of the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for name, messages in error.message_dict.items():
        name = (renames or {}).get(name, name)
        form.add_error(name if name in form.fields else None, messages)
