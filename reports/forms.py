"""Forms of the board's papers: they check input only; the services in
``reports.services`` own the rules (fedportal.forms, InputModelForm)."""

from datetime import date

from django import forms

from fedportal.forms import InputModelForm
from reports.models import (
    AgendaItem,
    Attendee,
    BoardAction,
    BoardMeeting,
    Milestone,
    PaperKind,
    Risk,
    Workstream,
    WorkstreamUpdate,
)


class WorkstreamForm(InputModelForm):
    class Meta:
        model = Workstream
        fields = ["title", "lead", "status", "position", "archived"]


class UpdateForm(InputModelForm):
    """The month's update of one workstream, in Markdown. "Preview" shows it
    as the report will, without saving."""

    class Meta:
        model = WorkstreamUpdate
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "class": "nhsuk-textarea"})}


class MilestoneForm(InputModelForm):
    class Meta:
        model = Milestone
        fields = ["code", "description", "due_date", "forecast_date", "completed_on", "exception_note"]
        widgets = {"exception_note": forms.Textarea(attrs={"rows": 3, "class": "nhsuk-textarea"})}


class RiskForm(InputModelForm):
    class Meta:
        model = Risk
        fields = ["title", "workstream", "owner", "likelihood", "impact", "mitigation", "status", "is_key"]
        widgets = {"mitigation": forms.Textarea(attrs={"rows": 4, "class": "nhsuk-textarea"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workstream"].queryset = Workstream.objects.filter(archived=False)
        for name in ("likelihood", "impact"):
            self.fields[name].min_value, self.fields[name].max_value = 1, 5
            self.fields[name].widget.attrs.update(min=1, max=5)


class ActionForm(InputModelForm):
    class Meta:
        model = BoardAction
        fields = ["action", "owner", "raised_at", "due_date", "status", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["raised_at"].queryset = BoardMeeting.objects.all()


class MeetingForm(InputModelForm):
    class Meta:
        model = BoardMeeting
        fields = ["held_on", "venue"]


class AttendeeForm(InputModelForm):
    class Meta:
        model = Attendee
        fields = ["name", "represents", "attendance"]


class AgendaItemForm(InputModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "declarations"]


class PaperForm(forms.Form):
    title = forms.CharField(max_length=200)
    kind = forms.ChoiceField(choices=PaperKind.choices, label="What the paper is")
    upload = forms.FileField(
        label="The paper as a PDF",
        required=False,
        help_text="Only for an uploaded paper: a PDF of up to 20 MB.",
    )


class MonthField(forms.CharField):
    """A month written YYYY-MM (2019-03)."""

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        try:
            return date.fromisoformat(f"{value}-01")
        except ValueError:
            raise forms.ValidationError("Enter the month as year and month, like 2019-03.") from None


class ReportStartForm(forms.Form):
    month = MonthField(label="Month", help_text="Year and month, like 2019-03.", max_length=7)


class PublishForm(forms.Form):
    correction = forms.CharField(
        label="What this version corrects",
        required=False,
        max_length=500,
        help_text="Only when the report has been published before: the earlier version stays, marked superseded.",
    )


class VerifyForm(forms.Form):
    pdf = forms.FileField(label="The PDF you hold", help_text="It is read to work out its SHA-256, not kept.")
