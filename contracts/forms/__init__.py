"""One module per area: held (contracts held for practices), subcontracts
(services, sub-contracts, evidence, compliance), returns (activity returns,
payment schedules); and what their views share."""

from django import forms
from django.core.exceptions import ValidationError


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
