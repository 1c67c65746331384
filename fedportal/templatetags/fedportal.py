"""Template helpers used on every page (loaded as builtins)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.http import urlencode

register = template.Library()


@register.filter
def gbp(value):
    """£1,234.56; negative amounts as -£1,234.56."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(value).quantize(Decimal("0.01"))
    except (InvalidOperation, TypeError, ValueError):
        return value
    sign = "-" if amount < 0 else ""
    return f"{sign}£{intcomma(f'{abs(amount):.2f}')}"


@register.filter
def number(value):
    """Whole numbers with thousands separators; a dash for nothing."""
    if value is None or value == "":
        return "–"
    return intcomma(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None removes)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params.pop(key, None)
        if value is not None:
            params[key] = value
    params.pop("page", None) if "_export" in changes else None
    return "?" + urlencode(sorted(params.lists()), doseq=True)


WIDGET_CLASSES = {
    "Select": "nhsuk-select",
    "SelectMultiple": "nhsuk-select",
    "Textarea": "nhsuk-textarea",
    "CheckboxInput": "nhsuk-checkboxes__input",
    "RadioSelect": "nhsuk-radios__input",
    "ClearableFileInput": "nhsuk-file-upload",
    "FileInput": "nhsuk-file-upload",
}
ERROR_CLASSES = {
    "nhsuk-select": "nhsuk-select--error",
    "nhsuk-textarea": "nhsuk-textarea--error",
    "nhsuk-input": "nhsuk-input--error",
    "nhsuk-file-upload": "nhsuk-file-upload--error",
}


@register.inclusion_tag("includes/field.html")
def field(bound_field, width=None):
    """A form field in NHS.UK markup: label, hint, error beside it, input."""
    widget = bound_field.field.widget
    kind = type(widget).__name__
    css = WIDGET_CLASSES.get(kind, "nhsuk-input")
    classes = [css]
    if width and css == "nhsuk-input":
        classes.append(f"nhsuk-input--width-{width}")
    if bound_field.errors and css in ERROR_CLASSES:
        classes.append(ERROR_CLASSES[css])
    existing = widget.attrs.get("class", "")
    widget.attrs["class"] = " ".join(dict.fromkeys((existing + " " + " ".join(classes)).split()))
    described = []
    if bound_field.help_text:
        described.append(f"{bound_field.auto_id}-hint")
    if bound_field.errors:
        described.append(f"{bound_field.auto_id}-error")
    if described:
        widget.attrs["aria-describedby"] = " ".join(described)
    return {
        "field": bound_field,
        "kind": kind,
        "is_checkbox": kind == "CheckboxInput",
        "is_radios": kind == "RadioSelect",
    }
