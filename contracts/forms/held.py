"""Forms for contracts held for practices: the contract, a document, a review
note, and an organisation (contractor or commissioner). Each checks input
only; the service it feeds (contracts.services.held) owns the rules."""

from decimal import Decimal

from django import forms
from django.db.models import Q
from django.forms.utils import ErrorDict

from contracts.models import Contract, ContractDocument, ContractReviewNote, Organisation
from fedportal import clock
from fedportal.files import ACCEPTED_TYPES, MAX_UPLOAD_BYTES
from fedportal.forms import InputModelForm
from fedportal.widgets import DateInput
from localities.filters import search_practices
from localities.models import Locality, Practice

DATE_WIDGET = DateInput()
# The contract form lists every member practice up to this many; past it, a
# search (which works without JavaScript) finds them, as NHS.UK pickers do.
PICKER_SHOWS_ALL_UP_TO = 48
PICKER_MATCHES = 30
PRACTICE_SEARCH = "practice_search"
FIND_PRACTICES = "find_practices"


class PoundsField(forms.DecimalField):
    """An amount in pounds, accepting what people type: '£12,500.00' or '12500'."""

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("£", "").replace(",", "").strip()
        return super().to_python(value)


class ContractForm(InputModelForm):
    """A contract's details. Amounts are read as people type them; that the
    value is not negative, the VAT rate a percentage, the dates in order and
    the coverage someone's are ``contract_save``'s rules, all reported at once."""

    value = PoundsField(
        label="Value ex-VAT (£)",
        max_digits=14,
        decimal_places=2,
        error_messages={
            "invalid": "Enter the value in pounds, like 12500.00.",
            "max_digits": "The value is too large.",
            "max_decimal_places": "Enter the value in pounds and pence, at most 2 decimal places.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-10"}),
    )
    vat_rate = forms.DecimalField(
        label="VAT rate (%)",
        max_digits=5,
        decimal_places=2,
        initial=Decimal("20.00"),
        error_messages={
            "invalid": "Enter the VAT rate as a number, like 20.",
            "max_digits": "The VAT rate is a percentage between 0 and 100.",
            "max_decimal_places": "Enter the VAT rate with at most 2 decimal places.",
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "nhsuk-input--width-4"}),
    )

    class Meta:
        model = Contract
        fields = [
            "reference",
            "title",
            "contractor",
            "commissioner",
            "funding_source",
            "covers_all_localities",
            "localities",
            "practices",
            "start_date",
            "end_date",
            "value",
            "vat_rate",
            "extension_decision_by",
            "is_draft",
        ]
        labels = {
            "title": "Project",
            "extension_decision_by": "Practices decide on extension by",
            "is_draft": "Draft (not yet signed)",
            "localities": "Localities covered",
            "practices": "Practices covered",
        }
        help_texts = {
            "reference": "The federation's reference for the contract, e.g. FCP-HARB-2018.",
            "localities": "Every practice in a chosen locality is covered.",
            "practices": "Practices covered on their own, outside the localities chosen above.",
            "is_draft": "Drafts are not shown to practices.",
        }
        widgets = {
            "localities": forms.CheckboxSelectMultiple,
            "practices": forms.CheckboxSelectMultiple,
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "extension_decision_by": DATE_WIDGET,
        }
        error_messages = {
            "start_date": {"required": "Enter the start date.", "invalid": "Enter a real date."},
            "end_date": {"required": "Enter the end date.", "invalid": "Enter a real date."},
            "extension_decision_by": {"invalid": "Enter a real date."},
            "title": {"required": "Enter the project."},
            "reference": {"required": "Enter the contract's reference."},
            "contractor": {"required": "Choose the contractor."},
        }

    def __init__(self, *args, finding: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.finding = finding
        if finding:
            # "Find practices" re-shows what was typed, unchecked: nothing is
            # being saved, so nothing is wrong yet.
            self._errors = ErrorDict()
        self.fields["contractor"].empty_label = "Choose the contractor"
        self.fields["commissioner"].empty_label = "None"
        self.fields["localities"].queryset = Locality.objects.order_by("name")
        self._set_up_practice_picker()

    def _set_up_practice_picker(self):
        """Any member practice may be chosen (and those the contract already
        covers, should one have left), but the page offers only a few: all
        members while there are few, else those already chosen and those
        matching the search typed, grouped by locality. At 7,000 practices the
        page stays the size of the federation, not of the country."""
        today = clock.today()
        field = self.fields["practices"]
        covered = self.instance.practices.all() if self.instance.pk else Practice.objects.none()
        choosable = Practice.objects.filter(
            Q(pk__in=Practice.objects.members(on=today).values("pk")) | Q(pk__in=covered.values("pk"))
        )
        field.queryset = choosable
        self.practice_search = (self.data.get(PRACTICE_SEARCH, "") if self.is_bound else "").strip()
        chosen = [str(pk) for pk in (self["practices"].value() or [])]
        shown = choosable.select_related("locality").order_by("locality__name", "name", "ods_code")
        # One query tells whether the federation is small enough to list whole.
        first = list(shown[: PICKER_SHOWS_ALL_UP_TO + 1])
        self.practice_picker_searchable = len(first) > PICKER_SHOWS_ALL_UP_TO
        if not self.practice_picker_searchable:
            matches = first
        elif self.practice_search:
            matches = list(search_practices(shown, "", self.practice_search)[: PICKER_MATCHES + 1])
        else:
            matches = []
        self.practice_matches_more = self.practice_picker_searchable and len(matches) > PICKER_MATCHES
        if self.practice_picker_searchable:
            matches = matches[:PICKER_MATCHES]
        listed = {str(p.pk) for p in matches}
        missing = [pk for pk in chosen if pk not in listed and pk.isdigit()]
        offered = matches + list(shown.filter(pk__in=missing)) if missing else matches
        offered.sort(
            key=lambda p: (p.locality is None, p.locality.name if p.locality else "", p.name, p.ods_code)
        )
        self.practice_found = len(matches)
        groups: dict[str, list] = {}
        for practice in offered:
            groups.setdefault(practice.locality.name if practice.locality else "No locality", []).append(
                (practice.pk, f"{practice.name} ({practice.ods_code})")
            )
        # The widget renders only these; the field still accepts any member.
        field.widget.choices = list(groups.items())

    @property
    def practice_groups(self) -> list[tuple[str, list]]:
        """The practices offered, as (locality, [checkbox]) for the template."""
        boxes = {str(box.data["value"]): box for box in self["practices"]}
        return [
            (group, [boxes[str(pk)] for pk, _label in choices])
            for group, choices in self.fields["practices"].widget.choices
        ]


class ContractDocumentForm(InputModelForm):
    file = forms.FileField(
        label="File",
        help_text=f"{ACCEPTED_TYPES}, at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        error_messages={"required": "Choose a file to upload.", "empty": "The selected file is empty."},
    )

    class Meta:
        model = ContractDocument
        fields = ["title", "kind"]
        labels = {"kind": "What it is"}
        error_messages = {"title": {"required": "Enter a title for the document."}}


class ContractNoteForm(InputModelForm):
    class Meta:
        model = ContractReviewNote
        fields = ["reviewed_on", "note"]
        labels = {"reviewed_on": "Date of the review", "note": "Note"}
        help_texts = {
            "note": "What the review or monitoring meeting found and agreed. Notes cannot be edited."
        }
        widgets = {"reviewed_on": DATE_WIDGET, "note": forms.Textarea(attrs={"rows": 6})}
        error_messages = {
            "reviewed_on": {"required": "Enter the date of the review.", "invalid": "Enter a real date."},
            "note": {"required": "Enter the note."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewed_on"].initial = clock.today()


class OrganisationForm(InputModelForm):
    class Meta:
        model = Organisation
        fields = ["name", "kind", "ods_code", "contact_email", "notes"]
        labels = {"kind": "What kind of organisation", "ods_code": "ODS code"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Enter the organisation's name."}}
