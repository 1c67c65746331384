"""Form widgets every app shares.

Dates are typed as the NHS.UK design system asks (its "Date input"
component): day, month and year in three text inputs, not a browser's date
picker, which shows mm/dd/yyyy in an American browser. ``install_date_input``
(run once, by ``FedportalConfig.ready``) makes it the widget of every
``forms.DateField`` of the portal, filters included, and teaches the field
the three parts and the NHS.UK error messages ("Date must include a month.",
"Enter a real date.", with the full stop the portal's messages end with), so
a form gets it without asking."""

import re
from datetime import date
from typing import NamedTuple

from django import forms
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string

MONTH_NAMES = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
PARTS = ("day", "month", "year")
REAL_DATE = "Enter a real date."
FOUR_DIGIT_YEAR = "Year must include 4 numbers."


class DateParts(NamedTuple):
    """A date as typed into the three inputs, before it is known to be one."""

    day: str
    month: str
    year: str

    @property
    def is_empty(self) -> bool:
        return not (self.day or self.month or self.year)

    @property
    def missing(self) -> list[str]:
        return [part for part in PARTS if not getattr(self, part)]

    def to_date(self) -> date:
        """The date typed, or a ValidationError in the NHS.UK words: what is
        missing, a year of other than four numbers, or no such day."""
        missing = self.missing
        if missing:
            named = missing[0] if len(missing) == 1 else f"{missing[0]} and {missing[1]}"
            raise ValidationError(f"Date must include a {named}.", code="incomplete")
        month = MONTH_NAMES.get(self.month.lower(), self.month)
        if not all(str(value).isdigit() for value in (self.day, month, self.year)):
            raise ValidationError(REAL_DATE, code="invalid")
        if len(self.year) != 4:
            raise ValidationError(FOUR_DIGIT_YEAR, code="invalid_year")
        try:
            return date(int(self.year), int(month), int(self.day))
        except ValueError:
            raise ValidationError(REAL_DATE, code="invalid") from None

    @classmethod
    def of(cls, value) -> "DateParts":
        """The parts to show in the inputs for a value: a date, the parts
        typed, or a date in one piece ("2019-02-15", "15/02/2019") as links
        and older forms send it."""
        if isinstance(value, DateParts):
            return value
        if isinstance(value, date):
            return cls(str(value.day), str(value.month), str(value.year))
        text = str(value or "").strip()
        if iso := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text):
            year, month, day = iso.groups()
            return cls(day.lstrip("0") or day, month.lstrip("0") or month, year)
        if british := re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{2,4})", text):
            day, month, year = british.groups()
            return cls(day, month, year)
        return cls("", "", "") if not text else cls("", "", text)


class DateInput(forms.Widget):
    """The NHS.UK date input: day, month and year, each a text input with a
    numeric keyboard, posted as ``<name>_day``, ``<name>_month`` and
    ``<name>_year``. A date in one piece under ``<name>`` (a link's
    ``?as_at=2019-02-15``) is still read. ``includes/field.html`` puts it in
    a fieldset with its legend, hint and error; ``has_error`` (set by the
    ``field`` tag) marks the inputs the error is about."""

    template_name = "includes/date_input.html"
    use_fieldset = True
    is_nhs_date_input = True
    has_error = False

    def value_from_datadict(self, data, files, name):
        keys = [f"{name}_{part}" for part in PARTS]
        if any(key in data for key in keys):
            return DateParts(*(str(data.get(key) or "").strip() for key in keys))
        return data.get(name)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and not any(f"{name}_{part}" in data for part in PARTS)

    def id_for_label(self, id_):
        # The error summary's link and any label go to the day.
        return f"{id_}_day" if id_ else id_

    def format_value(self, value):
        return DateParts.of(value)

    def _render(self, template_name, context, renderer=None):
        # The portal's templates, not the form renderer's own (which reads
        # only Django's and the apps' folders).
        return render_to_string(template_name, context)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        parts = widget["value"]
        base_id = widget["attrs"].get("id", "")
        missing = parts.missing
        # Only the parts missing are marked, or all of them when the date as
        # a whole is wrong (NHS.UK date input, "Error messages").
        marked = missing if missing and len(missing) < 3 else PARTS
        widget["parts"] = [
            {
                "name": f"{name}_{part}",
                "id": f"{base_id}_{part}" if base_id else "",
                "label": part.capitalize(),
                "value": getattr(parts, part),
                "width": 4 if part == "year" else 2,
                "error": self.has_error and part in marked,
            }
            for part in PARTS
        ]
        return context


def _date_field_to_python(original):
    def to_python(self, value):
        if isinstance(value, DateParts):
            return None if value.is_empty else value.to_date()
        return original(self, value)

    to_python.__doc__ = original.__doc__
    return to_python


def install_date_input() -> None:
    """Make the NHS.UK date input every ``forms.DateField``'s widget, and let
    the field read its three parts (once: the app's ``ready`` runs it)."""
    if getattr(forms.DateField, "reads_date_parts", False):
        return
    forms.DateField.widget = DateInput
    forms.DateField.default_error_messages = {"invalid": REAL_DATE}
    forms.DateField.to_python = _date_field_to_python(forms.DateField.to_python)
    forms.DateField.reads_date_parts = True
