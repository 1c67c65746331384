"""Forms of the PCN pages: they check input only; the services own the rules."""

from django import forms

from fedportal.forms import InputModelForm
from fedportal.widgets import DateInput
from localities.models import Practice
from pcn.models import MATURITY_DOMAINS, PCN, MaturityAssessment, MaturityLevel, RateKind, WorkforcePost


class PCNDetailsForm(InputModelForm):
    class Meta:
        model = PCN
        fields = [
            "name",
            "ccg_code",
            "ccg_name",
            "open_date",
            "close_date",
            "clinical_director_name",
            "clinical_director_contact",
            "clinical_director_practice",
            "clinical_director_from",
            "clinical_director_to",
            "payee_practice",
            "payee_other",
            "funding_split",
        ]
        widgets = {
            "open_date": DateInput(),
            "close_date": DateInput(),
            "clinical_director_from": DateInput(),
            "clinical_director_to": DateInput(),
        }

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The practices a director works in and a payee is: the network's own members.
        self.fields["clinical_director_practice"].queryset = members
        self.fields["payee_practice"].queryset = members


class BankDetailsForm(forms.Form):
    bank_account_name = forms.CharField(label="Name of bank account", max_length=200)
    bank_sort_code = forms.CharField(label="Sort code", max_length=12, help_text="For example, 30-96-26")
    bank_account_number = forms.CharField(label="Account number", max_length=12, help_text="Eight digits")


class BoundaryForm(forms.Form):
    boundary = forms.FileField(
        label="Boundary (GeoJSON)",
        help_text="A GeoJSON file of one Polygon or MultiPolygon in longitude and latitude, at most 512 KB.",
    )


class MembershipForm(forms.Form):
    practice = forms.ModelChoiceField(queryset=Practice.objects.none(), label="Practice")
    start_date = forms.DateField(label="From", widget=DateInput())
    end_date = forms.DateField(
        label="To", widget=DateInput(), required=False, help_text="Leave empty while current."
    )

    def __init__(self, *args, practices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practice"].queryset = practices


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label="Last day in the network", widget=DateInput())


class RegistrationStartForm(forms.Form):
    contract_year = forms.ModelChoiceField(queryset=None, label="Contract year", empty_label=None)

    def __init__(self, *args, years=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract_year"].queryset = years


class ExceptionForm(forms.Form):
    population_exception = forms.CharField(
        label="Reason for an exception to the 30,000 population",
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text="For example, a rural network. Leave empty to clear.",
    )


class SignatureForm(forms.Form):
    signatory = forms.CharField(
        label="Signed for the practice by", max_length=200, help_text="The partner who signs."
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The CCG panel's decision",
        widget=forms.RadioSelect,
        choices=[
            ("approve", "Approved"),
            ("approve_exception", "Approved with exception"),
            ("return", "Returned"),
        ],
    )
    panel_notes = forms.CharField(
        label="Panel notes", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class PCNCreateForm(forms.Form):
    code = forms.CharField(label="PCN code", max_length=6, help_text="U and five digits, like U12169")
    name = forms.CharField(label="Name", max_length=200)
    ccg_code = forms.CharField(label="CCG code", max_length=5, help_text="For example, 03W")
    ccg_name = forms.CharField(label="CCG name", max_length=200, required=False)


class PaymentForm(forms.Form):
    month = forms.DateField(label="For the month of", widget=DateInput(), help_text="Any day of the month.")
    kind = forms.ChoiceField(label="Payment for", choices=RateKind.choices)
    amount = forms.DecimalField(label="Amount (£)", max_digits=14, decimal_places=2, min_value=0)
    received_on = forms.DateField(label="Received on", widget=DateInput())
    reference = forms.CharField(label="Reference", max_length=100, required=False)


class ScheduleForm(forms.Form):
    """Staff upload the signed schedule and tick the practices whose signature is on it."""

    file = forms.FileField(
        label="Signed schedule",
        help_text="A PDF, PNG or JPEG scan of the signed schedule of the network agreement, at most 10 MB.",
    )
    practices = forms.ModelMultipleChoiceField(
        queryset=Practice.objects.none(),
        label="Practices that signed it",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each is recorded as signed from the schedule. Leave all unticked to keep the file alone.",
    )

    def __init__(self, *args, unsigned=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["practices"].queryset = unsigned


class WorkforcePostForm(InputModelForm):
    class Meta:
        model = WorkforcePost
        fields = ["contract_year", "role", "title", "wte", "starts", "ends", "employer"]
        help_texts = {
            "title": "Leave empty to name it by its role.",
            "wte": "For example, 1 for a full-time post, 0.6 for three days a week.",
            "ends": "Leave empty while the post continues.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contract_year"].empty_label = None
        self.fields["title"].required = False


class WorkforcePostChangeForm(InputModelForm):
    """A post's details that may change once it is in the plan; its role and
    contract year stay, as its claims were made under them."""

    class Meta:
        model = WorkforcePost
        fields = ["title", "wte", "starts", "ends", "employer"]
        help_texts = {
            "title": "Leave empty to name it by its role.",
            "ends": "The post's last day, when it ends; empty while it continues.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False


class ClaimForm(forms.Form):
    month = forms.DateField(label="For the month of", help_text="Any day of the month.")
    costs = forms.DecimalField(
        label="Costs that month (£)",
        max_digits=14,
        decimal_places=2,
        min_value=0,
        help_text="Salary and on-costs (employer's National Insurance and pension).",
    )


class MaturityAssessmentForm(InputModelForm):
    class Meta:
        model = MaturityAssessment
        fields = ["assessed_on", *(name for name, _ in MATURITY_DOMAINS), "notes"]
        widgets = {name: forms.RadioSelect for name, _ in MATURITY_DOMAINS}
        labels = dict(MATURITY_DOMAINS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, _ in MATURITY_DOMAINS:
            self.fields[name].choices = MaturityLevel.choices  # no empty radio
