"""Pages of quarterly activity returns: the list, making a return for a
sub-contract, a return's page (staff approve or send back), amendments of
approved returns, and payment schedules for the paying organisation."""

from functools import cached_property

from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from contracts.filters.returns import ReturnFilterSet
from contracts.forms.returns import ReturnDecisionForm, ReturnForm, quarter_choices
from contracts.models import ActivityReturn, ReturnStatus, Service
from contracts.payment_schedule import (
    payment_schedule_filename,
    payment_schedule_rows,
    payment_schedule_title,
    payment_schedule_xlsx,
)
from contracts.permissions import (
    amendment_blocked,
    can_decide_return,
    can_submit_return,
    decision_blocked,
    returns_blocked,
)
from contracts.selectors import payment_schedule_figures, quarter_returns, returnable_subcontracts
from contracts.services.returns import (
    ReturnConflict,
    quarter_not_ended,
    return_decide,
    return_periods,
    return_submit,
)
from contracts.tables.returns import ReturnTable, return_status_tag
from contracts.views.mixins import FederationMixin, StateCheckedFormPage, SubContractFormPage
from fedportal.clock import today as portal_today
from fedportal.exports import ExportColumn, xlsx_file_response
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.periods import Quarter
from fedportal.permissions import Verdict, can_browse_federation, get_visible_or_404

STATUS_LABELS = dict(ReturnStatus.choices)
RECENT_QUARTERS = 6


def _quarter_label(key: int) -> str:
    return str(Quarter(key // 10, key % 10))


def _parse_quarter(text: str | None) -> Quarter | None:
    try:
        return Quarter.parse(text or "")
    except ValueError:
        return None


def _crumbs(subcontract, *more) -> list[tuple[str, str]]:
    return [
        ("Activity returns", reverse("contracts:return-list")),
        (str(subcontract), subcontract.get_absolute_url()),
        *more,
    ]


class ReturnListView(FilteredListView):
    filterset_class = ReturnFilterSet
    table_class = ReturnTable
    template_name = "contracts/returns/return_list.html"
    title = "Activity returns"
    intro = (
        "Units of activity practices delivered each quarter as sub-contractors to the federation, "
        "priced at the tariff in force. Approved returns are locked; a correction is an amendment."
    )
    export_filename = "activity-returns"
    export_columns = [
        ExportColumn("Return", "pk", width=8),
        ExportColumn("Practice", "subcontract__practice__name", width=36),
        ExportColumn("ODS code", "subcontract__practice__ods_code", width=10),
        ExportColumn("Locality", "subcontract__practice__locality__name", width=18),
        ExportColumn("Service", "subcontract__service__name", width=28),
        ExportColumn("Quarter", "quarter_key", display=_quarter_label),
        ExportColumn("Units", "units_total", "int"),
        ExportColumn("Claim value", "claim_value", "money", width=14),
        ExportColumn("Status", "status", display=lambda v: STATUS_LABELS.get(v, v)),
        ExportColumn("Amends return", "amends_id"),
        ExportColumn("Replaced by an amendment", "replaced", display=lambda v: "Yes" if v else "No"),
        ExportColumn("Notes", "notes", width=40),
        ExportColumn("Submitted", "submitted_at", "datetime", width=16),
        ExportColumn("Decided", "decided_at", "datetime", width=16),
        ExportColumn("Decision reason", "decision_reason", width=40),
    ]

    def get_queryset(self):
        return ActivityReturn.objects.visible_to(self.request.user).for_table()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if can_browse_federation(user)[0]:
            context["actions"] = [("Payment schedules", reverse("contracts:payment-schedule-index"))]
        if user.is_practice_user:
            # The practice's own sub-contracts, to make a return from.
            context["returnable"] = returnable_subcontracts(user=user, today=portal_today())
        return context


class ReturnCreateView(StateCheckedFormPage, SubContractFormPage):
    """A practice (or staff for it) returns the units delivered in a quarter."""

    template_name = "contracts/returns/return_form.html"
    form_class = ReturnForm
    rule = staticmethod(can_submit_return)
    submit_label = "Send the return for approval"

    def blocked(self) -> str:
        return returns_blocked(self.object)

    @cached_property
    def today(self):
        return portal_today()

    @cached_property
    def quarter(self) -> Quarter | None:
        """The quarter posted, or asked for by URL (the last completed one, or
        the sub-contract's first if it started since, when none is)."""
        if self.request.method == "POST":
            return _parse_quarter(self.request.POST.get("quarter"))
        asked = _parse_quarter(self.request.GET.get("quarter"))
        return asked or max(Quarter.of(self.today).previous(), Quarter.of(self.object.start_date))

    @cached_property
    def periods(self):
        return return_periods(self.object, self.quarter) if self.quarter else []

    @property
    def error_renames(self) -> dict | None:
        return {"units": "units_0"} if self.periods else None

    @cached_property
    def may_accept_early(self) -> bool:
        return can_decide_return(self.request.user)[0]

    def get_form_kwargs(self) -> dict:
        kwargs = {
            "periods": self.periods,
            "unit": self.object.service.unit,
            "choices": quarter_choices(
                self.object, self.today, also=self.quarter, include_current=self.may_accept_early
            ),
            "may_accept_early": self.may_accept_early,
        }
        if self.request.method == "GET":
            kwargs["initial"] = {"quarter": self.quarter.key}
        return kwargs

    def save(self, form):
        self.units_sent = sum(form.units())
        return return_submit(
            subcontract=self.object,
            quarter=form.cleaned_data["quarter"],
            units=form.units(),
            notes=form.cleaned_data["notes"],
            user=self.request.user,
            accepted_early_reason=form.cleaned_data.get("accepted_early_reason", ""),
            today=self.today,
        )

    def success_message(self, activity_return) -> str:
        return (
            f"Return for {activity_return.period} sent to the federation for approval: "
            f"{self.units_sent:,} units."
        )

    def get_title(self) -> str:
        return f"Activity return: {self.object.service}"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return _crumbs(self.object)

    def cancel_url(self) -> str:
        return reverse("contracts:return-list")

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        existing, blocking = [], None
        if self.quarter is not None:
            made = quarter_returns(user=self.request.user, subcontract=self.object, quarter=self.quarter)
            existing = made[::-1]  # newest first
            # A return awaiting approval, or the approved one in force, is
            # what a new return would collide with: say so instead of
            # offering inputs that can only be refused.
            blocking = next((r for r in existing if r.status == ReturnStatus.SUBMITTED or r.in_force), None)
        context.update(
            subcontract=self.object,
            quarter=self.quarter,
            existing=existing,
            blocking=blocking if not kwargs["form"].is_bound else None,
            # Said before the inputs, not after they are filled in: a
            # practice is not offered a return it cannot make yet.
            not_ended=quarter_not_ended(self.quarter, self.today) if self.quarter else "",
            may_accept_early=self.may_accept_early,
        )
        return context


class ReturnDetailView(StateCheckedFormPage):
    """A return, its lines and total, its amendments, its decision; staff
    approve it (locking it) or send it back with a reason."""

    template_name = "contracts/returns/return_detail.html"
    form_class = ReturnDecisionForm
    # A return already decided is a state: return_decide locks the row and
    # says so if someone else decided first; a refused form is told too.
    check_state = "when refused"
    conflicts = (ReturnConflict,)
    not_recorded = " Your decision was not recorded."

    def get_object(self) -> ActivityReturn:
        returns = (
            ActivityReturn.objects.select_related(
                "subcontract__practice", "subcontract__service", "submitted_by", "decided_by", "amends"
            )
            .with_claim()
            .with_in_force()
            .with_amended()
        )
        return get_visible_or_404(self.request, returns, pk=self.kwargs["pk"])

    def permission(self) -> Verdict:
        # Whoever sees the return reads its page; deciding is staff's.
        if self.request.method == "POST":
            return can_decide_return(self.request.user)
        return True, ""

    def blocked(self) -> str:
        return decision_blocked(self.object)

    @cached_property
    def not_ended(self) -> str:
        """Why approving needs staff's reason: the quarter has not ended and
        no one accepted the return early ("" otherwise)."""
        if self.object.accepted_early:
            return ""
        return quarter_not_ended(self.object.period, portal_today())

    def get_form_kwargs(self) -> dict:
        return {"early": bool(self.not_ended)}

    def save(self, form):
        return return_decide(
            return_id=self.object.pk,
            approve=form.approve,
            reason=form.cleaned_data["reason"],
            accepted_early_reason=form.cleaned_data.get("accepted_early_reason", ""),
            user=self.request.user,
        )

    def success_message(self, decided) -> str:
        if decided.status == ReturnStatus.APPROVED:
            return f"Return approved and locked: {decided}."
        return f"Return sent back to {decided.subcontract.practice.name}."

    def get_title(self) -> str:
        return str(self.object)

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return _crumbs(self.object.subcontract)

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        activity_return, user = self.object, self.request.user
        chain = quarter_returns(
            user=user, subcontract=activity_return.subcontract, quarter=activity_return.period
        )
        context.update(
            activity_return=activity_return,
            status_tag=return_status_tag(activity_return),
            lines=list(activity_return.lines.with_amount()),
            chain=chain if len(chain) > 1 else [],
            locked=activity_return.status in (ReturnStatus.APPROVED, ReturnStatus.REJECTED),
            decision_blocked=decision_blocked(activity_return),
            amendment_blocked=amendment_blocked(activity_return),
            not_ended=self.not_ended,
            history=history_for(activity_return, user=user),
        )
        return context


class ReturnAmendView(StateCheckedFormPage):
    """Correct an approved return with a new one that amends it. The original
    stays approved, locked and paid until the amendment is approved."""

    template_name = "contracts/returns/return_form.html"
    form_class = ReturnForm
    submit_label = "Send the amendment for approval"
    conflicts = (ReturnConflict,)
    not_recorded = " Your amendment was not recorded."

    def get_object(self) -> ActivityReturn:
        returns = ActivityReturn.objects.select_related(
            "subcontract__practice", "subcontract__service__head_contract"
        )
        return get_visible_or_404(self.request, returns, pk=self.kwargs["pk"])

    def permission(self) -> Verdict:
        return can_submit_return(self.request.user, self.object.subcontract)

    def blocked(self) -> str:
        return amendment_blocked(self.object)

    @cached_property
    def periods(self):
        return return_periods(self.object.subcontract, self.object.period)

    @cached_property
    def original_lines(self):
        return list(self.object.lines.with_amount())

    @property
    def error_renames(self) -> dict | None:
        return {"units": "units_0"} if self.periods else None

    def get_form_kwargs(self) -> dict:
        kwargs = {
            "periods": self.periods,
            "unit": self.object.subcontract.service.unit,
            "amending": True,
            "may_accept_early": can_decide_return(self.request.user)[0],
        }
        if self.request.method == "GET":
            # The original's figures, to correct.
            by_start = {line.period_start: line.units for line in self.original_lines}
            kwargs["initial"] = {
                f"units_{index}": by_start.get(period.start) for index, period in enumerate(self.periods)
            }
        return kwargs

    def save(self, form):
        original = self.object
        return return_submit(
            subcontract=original.subcontract,
            quarter=original.period,
            units=form.units(),
            notes=form.cleaned_data["notes"],
            user=self.request.user,
            amends=original,
            accepted_early_reason=form.cleaned_data.get("accepted_early_reason", ""),
            today=portal_today(),
        )

    def success_message(self, amendment) -> str:
        return (
            "Amendment sent for approval. The original return stays approved and is paid "
            "until the amendment is approved."
        )

    def get_title(self) -> str:
        return f"Amend the return for {self.object.period}"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        original = self.object
        return _crumbs(original.subcontract, (f"Return for {original.period}", original.get_absolute_url()))

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        context.update(
            subcontract=self.object.subcontract,
            quarter=self.object.period,
            original=self.object,
            original_lines=self.original_lines,
            not_ended=quarter_not_ended(self.object.period, portal_today()),
        )
        return context


def _service_and_quarter(slug: str, quarter: str) -> tuple[Service, Quarter]:
    service = get_object_or_404(Service, slug=slug)
    parsed = _parse_quarter(quarter)
    if parsed is None:
        raise Http404("Not a quarter like 2018-Q3.")
    return service, parsed


class PaymentScheduleView(FederationMixin, View):
    """The xlsx payment schedule of a service for a quarter (staff and board)."""

    def get(self, request, slug, quarter):
        service, period = _service_and_quarter(slug, quarter)
        handle = payment_schedule_xlsx(service, period, payment_schedule_rows(service, period))
        return xlsx_file_response(handle, payment_schedule_filename(service, period))


class PaymentScheduleIndexView(FederationMixin, View):
    """Services by recent quarters: approved returns in force, returns
    awaiting approval, the value to be paid, and the schedules to download."""

    template_name = "contracts/returns/payment_schedule_index.html"

    def get(self, request):
        newest = Quarter.of(portal_today())
        quarters = [newest.shifted(-n) for n in range(RECENT_QUARTERS)]
        rows = []
        for service, cells in payment_schedule_figures(user=request.user, quarters=quarters):
            for cell in cells:
                quarter = cell["quarter"]
                cell.update(
                    href=reverse("contracts:payment-schedule", args=[service.slug, quarter.key]),
                    filename=f"{payment_schedule_filename(service, quarter)}.xlsx",
                    title=payment_schedule_title(service, quarter),
                )
            rows.append({"service": service, "cells": cells})
        return render(
            request,
            self.template_name,
            {
                "title": "Payment schedules",
                "crumbs": [("Activity returns", reverse("contracts:return-list"))],
                "quarters": quarters,
                "rows": rows,
            },
        )
