from django import forms

from fedportal.widgets import DateInput
from localities.models import (
    ODS_CODE_MESSAGE,
    POSTCODE_MESSAGE,
    ImportKind,
    ListSize,
    Locality,
    Practice,
    validate_ods_code,
)

DATE_WIDGET = DateInput()


class PracticeForm(forms.ModelForm):
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

    def clean_ods_code(self):
        code = self.cleaned_data["ods_code"].strip().upper()
        validate_ods_code(code)
        return code

    def clean(self):
        cleaned = super().clean()
        opened, closed = cleaned.get("open_date"), cleaned.get("close_date")
        if opened and closed and closed < opened:
            self.add_error("close_date", "The close date must be on or after the open date.")
        return cleaned


class ListSizeForm(forms.ModelForm):
    class Meta:
        model = ListSize
        fields = ["as_at", "registered_patients", "source"]
        widgets = {"as_at": DATE_WIDGET}
        labels = {"registered_patients": "Registered patients"}
        help_texts = {"source": "Where the figure comes from, e.g. the NHS Digital publication."}

    def __init__(self, *args, practice: Practice, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.practice = practice
        self.fields["registered_patients"].error_messages.update(
            min_value="Registered patients cannot be negative.",
            invalid="Enter the number of registered patients as a whole number.",
        )

    def validate_unique(self):
        # practice is not a form field, so Django would skip the unique check
        # on (practice, as_at); check it here to give the message beside as_at.
        super().validate_unique()
        as_at = self.cleaned_data.get("as_at")
        if as_at and ListSize.objects.filter(practice=self.instance.practice, as_at=as_at).exists():
            self.add_error(
                "as_at",
                "A list size for this practice at this date is already recorded; "
                "figures are never overwritten.",
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
        upload = self.cleaned_data["file"]
        if upload.size == 0:
            raise forms.ValidationError("The selected file is empty.")
        if upload.size > self.max_bytes:
            raise forms.ValidationError(
                f"The file must be smaller than {self.max_bytes // (1024 * 1024)} MB."
            )
        head = upload.read(4096)
        upload.seek(0)
        if b"\x00" in head or head.startswith((b"%PDF", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8")):
            raise forms.ValidationError(
                "The file must be a CSV file (text), as NHS Digital and ODS publish it."
            )
        return upload

    def clean_commissioner(self):
        return self.cleaned_data["commissioner"].strip().upper()


class LocalityChoiceForm(forms.Form):
    locality = forms.ModelChoiceField(queryset=Locality.objects.all(), required=False)
