"""Forms of the services, sub-contracts and evidence pages. They check what
was typed; the rules are the services' (which raise ValidationError by field,
shown beside the field by ``fedportal.form_pages.FormPageView``). Forms built
from a model are ``InputModelForm``s, so the model's own validation runs
once, in the service."""

from django import forms

from contracts.models import (
    Decision,
    EvidenceRequirement,
    HeadContract,
    Organisation,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from fedportal.files import ACCEPTED_TYPES, MAX_UPLOAD_BYTES, check_upload
from fedportal.forms import InputModelForm
from fedportal.widgets import DateInput
from localities.models import Practice


def date_widget():
    return DateInput()


class HeadContractForm(InputModelForm):
    class Meta:
        model = HeadContract
        fields = ["title", "commissioner", "paying_organisation", "start_date", "end_date", "notes"]
        widgets = {
            "start_date": date_widget(),
            "end_date": date_widget(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {"paying_organisation": "Paying organisation"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = Organisation.objects.order_by("name")
        self.fields["paying_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["commissioner"].empty_label = "Choose the commissioner"
        self.fields["paying_organisation"].empty_label = "The commissioner pays"


class ServiceForm(InputModelForm):
    class Meta:
        model = Service
        fields = ["name", "slug", "head_contract", "unit", "description", "takes_returns"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"slug": "Short name for web addresses"}
        help_texts = {
            "slug": "Letters, numbers and hyphens, e.g. h-pylori. Left empty, it is made from the name."
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["head_contract"].queryset = HeadContract.objects.select_related("commissioner")
        self.fields["head_contract"].empty_label = "Choose the head contract"


class TariffForm(InputModelForm):
    class Meta:
        model = Tariff
        fields = ["effective_from", "unit_price", "note"]
        widgets = {"effective_from": date_widget()}
        labels = {"effective_from": "In force from", "unit_price": "Price per unit (£, ex-VAT)"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit_price"].widget.attrs.update(inputmode="decimal")
        self.fields["unit_price"].error_messages["invalid"] = "Enter the price in pounds, like 25.00."


class RequirementForm(InputModelForm):
    class Meta:
        model = EvidenceRequirement
        fields = ["name", "description", "has_expiry", "is_clinician_schedule", "position", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        labels = {"position": "Order on the page", "active": "Required now (untick to stop asking for it)"}


class SubContractForm(forms.Form):
    practice = forms.ModelChoiceField(
        queryset=Practice.objects.order_by("name"), empty_label="Choose the practice"
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.filter(archived=False).order_by("name"), empty_label="Choose the service"
    )
    start_date = forms.DateField(label="Start date", widget=date_widget())
    end_date = forms.DateField(
        label="End date",
        required=False,
        widget=date_widget(),
        help_text="Leave empty while it is open-ended.",
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SubContractChangeForm(forms.Form):
    """The dates and notes of a sub-contract; its practice and service stay."""

    start_date = SubContractForm.base_fields["start_date"]
    end_date = forms.DateField(
        label="End date",
        required=False,
        widget=date_widget(),
        help_text="The last day the practice delivers the service. Leave empty while it is open-ended.",
    )
    notes = SubContractForm.base_fields["notes"]


class ClinicianForm(InputModelForm):
    class Meta:
        model = ScheduledClinician
        fields = ["name", "role", "registration"]


class EvidenceFileField(forms.FileField):
    """A required file, checked by ``contracts.uploads`` (its content, size and
    emptiness) with that module's messages, so that every problem with the
    form shows at once (the service checks it again before keeping it)."""

    def __init__(self, **kwargs):
        super().__init__(allow_empty_file=True, **kwargs)

    def validate(self, value):
        check_upload(value or None)


class EvidenceForm(forms.Form):
    """An upload of evidence for one of a sub-contract's requirements."""

    requirement = forms.ModelChoiceField(
        queryset=EvidenceRequirement.objects.none(),
        label="Evidence for",
        empty_label="Choose what this evidence is for",
    )
    clinician = forms.ModelChoiceField(
        queryset=ScheduledClinician.objects.none(),
        required=False,
        empty_label="Not for a named clinician",
        help_text="Only for a schedule of clinicians: whose evidence this is.",
    )
    file = EvidenceFileField(
        widget=forms.FileInput,
        help_text=f"A {ACCEPTED_TYPES} file, at most {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
    )
    description = forms.CharField(
        label="What it is",
        max_length=200,
        help_text="e.g. MDU indemnity certificate 2019/20",
        error_messages={"required": "Say what this evidence is, e.g. the certificate's title."},
    )
    valid_from = forms.DateField(label="Valid from", required=False, widget=date_widget())
    valid_to = forms.DateField(
        label="Valid to", required=False, widget=date_widget(), help_text="Needed when the evidence expires."
    )
    notes = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, subcontract: SubContract, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requirement"].queryset = subcontract.service.requirements.filter(active=True)
        self.fields["clinician"].queryset = subcontract.clinicians.filter(removed_on__isnull=True)
        for name in ("valid_from", "valid_to"):
            self.fields[name].error_messages["invalid"] = "Enter a real date, like 31/03/2020."

    def ask_for_the_file_again(self, upload) -> None:
        """A browser never keeps a chosen file when the form comes back."""
        message = (
            f"You chose “{upload.name}”. Choose the file again: a browser cannot keep it "
            "when the form is shown again."
        )
        self.fields["file"].help_text = message
        self["file"].help_text = message  # the bound field copied the old text


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(
        choices=Decision.choices,
        widget=forms.RadioSelect,
        label="Your decision",
        error_messages={"required": "Choose accept or reject."},
    )
    reason = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason",
        help_text="The practice sees it. Needed when you reject.",
    )
