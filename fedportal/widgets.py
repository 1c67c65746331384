"""Form widgets every app shares."""

from django import forms


class DateInput(forms.DateInput):
    """A browser date picker. Its value must be ISO (YYYY-MM-DD) whatever the
    locale: a British 01/04/2018 would leave the picker empty on edit forms."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(
            attrs={"class": "nhsuk-input nhsuk-input--width-10", **(attrs or {})}, format="%Y-%m-%d"
        )
