"""Sub-contracts: the compliance dashboard, the list, a sub-contract's page
with its evidence and schedule of clinicians, and adding one."""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View

from contracts.compliance import (
    BY_RANK,
    TAGS,
    Compliance,
    compliance_counts,
    compliance_label,
    requirement_states,
)
from contracts.filters.subcontracts import ComplianceMatrixFilterSet, SubContractFilterSet
from contracts.forms import add_service_errors
from contracts.forms.subcontracts import SubContractChangeForm, SubContractForm
from contracts.models import EvidenceStatus, EvidenceSubmission, Service, SubContract
from contracts.permissions import can_manage_contracts, can_upload_evidence
from contracts.services.subcontracts import subcontract_change, subcontract_create
from contracts.tables.subcontracts import SubContractTable, evidence_status_tag
from contracts.views.mixins import StaffOnlyMixin
from fedportal.clock import today as portal_today
from fedportal.exports import ExportColumn, csv_response, xlsx_response
from fedportal.history import history_for
from fedportal.lists import EXPORT_FORMATS, FilteredListView
from fedportal.permissions import can_browse_federation, get_visible_or_404
from localities.models import Practice, PracticeStatus

DASHBOARD_LIST_LENGTH = 20


@dataclass
class MatrixCell:
    subcontract_id: int
    compliance: str

    @property
    def label(self) -> str:
        return compliance_label(self.compliance)

    @property
    def tag(self) -> str:
        return TAGS[self.compliance]

    @property
    def url(self) -> str:
        return reverse("contracts:subcontract-detail", args=[self.subcontract_id])


def _with_status_tag(submission):
    submission.status_tag = evidence_status_tag(submission)
    return submission


class ComplianceDashboardView(LoginRequiredMixin, View):
    """Staff and board: where every practice stands on every service."""

    template_name = "contracts/subcontracts/dashboard.html"
    practices_per_page = 100

    def get(self, request):
        user = request.user
        if not user.sees_every_practice:
            return redirect("contracts:subcontract-list")
        self.today = portal_today()
        active = SubContract.objects.visible_to(user).active_on(self.today)
        filterset = ComplianceMatrixFilterSet(request.GET or None, queryset=active, request=request)
        valid = not filterset.is_bound or filterset.is_valid()
        chosen = filterset.form.cleaned_data if filterset.is_bound and valid else {}
        subcontracts = filterset.qs if valid else active.none()
        services = self.columns(active, chosen.get("service"))
        practices = self.rows(user, active, chosen.get("locality"))
        if not valid:  # the filter's errors show beside its fields; no rows
            practices = practices.none()
        if request.GET.get("_export") in EXPORT_FORMATS:
            return self.export(request.GET["_export"], practices, services, subcontracts)

        page = Paginator(practices, self.practices_per_page).get_page(request.GET.get("page"))
        cells = self.cells(subcontracts.filter(practice__in=[p.pk for p in page]))
        filter_query = self.filter_query(chosen)
        context = {
            "title": "Sub-contract compliance",
            "today": self.today,
            "filter": filterset,
            "headlines": self.headlines(subcontracts, filter_query),
            "services": services,
            "page": page,
            "matrix": [(p, [cells.get((p.pk, s.pk)) for s in services]) for p in page],
            "sees_evidence": user.is_federation_staff,
            "can_manage": can_manage_contracts(user)[0],
        }
        if user.is_federation_staff:
            context.update(self.evidence_lists(user, chosen, filter_query))
        return render(request, self.template_name, context)

    def columns(self, active, service):
        services = Service.objects.filter(Q(archived=False) | Q(pk__in=active.values("service")))
        return list(services.filter(pk=service.pk) if service else services)

    def rows(self, user, active, locality):
        """Open practices, and any practice with an active sub-contract."""
        practices = (
            Practice.objects.visible_to(user)
            .filter(Q(status=PracticeStatus.OPEN) | Q(pk__in=active.values("practice")))
            .select_related("locality")
            .order_by("locality__name", "name")
        )
        return practices.filter(locality=locality) if locality else practices

    def cells(self, subcontracts) -> dict:
        # The rank, not the ``compliance`` label: PostgreSQL would run the rule
        # again for each label the label's CASE compares.
        rows = subcontracts.with_compliance(self.today).values_list(
            "practice_id", "service_id", "pk", "compliance_rank"
        )
        return {(practice, service): MatrixCell(pk, BY_RANK[rank]) for practice, service, pk, rank in rows}

    def filter_query(self, chosen) -> QueryDict:
        query = QueryDict(mutable=True)
        for name in ("locality", "service"):
            if chosen.get(name):
                query[name] = chosen[name].pk
        return query

    def headlines(self, subcontracts, filter_query):
        counts = compliance_counts(subcontracts, self.today)
        list_url = reverse("contracts:subcontract-list")
        headlines = []
        for value in (
            Compliance.COMPLIANT,
            Compliance.EXPIRING,
            Compliance.EXPIRED,
            Compliance.MISSING,
            Compliance.AWAITING_REVIEW,
        ):
            query = filter_query.copy()
            query.update({"active": "true", "compliance": value})
            headlines.append(
                {
                    "compliance": value,
                    "label": compliance_label(value),
                    "tag": TAGS[value],
                    "count": counts.get(value, 0),
                    "url": f"{list_url}?{query.urlencode()}",
                }
            )
        return headlines

    def evidence_lists(self, user, chosen, filter_query) -> dict:
        evidence = EvidenceSubmission.objects.visible_to(user).for_table()
        if chosen.get("locality"):
            evidence = evidence.filter(subcontract__practice__locality=chosen["locality"])
        if chosen.get("service"):
            evidence = evidence.filter(subcontract__service=chosen["service"])
        pending = evidence.filter(status=EvidenceStatus.PENDING).order_by("submitted_at", "pk")
        expiring = evidence.expiring_unreplaced(self.today).order_by("valid_to", "pk")
        evidence_url = reverse("contracts:evidence-list")
        pending_query = filter_query.copy()
        pending_query.update({"status": EvidenceStatus.PENDING, "sort": "submitted_at"})
        expiring_query = filter_query.copy()
        expiring_query.update({"expiring": "yes", "sort": "valid_to"})
        return {
            "pending": list(pending[:DASHBOARD_LIST_LENGTH]),
            "pending_count": pending.count(),
            "pending_url": f"{evidence_url}?{pending_query.urlencode()}",
            "expiring": list(expiring[:DASHBOARD_LIST_LENGTH]),
            "expiring_count": expiring.count(),
            "expiring_url": f"{evidence_url}?{expiring_query.urlencode()}",
        }

    def export(self, export_format, practices, services, subcontracts):
        cells = self.cells(subcontracts)
        columns = [
            ExportColumn("Practice", "", width=40),
            ExportColumn("ODS code", "", width=10),
            ExportColumn("Locality", "", width=20),
            *[ExportColumn(service.name, "", width=24) for service in services],
        ]

        def rows():
            for practice in practices.iterator(chunk_size=2000):
                yield [
                    practice.name,
                    practice.ods_code,
                    practice.locality.name if practice.locality else "",
                    *[(cell.label if (cell := cells.get((practice.pk, s.pk))) else "") for s in services],
                ]

        filename = f"compliance-{self.today:%Y-%m-%d}"
        if export_format == "csv":
            return csv_response(rows(), columns, filename=filename)
        return xlsx_response(rows(), columns, filename=filename, title="Compliance")


class SubContractListView(FilteredListView):
    filterset_class = SubContractFilterSet
    table_class = SubContractTable
    title = "Sub-contracts"
    export_filename = "subcontracts"
    export_columns = [
        ExportColumn("Practice", "practice__name", width=40),
        ExportColumn("ODS code", "practice__ods_code", width=10),
        ExportColumn("Locality", "practice__locality__name", width=20),
        ExportColumn("Service", "service__name", width=30),
        ExportColumn("Start", "start_date", "date"),
        ExportColumn("End", "end_date", "date"),
        ExportColumn(
            "Compliance", "compliance_rank", display=lambda rank: compliance_label(BY_RANK[rank]), width=24
        ),
    ]

    def get_queryset(self):
        return SubContract.objects.visible_to(self.request.user).for_table(portal_today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        actions = []
        if user.sees_every_practice:
            actions.append(("Compliance dashboard", reverse("contracts:compliance-dashboard")))
        if not user.is_board_member:
            actions.append(("Evidence", reverse("contracts:evidence-list")))
        if can_manage_contracts(user)[0]:
            actions.append(("Add a sub-contract", reverse("contracts:subcontract-create")))
        context["actions"] = actions
        if user.is_practice_user:
            context["intro"] = (
                "The services your practice delivers for the federation. Open one to see what evidence "
                "is needed and to upload it."
            )
        return context


class SubContractDetailView(LoginRequiredMixin, View):
    template_name = "contracts/subcontracts/subcontract_detail.html"

    def get(self, request, pk):
        user = request.user
        today = portal_today()
        get_visible_or_404(request, SubContract, pk=pk)
        subcontract = (
            SubContract.objects.for_table(today)
            .select_related("service__head_contract__commissioner")
            .get(pk=pk)
        )
        can_upload = can_upload_evidence(user, subcontract)[0]
        requirements = {r.pk: r for r in subcontract.service.requirements.filter(active=True)}
        upload_url = reverse("contracts:evidence-create", args=[subcontract.pk])
        states = []
        for state in requirement_states(subcontract, today):
            requirement = requirements[state.requirement_id]
            link = None
            if can_upload and (state.clinician_id or not requirement.is_clinician_schedule):
                query = QueryDict(mutable=True)
                query["requirement"] = state.requirement_id
                if state.clinician_id:
                    query["clinician"] = state.clinician_id
                link = f"{upload_url}?{query.urlencode()}"
            states.append((state, requirement, link))
        submissions = (
            EvidenceSubmission.objects.visible_to(user)
            .filter(subcontract=subcontract)
            .select_related("requirement", "clinician", "submitted_by", "decision__decided_by")
            .order_by("requirement__position", "requirement__name", "clinician__name", "-version")
        )
        context = {
            "subcontract": subcontract,
            "compliance_tag": TAGS[subcontract.compliance],
            "compliance_label": compliance_label(subcontract.compliance),
            "sees_services": can_browse_federation(user)[0],
            "today": today,
            "states": states,
            "submissions": [_with_status_tag(s) for s in submissions],
            "sees_evidence": not user.is_board_member,
            "clinicians": list(subcontract.clinicians.order_by("removed_on", "name")),
            "has_schedule": any(r.is_clinician_schedule for r in requirements.values()),
            "can_upload": can_upload,
            "is_staff": can_manage_contracts(user)[0],
        }
        # Its history holds the practice's uploads and decisions: for staff and
        # the practice itself, not the board (DESIGN.md: never practice uploads).
        if can_upload:
            context["history"] = history_for(subcontract, user=user)
        return render(request, self.template_name, context)


class SubContractCreateView(StaffOnlyMixin, View):
    template_name = "contracts/subcontracts/subcontract_form.html"

    def get(self, request):
        initial = {
            name: request.GET[name] for name in ("practice", "service") if request.GET.get(name, "").isdigit()
        }
        return render(request, self.template_name, {"form": SubContractForm(initial=initial)})

    def post(self, request):
        form = SubContractForm(request.POST)
        if form.is_valid():
            try:
                subcontract = subcontract_create(**form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Sub-contract added: {subcontract}.")
                return redirect(subcontract)
        return render(request, self.template_name, {"form": form}, status=400)


class SubContractChangeView(StaffOnlyMixin, View):
    """Staff change a sub-contract's dates (ending it, say) or notes."""

    template_name = "contracts/subcontracts/subcontract_form.html"

    def get(self, request, pk):
        subcontract = get_visible_or_404(request, SubContract, pk=pk)
        initial = {
            "start_date": subcontract.start_date,
            "end_date": subcontract.end_date,
            "notes": subcontract.notes,
        }
        return self.render(subcontract, SubContractChangeForm(initial=initial))

    def post(self, request, pk):
        subcontract = get_visible_or_404(request, SubContract, pk=pk)
        form = SubContractChangeForm(request.POST)
        if form.is_valid():
            try:
                subcontract = subcontract_change(subcontract_id=subcontract.pk, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Sub-contract changed.")
                return redirect(subcontract)
        return self.render(subcontract, form, status=400)

    def render(self, subcontract, form, status=200):
        return render(
            self.request, self.template_name, {"form": form, "subcontract": subcontract}, status=status
        )
