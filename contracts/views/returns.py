"""Pages of quarterly activity returns: the list, making a return for a
sub-contract, a return's page (staff approve or send back), amendments of
approved returns, and payment schedules for the paying organisation."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from contracts.filters.returns import ReturnFilterSet
from contracts.forms import add_service_errors
from contracts.forms.returns import ReturnDecisionForm, ReturnForm, quarter_choices
from contracts.models import ActivityReturn, ActivityReturnLine, ReturnStatus, Service, SubContract
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
from contracts.services.returns import ReturnConflict, return_decide, return_periods, return_submit
from contracts.tables.returns import ReturnTable, return_status_tag
from contracts.views.mixins import FederationMixin, SubContractActionMixin
from fedportal.clock import today as portal_today
from fedportal.exports import ExportColumn, xlsx_file_response
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.periods import Quarter
from fedportal.permissions import can_browse_federation, get_visible_or_404, require

STATUS_LABELS = dict(ReturnStatus.choices)
RECENT_QUARTERS = 6


def _quarter_label(key: int) -> str:
    return str(Quarter(key // 10, key % 10))


def _parse_quarter(text: str | None) -> Quarter | None:
    try:
        return Quarter.parse(text or "")
    except ValueError:
        return None


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
        return (
            ActivityReturn.objects.visible_to(self.request.user)
            .for_table()
            .with_replaced()
            .annotate(quarter_key=F("year") * 10 + F("quarter"))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if can_browse_federation(user)[0]:
            context["actions"] = [("Payment schedules", reverse("contracts:payment-schedule-index"))]
        if user.is_practice_user:
            # The practice's own sub-contracts, to make a return from: a few rows, one query.
            context["returnable"] = list(
                SubContract.objects.visible_to(user)
                .active_on(portal_today())
                .filter(service__takes_returns=True)
                .select_related("practice", "service")
            )
        return context


class ReturnCreateView(SubContractActionMixin, View):
    """A practice (or staff for it) returns the units delivered in a quarter."""

    template_name = "contracts/returns/return_form.html"
    permission = staticmethod(can_submit_return)

    def get(self, request, pk):
        subcontract = self.get_subcontract(request, pk)
        if blocked := returns_blocked(subcontract):
            messages.warning(request, blocked)
            return redirect(subcontract)
        today = portal_today()
        quarter = _parse_quarter(request.GET.get("quarter")) or self.default_quarter(subcontract, today)
        form = self.form(subcontract, quarter, today, initial={"quarter": quarter.key})
        return self.render(subcontract, quarter, form)

    def post(self, request, pk):
        subcontract = self.get_subcontract(request, pk)
        if blocked := returns_blocked(subcontract):
            messages.warning(request, blocked)
            return redirect(subcontract)
        today = portal_today()
        quarter = _parse_quarter(request.POST.get("quarter"))
        form = self.form(subcontract, quarter, today, data=request.POST)
        if form.is_valid():
            try:
                activity_return = return_submit(
                    subcontract=subcontract,
                    quarter=form.cleaned_data["quarter"],
                    units=form.units(),
                    notes=form.cleaned_data["notes"],
                    user=request.user,
                    today=today,
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except ReturnConflict as conflict:
                form.add_error(None, str(conflict))
            else:
                messages.success(
                    request,
                    f"Return for {activity_return.period} sent to the federation for approval: "
                    f"{sum(form.units()):,} units.",
                )
                return redirect(activity_return)
        return self.render(subcontract, quarter, form, status=400)

    @staticmethod
    def default_quarter(subcontract, today) -> Quarter:
        """The last completed quarter, or the sub-contract's first if it started since."""
        return max(Quarter.of(today).previous(), Quarter.of(subcontract.start_date))

    def form(self, subcontract, quarter, today, **kwargs) -> ReturnForm:
        periods = return_periods(subcontract, quarter) if quarter else []
        return ReturnForm(
            periods=periods,
            unit=subcontract.service.unit,
            choices=quarter_choices(subcontract, today, also=quarter),
            **kwargs,
        )

    def render(self, subcontract, quarter, form, *, status=200):
        existing, blocking, in_force = [], None, set()
        if quarter is not None:
            made = subcontract.returns.filter(year=quarter.year, quarter=quarter.number)
            existing = list(made.with_claim().order_by("-submitted_at"))
            # A return awaiting approval, or the approved one in force, is
            # what a new return would collide with: say so instead of
            # offering inputs that can only be refused.
            in_force = _in_force(made) if existing else set()
            blocking = next(
                (r for r in existing if r.status == ReturnStatus.SUBMITTED or r.pk in in_force), None
            )
        return render(
            self.request,
            self.template_name,
            {
                "title": f"Activity return: {subcontract.service}",
                "subcontract": subcontract,
                "quarter": quarter,
                "form": form,
                "existing": existing,
                "in_force": in_force,
                "blocking": blocking if not form.is_bound else None,
            },
            status=status,
        )


def _in_force(queryset) -> set[int]:
    return set(queryset.current().values_list("pk", flat=True))


class ReturnDetailView(LoginRequiredMixin, View):
    """A return, its lines and total, its amendments, its decision; staff
    approve it (locking it) or send it back with a reason."""

    template_name = "contracts/returns/return_detail.html"

    def get(self, request, pk):
        activity_return = get_visible_or_404(request, ActivityReturn, pk=pk)
        return self.render(activity_return, ReturnDecisionForm())

    def post(self, request, pk):
        activity_return = get_visible_or_404(request, ActivityReturn, pk=pk)
        require(can_decide_return(request.user), request)
        # A return already decided is a state: return_decide locks the row
        # and says so if someone else decided first.
        form = ReturnDecisionForm(request.POST)
        if form.is_valid():
            try:
                decided = return_decide(
                    return_id=activity_return.pk,
                    approve=form.approve,
                    reason=form.cleaned_data["reason"],
                    user=request.user,
                )
            except ReturnConflict as conflict:
                messages.warning(request, f"{conflict} Your decision was not recorded.")
                return redirect(activity_return)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if decided.status == ReturnStatus.APPROVED:
                    messages.success(request, f"Return approved and locked: {decided}.")
                else:
                    messages.success(request, f"Return sent back to {decided.subcontract.practice.name}.")
                return redirect(decided)
        if blocked := decision_blocked(activity_return):
            messages.warning(request, f"{blocked} Your decision was not recorded.")
            return redirect(activity_return)
        return self.render(activity_return, form, status=400)

    def render(self, activity_return, form, *, status=200):
        user = self.request.user
        lines = list(activity_return.lines.all())
        same_quarter = ActivityReturn.objects.filter(
            subcontract_id=activity_return.subcontract_id,
            year=activity_return.year,
            quarter=activity_return.quarter,
        )
        chain = list(
            same_quarter.with_claim()
            .select_related("submitted_by", "decided_by")
            .order_by("submitted_at", "pk")
        )
        can_amend = can_submit_return(user, activity_return.subcontract)[0] and not amendment_blocked(
            activity_return
        )
        context = {
            "title": str(activity_return),
            "activity_return": activity_return,
            "status_tag": return_status_tag(activity_return),
            "lines": lines,
            "total_units": sum(line.units for line in lines),
            "total_amount": sum((line.amount for line in lines), start=Decimal("0.00")),
            "chain": chain if len(chain) > 1 else [],
            "in_force": _in_force(same_quarter),
            "locked": activity_return.status in (ReturnStatus.APPROVED, ReturnStatus.REJECTED),
            "can_decide": can_decide_return(user)[0] and not decision_blocked(activity_return),
            "can_amend": can_amend,
            "can_resubmit": activity_return.status == ReturnStatus.REJECTED
            and can_submit_return(user, activity_return.subcontract)[0],
            "form": form,
            "history": history_for(activity_return, user=user),
        }
        return render(self.request, self.template_name, context, status=status)


class ReturnAmendView(LoginRequiredMixin, View):
    """Correct an approved return with a new one that amends it. The original
    stays approved, locked and paid until the amendment is approved."""

    template_name = "contracts/returns/return_form.html"

    def get_original(self, request, pk):
        original = get_visible_or_404(request, ActivityReturn, pk=pk)
        require(can_submit_return(request.user, original.subcontract), request)
        return original

    def refused(self, request, original):
        if blocked := amendment_blocked(original):
            messages.warning(request, blocked)
            return redirect(original)
        return None

    def get(self, request, pk):
        original = self.get_original(request, pk)
        if refusal := self.refused(request, original):
            return refusal
        form = self.form(original)
        by_start = {line.period_start: line.units for line in original.lines.all()}
        form.initial = {
            f"units_{index}": by_start.get(period.start) for index, period in enumerate(form.periods)
        }
        return self.render(original, form)

    def post(self, request, pk):
        original = self.get_original(request, pk)
        if refusal := self.refused(request, original):
            return refusal
        form = self.form(original, data=request.POST)
        if form.is_valid():
            try:
                amendment = return_submit(
                    subcontract=original.subcontract,
                    quarter=original.period,
                    units=form.units(),
                    notes=form.cleaned_data["notes"],
                    user=request.user,
                    amends=original,
                    today=portal_today(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            except ReturnConflict as conflict:
                messages.warning(request, f"{conflict} Your amendment was not recorded.")
                return redirect(original)
            else:
                messages.success(
                    request,
                    "Amendment sent for approval. The original return stays approved and is paid "
                    "until the amendment is approved.",
                )
                return redirect(amendment)
        return self.render(original, form, status=400)

    def form(self, original, **kwargs) -> ReturnForm:
        subcontract = original.subcontract
        return ReturnForm(
            periods=return_periods(subcontract, original.period),
            unit=subcontract.service.unit,
            amending=True,
            **kwargs,
        )

    def render(self, original, form, *, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "title": f"Amend the return for {original.period}",
                "subcontract": original.subcontract,
                "quarter": original.period,
                "original": original,
                "original_lines": list(original.lines.all()),
                "form": form,
            },
            status=status,
        )


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
        quarters = [newest]
        while len(quarters) < RECENT_QUARTERS:
            quarters.append(quarters[-1].previous())
        in_window = Q(year__gt=quarters[-1].year) | Q(
            year=quarters[-1].year, quarter__gte=quarters[-1].number
        )
        counts = {
            (row["subcontract__service"], row["year"], row["quarter"]): row
            for row in ActivityReturn.objects.filter(in_window)
            .with_replaced()
            .order_by()
            .values("subcontract__service", "year", "quarter")
            .annotate(
                approved=Count("pk", filter=Q(status=ReturnStatus.APPROVED, replaced=False)),
                awaiting=Count("pk", filter=Q(status=ReturnStatus.SUBMITTED)),
            )
        }
        in_force = ActivityReturn.objects.filter(in_window).current()
        values = {
            (
                row["activity_return__subcontract__service"],
                row["activity_return__year"],
                row["activity_return__quarter"],
            ): row["value"]
            for row in ActivityReturnLine.objects.filter(activity_return__in=in_force)
            .order_by()
            .values(
                "activity_return__subcontract__service", "activity_return__year", "activity_return__quarter"
            )
            .annotate(value=Sum(F("units") * F("unit_price")))
        }
        rows = []
        for service in Service.objects.filter(takes_returns=True).select_related(
            "head_contract__commissioner", "head_contract__paying_organisation"
        ):
            cells = []
            for quarter in quarters:
                row = counts.get((service.pk, quarter.year, quarter.number), {})
                cells.append(
                    {
                        "quarter": quarter,
                        "approved": row.get("approved", 0),
                        "awaiting": row.get("awaiting", 0),
                        "value": values.get((service.pk, quarter.year, quarter.number)),
                        "href": reverse("contracts:payment-schedule", args=[service.slug, quarter.key]),
                        "filename": f"{payment_schedule_filename(service, quarter)}.xlsx",
                        "title": payment_schedule_title(service, quarter),
                    }
                )
            rows.append({"service": service, "cells": cells})
        return render(
            request,
            self.template_name,
            {"title": "Payment schedules", "quarters": quarters, "rows": rows},
        )
