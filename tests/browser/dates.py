"""Typing a date into the NHS.UK date input (fedportal.widgets.DateInput) as
a person does: day, month and year, each in its own box, found by the
fieldset's legend."""

import re
from datetime import date


def fill_date(page, legend: str, day: date) -> None:
    group = page.get_by_role("group", name=re.compile(rf"^{re.escape(legend)}"))
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
