"""Tables of the board's papers: workstreams, the risk register, the
action log and meetings."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from fedportal.tables import NUMERIC, tag
from reports.models import (
    RAG_TAGS,
    BoardAction,
    BoardMeeting,
    Risk,
    Workstream,
)


class WorkstreamTable(tables.Table):
    position = tables.Column("Order", attrs=NUMERIC)
    title = tables.Column("Workstream", linkify=True)
    lead = tables.Column("Lead")
    status = tables.Column("RAG status")
    archived = tables.BooleanColumn("Archived", yesno="Yes,No")

    class Meta:
        model = Workstream
        fields = ["position", "title", "lead", "status", "archived"]
        empty_text = "No workstreams yet."

    def render_status(self, record):
        return tag(RAG_TAGS[record.status], record.get_status_display())


class RiskTable(tables.Table):
    title = tables.Column("Risk")
    owner = tables.Column("Owner")
    likelihood = tables.Column("Likelihood", attrs=NUMERIC)
    impact = tables.Column("Impact", attrs=NUMERIC)
    score = tables.Column("Score", attrs=NUMERIC, order_by=("score_value",), accessor="score_value")
    status = tables.Column("Status")
    is_key = tables.BooleanColumn("Key risk", yesno="Yes,No")
    edit = tables.Column("", empty_values=(), orderable=False)

    class Meta:
        model = Risk
        fields = ["title", "owner", "likelihood", "impact", "score", "status", "is_key"]
        empty_text = "The risk register is empty."

    def render_edit(self, record):
        return format_html(
            '<a class="nhsuk-link" href="{}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a>',
            reverse("reports:risk-edit", args=[record.pk]),
            record.title,
        )


class ActionTable(tables.Table):
    action = tables.Column("Action")
    owner = tables.Column("Owner")
    raised_at = tables.Column(
        "Raised at", accessor="raised_at__held_on", linkify=lambda record: record.raised_at.get_absolute_url()
    )
    due_date = tables.DateColumn(verbose_name="Due", format="j M Y")
    status = tables.Column("Status")
    edit = tables.Column("", empty_values=(), orderable=False)

    class Meta:
        model = BoardAction
        fields = ["action", "owner", "raised_at", "due_date", "status"]
        empty_text = "No actions recorded."

    def render_raised_at(self, value):
        return value.strftime("%-d %b %Y")

    def render_edit(self, record):
        return format_html(
            '<a class="nhsuk-link" href="{}">Change<span class="nhsuk-u-visually-hidden"> {}</span></a>',
            reverse("reports:action-edit", args=[record.pk]),
            record.action,
        )


class MeetingTable(tables.Table):
    held_on = tables.DateColumn(verbose_name="Date", format="j F Y", linkify=True)
    venue = tables.Column("Venue")
    paper_count = tables.Column("Papers", attrs=NUMERIC)
    action_count = tables.Column("Actions raised", attrs=NUMERIC)

    class Meta:
        model = BoardMeeting
        fields = ["held_on", "venue"]
        empty_text = "No board meetings yet."
