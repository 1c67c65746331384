"""Sections other apps add to a practice's page.

localities shows a practice, but the apps above it know more about the
practice than localities may import (its network, its contracts): the
layers run one way. So an app registers a ``PracticeSection`` in its
``AppConfig.ready``, and the practice page renders every registered section
for the date it is asked about (``?on=YYYY-MM-DD``, or today), as the
header's menu is put together from each app's entries.

A section's ``context`` is a function (practice, *, user, on) -> dict | None:
what its template needs, read in the user's scope, or None to show nothing.
It should cost a query or two: the page as a whole stays within 12."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django import forms

from fedportal.clock import today


@dataclass(frozen=True)
class PracticeSection:
    """One app's part of the practice page: its template, what fills it, and
    its place on the page (smallest first)."""

    name: str
    template_name: str
    context: Callable[..., dict | None]
    position: int = 100


@dataclass(frozen=True)
class RenderedSection:
    template_name: str
    context: dict


_SECTIONS: dict[str, PracticeSection] = {}


def register_practice_section(section: PracticeSection) -> None:
    """Add (or, by its name, replace) a section: ``ready`` may run twice."""
    _SECTIONS[section.name] = section


def registered_practice_sections() -> list[PracticeSection]:
    return sorted(_SECTIONS.values(), key=lambda section: (section.position, section.name))


class OnDateForm(forms.Form):
    """The date a practice's page is shown at: ``?on=2019-07-01`` (or its day,
    month and year parts), today when not given."""

    on = forms.DateField(label="Show the practice on", required=False)


def practice_sections(practice, *, user, query) -> tuple[OnDateForm, date, list[RenderedSection]]:
    """The date asked for in ``query`` (a request's GET; today when not given
    or not a date, the form then saying why beside the field) and each
    registered section that has something to show for ``practice`` then."""
    form = OnDateForm(query if any(key == "on" or key.startswith("on_") for key in query) else None)
    on = today()
    if form.is_bound and form.is_valid() and form.cleaned_data["on"]:
        on = form.cleaned_data["on"]
    rendered = []
    for section in registered_practice_sections():
        context = section.context(practice, user=user, on=on)
        if context is not None:
            rendered.append(RenderedSection(section.template_name, {**context, "on": on, "on_form": form}))
    return form, on, rendered
