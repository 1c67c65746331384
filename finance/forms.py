"""Forms of the finance pages: they check input (a number, a year, a choice
offered); the services own the rules (fedportal.forms, InputModelForm)."""

from decimal import Decimal

from django import forms

from contracts.models import Contract, Organisation
from fedportal.files import check_upload
from fedportal.forms import InputModelForm
from fedportal.periods import financial_year_label
from finance.models import (
    MAX_AMOUNT,
    Basis,
    Figure,
    FinanceSettings,
    Line,
    PerPatientFunding,
    SharedCost,
    ShopRate,
    TransformationProject,
)
from finance.workbook import FINANCE_WORKBOOK


class MoneyInput(forms.TextInput):
    """Amounts are typed as text (a number input would lose what was typed
    when it is not a number) and shown with the numeric keypad on phones."""

    input_type = "text"

    def __init__(self, attrs=None):
        super().__init__(
            {"inputmode": "decimal", "class": "nhsuk-input nhsuk-input--width-10", **(attrs or {})}
        )


def money(label: str, *, required: bool = True, help_text: str = "") -> forms.DecimalField:
    """An amount of money: pounds and pence, not negative, not absurd; a
    leading £ and thousands commas are allowed as people type them."""
    return PoundsField(
        label=label,
        required=required,
        help_text=help_text,
        min_value=Decimal("0"),
        max_value=MAX_AMOUNT,
        decimal_places=2,
        widget=MoneyInput(),
        error_messages={
            "invalid": "Enter an amount in pounds, like 1250 or 1,250.50.",
            "min_value": "Enter an amount of £0 or more: this amount cannot be negative.",
            "max_value": "Enter an amount of at most £999,999,999.99.",
            "max_decimal_places": "Enter an amount in pounds and pence (at most 2 decimal places).",
        },
    )


class PoundsField(forms.DecimalField):
    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace(",", "").removeprefix("£").strip()
        return super().to_python(value)


class LineForm(InputModelForm):
    class Meta:
        model = Line
        fields = [
            "section",
            "name",
            "commissioner",
            "commissioner_label",
            "category",
            "contract",
            "service",
            "notes",
            "position",
            "archived",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["commissioner"].queryset = Organisation.objects.order_by("name")


class FigureForm(InputModelForm):
    amount = money("Amount")
    plan = money("Plan (budget)", required=False, help_text="As approved by the board.")

    class Meta:
        model = Figure
        fields = ["year", "kind", "basis", "amount", "plan", "comment", "movement_note"]


class FinanceSettingsForm(InputModelForm):
    movement_threshold = money(
        "Movement needing a note",
        help_text="A current-year figure that moves more than this since last month's paper needs a note.",
    )

    class Meta:
        model = FinanceSettings
        fields = ["movement_threshold"]


class SharedCostForm(InputModelForm):
    contract_cost = money("Contract cost")
    legal = money("Legal costs")
    management = money("Federation management")

    class Meta:
        model = SharedCost
        fields = [
            "title",
            "contract",
            "as_at",
            "contract_cost",
            "fee_percent",
            "legal",
            "management",
            "management_note",
        ]


class ShopRateForm(InputModelForm):
    annual_costs = money("Federation's annual costs")

    class Meta:
        model = ShopRate
        fields = [
            "financial_year",
            "annual_costs",
            "available_hours",
            "hours_note",
            "margin_percent",
            "vat_percent",
        ]


class FinanceImportForm(forms.Form):
    file = forms.FileField(
        label="Finance workbook (.xlsx)",
        help_text="The template the Export link gives, with the amounts changed.",
    )

    def clean_file(self):
        # The keeper's check, as the service makes it again (judged once: the
        # verdict is kept on the upload).
        upload = self.cleaned_data["file"]
        check_upload(upload, FINANCE_WORKBOOK)
        return upload


class ProjectForm(InputModelForm):
    allocation = money("TF budget", help_text="The fund's allocation.")
    fee = money("TF implementation fee", help_text="The federation's fee for supporting it.")
    project_management = money("Project management")

    class Meta:
        model = TransformationProject
        fields = [
            "locality",
            "title",
            "allocation",
            "fee",
            "project_management",
            "status",
            "contracts",
            "position",
        ]
        widgets = {"contracts": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contracts"].queryset = Contract.objects.order_by("title", "reference")
        self.fields[
            "contracts"
        ].help_text = "The contracts the project pays for (GPTeamNet, First Contact Physio ...)."


class PerPatientFundingForm(InputModelForm):
    class Meta:
        model = PerPatientFunding
        fields = ["title", "per_patient", "as_at", "line", "notes"]
        widgets = {"per_patient": MoneyInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["per_patient"].help_text = "In pounds: 0.25 for 25p."
        self.fields["per_patient"].error_messages.update(
            {
                "invalid": "Enter an amount in pounds, like 0.25 for 25p.",
                "max_decimal_places": "Enter at most 4 decimal places.",
            }
        )
        self.fields["line"].queryset = Line.objects.filter(section="income").order_by("position", "name")
        self.fields["line"].help_text = "The income stream it funds (optional)."


class ProjectUpdateForm(forms.Form):
    on = forms.DateField(label="Date")
    text = forms.CharField(label="Update", widget=forms.Textarea(attrs={"rows": 5}))


class TableFilterForm(forms.Form):
    """The filters of Tables 1 and 2: a range of years and the bases counted."""

    first_year = forms.TypedChoiceField(label="From", coerce=int, required=False, empty_value=None)
    last_year = forms.TypedChoiceField(label="To", coerce=int, required=False, empty_value=None)
    basis = forms.MultipleChoiceField(
        label="Basis", choices=Basis.choices, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, years: tuple[int | None, int | None], **kwargs):
        super().__init__(*args, **kwargs)
        first, last = years
        choices = [("", "Any")]
        if first is not None:
            choices += [(y, financial_year_label(y)) for y in range(first, last + 2)]
        self.fields["first_year"].choices = choices
        self.fields["last_year"].choices = choices

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first is not None and last is not None and last < first:
            self.add_error("last_year", "The last year must be the first year or later.")
        return cleaned
