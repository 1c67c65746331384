"""What every form of the portal shares: the one convention for forms, and
putting a service's errors beside the fields they are about.

The convention: a form checks its *input* (is this a date, a whole number, a
choice offered); the service it feeds owns the *rules* (an end after the start,
a coverage that names someone), running the model's ``full_clean()`` once.
Forms whose fields come from a model are ``InputModelForm``s, which take the
fields and their widgets from the model but leave its validation to the
service, so no rule runs twice."""

from django import forms
from django.core.exceptions import ValidationError


class InputModelForm(forms.ModelForm):
    """A ModelForm for its fields only: the model's own validation (``clean``,
    unique and check constraints) runs in the service, once, not here too."""

    def _post_clean(self):
        # Django's ModelForm builds the instance and calls full_clean() here.
        # The service the view calls builds and validates it instead.
        pass


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
