"""Forms of quarterly activity returns: the units a practice delivered in a
quarter (one figure per tariff period), an amendment of an approved return,
and a member of staff's decision."""

from django import forms
from django.core.exceptions import ValidationError

from contracts.models.returns import TariffPeriod, long_quarter_label
from fedportal.periods import Quarter

# Far beyond any practice's quarter; keeps a mistyped figure out of the
# database's integer range (a 500) and out of a payment schedule.
MAX_UNITS = 100_000
QUARTERS_OFFERED = 8


def quarter_choices(
    subcontract, today, *, also: Quarter | None = None, include_current: bool = False
) -> list[tuple[str, str]]:
    """The quarters a return can be made for, newest first: from the last
    quarter to have ended (the current one too for staff, who may accept a
    return early) back to the sub-contract's first (two years at most).
    ``also`` adds a quarter asked for by URL, so that its problem can be
    shown beside the field rather than as "not a valid choice"."""
    quarter = Quarter.of(today) if include_current else Quarter.of(today).previous()
    first = Quarter.of(subcontract.start_date)
    quarters = []
    while len(quarters) < QUARTERS_OFFERED and quarter >= first:
        quarters.append(quarter)
        quarter = quarter.previous()
    if also is not None and also not in quarters:
        quarters.append(also)
        quarters.sort(reverse=True)
    return [(q.key, long_quarter_label(q)) for q in quarters]


def period_label(period: TariffPeriod, *, only: bool) -> str:
    if only:
        return "Units delivered"
    return f"Units delivered {period.start:%-d %B %Y} to {period.end:%-d %B %Y}"


def price_hint(period: TariffPeriod, unit: str, *, only: bool) -> str:
    price = f"£{period.unit_price} a {unit}"
    if only:
        return f"{period.start:%-d %B %Y} to {period.end:%-d %B %Y}, at {price}."
    return f"At {price}."


def early_reason_field(*, required: bool = False) -> forms.CharField:
    """Staff's reason to accept a return before its quarter has ended."""
    return forms.CharField(
        label="Reason to accept it before the quarter ends",
        required=required,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=(
            "Only for a quarter that has not ended yet: a return is otherwise made once its "
            "quarter is over. The reason is kept with the return, with your name and the date."
        ),
    )


class ReturnForm(forms.Form):
    """Units delivered in one quarter, one field per tariff period (two when
    the tariff changed part way through), and notes. The quarter is a field
    of a new return; an amendment keeps its original's quarter and must say
    what it corrects."""

    quarter = forms.CharField(label="Quarter", widget=forms.Select)
    notes = forms.CharField(
        label="Notes",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Anything staff should know about these figures.",
    )

    def __init__(
        self,
        *args,
        periods: list[TariffPeriod],
        unit: str,
        choices: list[tuple[str, str]] | None = None,
        amending: bool = False,
        may_accept_early: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.periods = periods
        if choices is None:
            del self.fields["quarter"]
        else:
            self.fields["quarter"].widget.choices = choices
        notes = self.fields.pop("notes")
        for index, period in enumerate(periods):
            field = forms.IntegerField(
                label=period_label(period, only=len(periods) == 1),
                min_value=0,
                max_value=MAX_UNITS,
                help_text=price_hint(period, unit, only=len(periods) == 1),
                widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            )
            field.error_messages.update(
                required=f"Enter the {unit}s delivered from {period.start:%-d %B} to {period.end:%-d %B %Y} (0 if none).",
                invalid="Enter the units delivered as a whole number, like 12.",
                min_value="Units delivered cannot be negative.",
                max_value=f"Check this figure: more than {MAX_UNITS:,} units in a quarter.",
            )
            self.fields[f"units_{index}"] = field
        if amending:
            notes.required = True
            notes.label = "What this amendment corrects"
            notes.help_text = "Staff and the paying organisation see this beside the figures."
            notes.error_messages["required"] = "Say what the amendment corrects."
        self.fields["notes"] = notes
        if may_accept_early:
            self.fields["accepted_early_reason"] = early_reason_field()

    def clean_quarter(self) -> Quarter:
        try:
            return Quarter.parse(self.cleaned_data["quarter"])
        except ValueError:
            raise ValidationError("Choose a quarter, like 2018-Q3.") from None

    @property
    def unit_fields(self):
        return [self[f"units_{index}"] for index in range(len(self.periods))]

    def units(self) -> list[int]:
        return [self.cleaned_data[f"units_{index}"] for index in range(len(self.periods))]


class DecisionChoice:
    APPROVE = "approve"
    REJECT = "reject"


class ReturnDecisionForm(forms.Form):
    """Approve a return (locking it) or send it back with a reason the
    practice sees. The decision comes from the button pressed; that sending
    back needs a reason is ``return_decide``'s rule, not repeated here."""

    decision = forms.ChoiceField(
        choices=[(DecisionChoice.APPROVE, "Approve"), (DecisionChoice.REJECT, "Send back to the practice")],
        widget=forms.HiddenInput,
        error_messages={
            "required": "Choose to approve or send back.",
            "invalid_choice": "Choose to approve or send back.",
        },
    )
    reason = forms.CharField(
        label="Reason",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to send the return back: the practice sees it.",
    )

    def __init__(self, *args, early: bool = False, **kwargs):
        """``early``: the return's quarter has not ended and no one has
        accepted it early yet, so approving it needs staff's reason."""
        super().__init__(*args, **kwargs)
        if early:
            self.fields["accepted_early_reason"] = early_reason_field()

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == DecisionChoice.APPROVE
