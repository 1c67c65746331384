from django import forms

from fedportal.files import check_upload
from fedportal.forms import InputModelForm
from fedportal.widgets import DateInput
from localities.models import ODS_CODE_MESSAGE, POSTCODE_MESSAGE, ImportKind, ListSize, Locality, Practice
from localities.services import nhs_file

DATE_WIDGET = DateInput()


class PracticeForm(InputModelForm):
    """A practice's details as staff keep them; ``practice_save`` owns the
    rules (the ODS code's form and uniqueness, the postcode, the dates)."""

    class Meta:
        model = Practice
        fields = [
            "ods_code",
            "name",
            "address",
            "postcode",
            "locality",
            "commissioner_code",
            "status",
            "open_date",
            "close_date",
            "is_shareholder",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "open_date": DATE_WIDGET,
            "close_date": DATE_WIDGET,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # One message for a malformed code however it is wrong, too long included,
        # rather than Django's "at most 6 characters".
        self.fields["ods_code"].error_messages["max_length"] = ODS_CODE_MESSAGE
        self.fields["postcode"].error_messages["max_length"] = POSTCODE_MESSAGE


class ListSizeForm(InputModelForm):
    """A dated figure; ``list_size_add`` refuses a second one for the same date."""

    class Meta:
        model = ListSize
        fields = ["as_at", "registered_patients", "source"]
        widgets = {"as_at": DATE_WIDGET}
        labels = {"registered_patients": "Registered patients"}
        help_texts = {"source": "Where the figure comes from, e.g. the NHS Digital publication."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registered_patients"].error_messages.update(
            min_value="Registered patients cannot be negative.",
            invalid="Enter the number of registered patients as a whole number.",
        )


class PopulationDateForm(forms.Form):
    as_at = forms.DateField(label="Population at", required=False, widget=DATE_WIDGET)


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file is", choices=ImportKind.choices, widget=forms.RadioSelect)
    file = forms.FileField(label="File (CSV)")
    commissioner = forms.CharField(
        label="Only practices of this commissioner (optional)",
        max_length=5,
        required=False,
        help_text="A CCG or sub-ICB location code, e.g. 03W. Applies to the ODS file only.",
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes

    def clean_file(self):
        # The keeper's check, as the service makes it again: size, name, and
        # CSV text judged from the file's start by the importer's own rule.
        upload = self.cleaned_data["file"]
        check_upload(upload, nhs_file(max_bytes=self.max_bytes))
        return upload

    def clean_commissioner(self):
        return self.cleaned_data["commissioner"].strip().upper()


class LocalityChoiceForm(forms.Form):
    locality = forms.ModelChoiceField(queryset=Locality.objects.all(), required=False)
