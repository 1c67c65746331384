from django import forms

from fedportal.files import check_upload
from fedportal.forms import InputModelForm
from fedportal.importers import registered_importers
from fedportal.widgets import DateInput
from localities.models import ODS_CODE_MESSAGE, POSTCODE_MESSAGE, ListSize, Locality, Practice
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
            "member_from",
            "member_until",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 4}),
            "open_date": DATE_WIDGET,
            "close_date": DATE_WIDGET,
            "member_from": DATE_WIDGET,
            "member_until": DATE_WIDGET,
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
    """The imports page: what the file is (every kind an app registered,
    ``fedportal.importers``), the file, and a commissioner to narrow it to.
    ``import_run_preview`` owns the rest (a file of another kind than chosen)."""

    kind = forms.ChoiceField(
        label="What the file is",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the file is.", "invalid_choice": "Choose what the file is."},
    )
    file = forms.FileField(
        label="File",
        error_messages={"required": "Choose the file to upload."},
    )
    # "(optional)" is added by the field template to every optional field.
    commissioner = forms.CharField(
        label="Only practices of this commissioner",
        max_length=5,
        required=False,
        help_text="A CCG or sub-ICB location code, e.g. 03W. For the ODS file and the ePCN workbook.",
    )

    def __init__(self, *args, max_bytes: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.max_bytes = max_bytes
        kinds = registered_importers()
        self.fields["kind"].choices = [(kind.name, kind.label) for kind in kinds]
        self.fields["file"].help_text = " or ".join(
            dict.fromkeys(file_type.name for kind in kinds for file_type in kind.types)
        )

    def clean_file(self):
        # The keeper's check, as the service makes it again: size, name, and
        # content judged from the file itself against every registered kind.
        upload = self.cleaned_data["file"]
        check_upload(upload, nhs_file(max_bytes=self.max_bytes))
        return upload

    def clean_commissioner(self):
        return self.cleaned_data["commissioner"].strip().upper()


class LocalityChoiceForm(forms.Form):
    locality = forms.ModelChoiceField(queryset=Locality.objects.all(), required=False)
