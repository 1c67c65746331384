"""Sub-contracts: the compliance dashboard, the list, a sub-contract's page
with its evidence and schedule of clinicians, and adding one."""

from collections import Counter
from dataclasses import dataclass
from urllib.parse import quote

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.views import View

from contracts.compliance import (
    BY_RANK,
    TAGS,
    Compliance,
    compliance_label,
)
from contracts.filters.subcontracts import ComplianceMatrixFilterSet, SubContractFilterSet
from contracts.forms.subcontracts import SubContractChangeForm, SubContractForm
from contracts.models import EvidenceStatus, EvidenceSubmission, SubContract
from contracts.permissions import can_manage_contracts, can_upload_evidence
from contracts.selectors import (
    dashboard_practices,
    dashboard_services,
    subcontract_evidence,
    subcontracts_for_page,
)
from contracts.services.subcontracts import subcontract_change, subcontract_create
from contracts.tables.subcontracts import SubContractTable, evidence_status_tag
from fedportal.clock import today as portal_today
from fedportal.exports import ExportColumn, csv_response, xlsx_response
from fedportal.form_pages import FormPageView
from fedportal.history import history_for
from fedportal.lists import EXPORT_FORMATS, FilteredListView
from fedportal.permissions import can_browse_federation, get_visible_or_404
from localities.models import Practice

DASHBOARD_LIST_LENGTH = 20


# The matrix's cells, written here rather than in the template: a page of a
# hundred practices by a dozen services is over a thousand of them. A link
# named only "Missing" means nothing read out of its table: its name says
# whose and which ("Billesdon Surgery, H. pylori breath test: Missing").
CELL = (
    '\n      <td class="nhsuk-table__cell"><a href="{url}" data-compliance="{compliance}">'
    '<span class="nhsuk-u-visually-hidden">{practice}, {service}: </span>'
    '<strong class="nhsuk-tag {tag}">{label}</strong></a></td>\n      '
)
NO_CELL = '\n      <td class="nhsuk-table__cell"><span class="nhsuk-u-visually-hidden">No sub-contract</span></td>\n      '


@dataclass(frozen=True, slots=True)
class MatrixCell:
    """A sub-contract's cell of the matrix: its compliance, and its ``<td>``."""

    compliance: str
    html: str


class MatrixRow(list):
    """A practice's cells, one a service (None where it has no active
    sub-contract), which the template writes as their ``<td>``s."""

    def __str__(self) -> str:
        return mark_safe("".join(cell.html if cell else NO_CELL for cell in self))

    __html__ = __str__


def _url_maker(name: str, sentinel=987654321):
    """``reverse(name, args=[arg])`` for many ``arg`` at the cost of one
    ``reverse``: the URL around a sentinel argument, the argument quoted as
    ``reverse`` quotes it (a matrix of a thousand cells reversed each link)."""
    before, after = reverse(name, args=[sentinel]).split(str(sentinel))
    return lambda arg: f"{before}{quote(str(arg), safe=RFC3986_SUBDELIMS + '/~:@')}{after}"


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
        # Each column brings how many of its sub-contracts are in each state
        # (the headlines add them up) and each practice its cells: a query
        # for each, not three more for the counts and the cells.
        services = dashboard_services(
            active=active, subcontracts=subcontracts, today=self.today, service=chosen.get("service")
        )
        practices = dashboard_practices(user=user, active=active, locality=chosen.get("locality"))
        if not valid:  # the filter's errors show beside its fields; no rows
            practices = practices.none()
        if request.GET.get("_export") in EXPORT_FORMATS:
            return self.export(request.GET["_export"], practices, services, subcontracts)

        practices = practices.annotate(compliance_cells=subcontracts.compliance_cells(self.today))
        page = Paginator(practices, self.practices_per_page).get_page(request.GET.get("page"))
        practice_url = _url_maker("localities:practice-detail")
        for practice in page.object_list:
            practice.url = practice_url(practice.ods_code)
        for service in services:
            service.url = service.get_absolute_url()
        filter_query = self.filter_query(chosen)
        context = {
            "title": "Sub-contract compliance",
            "today": self.today,
            "filter": filterset,
            "headlines": self.headlines(services, filter_query),
            "services": services,
            "page": page,
            "matrix": self.matrix(page.object_list, services),
            "sees_evidence": user.is_federation_staff,
            "can_manage": can_manage_contracts(user)[0],
        }
        if user.is_federation_staff:
            context.update(self.evidence_lists(user, chosen, filter_query))
        return render(request, self.template_name, context)

    def matrix(self, practices, services) -> list[tuple[Practice, list[MatrixCell | None]]]:
        """Each practice beside its cell for each service (None: no sub-contract)."""
        subcontract_url = _url_maker("contracts:subcontract-detail")
        looks = {
            rank: {
                "compliance": escape(value),
                "label": escape(compliance_label(value)),
                "tag": escape(TAGS[value]),
            }
            for rank, value in BY_RANK.items()
        }
        service_names = {service.pk: escape(service.name) for service in services}
        rows = []
        for practice in practices:
            cells = {}
            practice_name = escape(practice.name)
            for cell in practice.compliance_cells:
                look = looks[cell["rank"]]
                html = CELL.format(
                    url=escape(subcontract_url(cell["subcontract"])),
                    practice=practice_name,
                    service=service_names.get(cell["service"], ""),
                    **look,
                )
                cells[cell["service"]] = MatrixCell(BY_RANK[cell["rank"]], html)
            rows.append((practice, MatrixRow(cells.get(service.pk) for service in services)))
        return rows

    def cells(self, subcontracts) -> dict:
        """The export's cells: each (practice, service)'s compliance label."""
        # The rank, not the ``compliance`` label: PostgreSQL would run the rule
        # again for each label the label's CASE compares.
        rows = subcontracts.with_compliance(self.today).values_list(
            "practice_id", "service_id", "compliance_rank"
        )
        return {(practice, service): compliance_label(BY_RANK[rank]) for practice, service, rank in rows}

    def filter_query(self, chosen) -> QueryDict:
        query = QueryDict(mutable=True)
        for name in ("locality", "service"):
            if chosen.get(name):
                query[name] = chosen[name].pk
        return query

    def headlines(self, services, filter_query):
        # Every sub-contract counted is in a column: the filtered ones are
        # active, and a service with an active sub-contract is a column.
        counts = Counter()
        for service in services:
            for rank, count in service.compliance_counts.items():
                counts[BY_RANK[rank]] += count
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
        evidence = EvidenceSubmission.objects.visible_to(user)
        if chosen.get("locality"):
            evidence = evidence.filter(subcontract__practice__locality=chosen["locality"])
        if chosen.get("service"):
            evidence = evidence.filter(subcontract__service=chosen["service"])
        pending, pending_count = (
            evidence.filter(status=EvidenceStatus.PENDING)
            .order_by("submitted_at", "pk")
            .first_with_total(DASHBOARD_LIST_LENGTH)
        )
        expiring, expiring_count = (
            evidence.expiring_unreplaced(self.today)
            .order_by("valid_to", "pk")
            .first_with_total(DASHBOARD_LIST_LENGTH)
        )
        # Each row links to its evidence and sub-contract: one ``reverse`` each.
        submission_url = _url_maker("contracts:evidence-detail")
        subcontract_url = _url_maker("contracts:subcontract-detail")
        for submission in (*pending, *expiring):
            submission.url = submission_url(submission.pk)
            submission.subcontract_url = subcontract_url(submission.subcontract_id)
        evidence_url = reverse("contracts:evidence-list")
        pending_query = filter_query.copy()
        pending_query.update({"status": EvidenceStatus.PENDING, "sort": "submitted_at"})
        expiring_query = filter_query.copy()
        expiring_query.update({"expiring": "yes", "sort": "valid_to"})
        return {
            "pending": pending,
            "pending_count": pending_count,
            "pending_url": f"{evidence_url}?{pending_query.urlencode()}",
            "expiring": expiring,
            "expiring_count": expiring_count,
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
                    *[cells.get((practice.pk, s.pk), "") for s in services],
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
        if can_browse_federation(user)[0]:
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
    """A sub-contract: its compliance and each requirement's state, its
    schedule of clinicians, every upload, and (for those who keep its
    records) its history."""

    template_name = "contracts/subcontracts/subcontract_detail.html"

    def get(self, request, pk):
        user = request.user
        today = portal_today()
        subcontract = get_visible_or_404(request, subcontracts_for_page(), pk=pk)
        evidence = subcontract_evidence(user=user, subcontract=subcontract, today=today)
        sees_services = can_browse_federation(user)[0]
        crumbs = [("Compliance", reverse("contracts:compliance-dashboard"))] if sees_services else []
        crumbs.append(("Sub-contracts", reverse("contracts:subcontract-list")))
        context = {
            "crumbs": crumbs,
            "subcontract": subcontract,
            "compliance": evidence.compliance,
            "compliance_tag": TAGS[evidence.compliance],
            "compliance_label": compliance_label(evidence.compliance),
            "sees_services": sees_services,
            "today": today,
            "requirements": evidence.requirements,
            "submissions": [_with_status_tag(s) for s in evidence.submissions],
            "sees_evidence": not user.is_board_member,
            "clinicians": evidence.clinicians,
            "has_schedule": evidence.has_schedule,
        }
        # Its history holds the practice's uploads and decisions: for staff and
        # the practice itself, not the board (DESIGN.md: never practice uploads).
        if can_upload_evidence(user, subcontract)[0]:
            context["history"] = history_for(subcontract, user=user)
        return render(request, self.template_name, context)


class SubContractCreateView(FormPageView):
    """Staff add a sub-contract: a practice delivering a service from a date."""

    form_class = SubContractForm
    rule = staticmethod(can_manage_contracts)
    refuse_first = True
    title = "Add a sub-contract"
    intro = (
        "A practice delivering a service for the federation from one date to another. "
        "A practice holds one sub-contract for a service at a time."
    )
    submit_label = "Save sub-contract"

    def get_form_kwargs(self) -> dict:
        # The service page's "Add a sub-contract" chooses its service.
        chosen = {name: self.request.GET.get(name, "") for name in ("practice", "service")}
        return {"initial": {name: value for name, value in chosen.items() if value.isdigit()}}

    def save(self, form):
        return subcontract_create(**form.cleaned_data)

    def success_message(self, subcontract) -> str:
        return f"Sub-contract added: {subcontract}."

    def cancel_url(self) -> str:
        return reverse("contracts:subcontract-list")


class SubContractChangeView(FormPageView):
    """Staff change a sub-contract's dates (ending it, say) or notes."""

    template_name = "contracts/subcontracts/subcontract_form.html"
    form_class = SubContractChangeForm
    rule = staticmethod(can_manage_contracts)
    refuse_first = True
    intro = (
        "To end it, enter the last day the practice delivers the service. Its evidence and returns are kept."
    )
    submit_label = "Save sub-contract"

    def get_object(self) -> SubContract:
        subcontracts = SubContract.objects.select_related("practice", "service")
        return get_visible_or_404(self.request, subcontracts, pk=self.kwargs["pk"])

    def get_form_kwargs(self) -> dict:
        subcontract = self.object
        return {
            "initial": {
                "start_date": subcontract.start_date,
                "end_date": subcontract.end_date,
                "notes": subcontract.notes,
            }
        }

    def get_title(self) -> str:
        return f"Change the sub-contract: {self.object.service.name}"

    def get_caption(self) -> str:
        return f"{self.object.practice.name} ({self.object.practice.ods_code})"

    def save(self, form):
        return subcontract_change(subcontract_id=self.object.pk, **form.cleaned_data)

    def success_message(self, subcontract) -> str:
        return "Sub-contract changed."
