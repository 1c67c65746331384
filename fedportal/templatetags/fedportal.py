"""Template helpers used on every page (loaded as builtins)."""

from decimal import Decimal, InvalidOperation

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.base import kwarg_re, token_kwargs
from django.utils.html import format_html_join
from django.utils.http import urlencode

from fedportal import formats

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


@register.filter
def when(value):
    """A moment in the NHS.UK style: 15 February 2019 at 2:05pm."""
    return formats.when(value)


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
    if getattr(widget, "is_nhs_date_input", False):
        # Its hint and error are the fieldset's (includes/field.html); the
        # widget marks the inputs the error is about.
        widget.has_error = bool(bound_field.errors)
        return {"field": bound_field, "kind": kind, "is_date": True}
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


SUMMARY_ROW_OPTIONS = ("href", "action", "action_href")


@register.tag
def summary_row(parser, token):
    """One row of an NHS.UK summary list (``<dl class="nhsuk-summary-list">``),
    through ``includes/summary_row.html``. Three spellings, by how much the
    label and value need:

        {% summary_row "Reference" contract.reference %}
        {% summary_row "Locality" practice.locality href=practice.locality.get_absolute_url %}
        {% summary_row "Address" %}{% for line in lines %}{{ line }}<br>{% endfor %}{% endsummary_row %}
        {% summary_row %}Status on {{ today|date }}{% value %}{{ status_tag }}{% endsummary_row %}

    A value given between the tags (and a label, before ``{% value %}``) is
    written as the template writes it. Options: ``href`` links the value;
    ``action`` and ``action_href`` add the row's action link ("Change", with
    the label for screen readers); any other ``name=value`` is an attribute
    of the value's ``<dd>`` (``data_count="created"`` is ``data-count``)."""
    bits = token.split_contents()
    tag_name, bits = bits[0], bits[1:]
    positional = []
    while bits and not kwarg_re.match(bits[0]).group(1):
        positional.append(parser.compile_filter(bits.pop(0)))
    options = token_kwargs(bits, parser)
    if bits or len(positional) > 2:
        raise template.TemplateSyntaxError(
            f"{tag_name} takes a label, a value and name=value options: {token.contents!r}"
        )
    label = value = None
    if len(positional) == 2:
        label, value = positional
    elif len(positional) == 1:
        label = positional[0]
        value = parser.parse((f"end{tag_name}",))
        parser.delete_first_token()
    else:
        label = parser.parse(("value",))
        parser.delete_first_token()
        value = parser.parse((f"end{tag_name}",))
        parser.delete_first_token()
    return SummaryRowNode(label, value, options)


class SummaryRowNode(template.Node):
    def __init__(self, label, value, options):
        self.label, self.value, self.options = label, value, options

    @staticmethod
    def _resolve(part, context):
        # A NodeList is what was written between the tags; anything else an expression.
        return part.render(context) if isinstance(part, template.NodeList) else part.resolve(context)

    def render(self, context):
        options = {name: expression.resolve(context) for name, expression in self.options.items()}
        attrs = format_html_join(
            "",
            ' {}="{}"',
            (
                (name.replace("_", "-"), value)
                for name, value in options.items()
                if name not in SUMMARY_ROW_OPTIONS
            ),
        )
        row = context.template.engine.get_template("includes/summary_row.html")
        with context.push(
            label=self._resolve(self.label, context),
            value=self._resolve(self.value, context),
            href=options.get("href"),
            action=options.get("action"),
            action_href=options.get("action_href"),
            attrs=attrs,
        ):
            return row.render(context)
