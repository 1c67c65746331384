"""Pages of contracts held for practices: the list with its exports, a
contract's page, the staff forms (contract, document, review note,
organisation), archiving, and document downloads."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, OuterRef, Subquery, Value, When
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from contracts.filters.held import ContractFilterSet
from contracts.forms import add_service_errors
from contracts.forms.held import ContractDocumentForm, ContractForm, ContractNoteForm, OrganisationForm
from contracts.models import Contract, ContractDocument, ContractStatus, contract_months
from contracts.permissions import can_manage_contracts
from contracts.services.held import contract_archive, contract_document_add, contract_note_add, contract_save
from contracts.tables.held import ContractTable, contract_status_tag
from contracts.views.mixins import StaffOnlyMixin
from fedportal import clock
from fedportal.downloads import attachment_response
from fedportal.exports import ExportColumn
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.permissions import can_browse_federation, get_visible_or_404
from localities.models import Locality

STATUS_LABELS = dict(ContractStatus.choices)


def contract_rows(user, today):
    """``Contract.objects.visible_to(user).for_table(today)``, plus what the
    table and the exports show beyond it, in the same query: the localities
    covered as text ("All", or the names of those the user may see), and the
    period as [start, end]."""
    names = (
        Contract.localities.through.objects.filter(
            contract=OuterRef("pk"), locality__in=Locality.objects.visible_to(user)
        )
        .order_by()
        .values("contract")
        .annotate(names=StringAgg("locality__name", ", ", order_by="locality__name"))
        .values("names")
    )
    return (
        Contract.objects.visible_to(user)
        .for_table(today)
        .annotate(
            covered_localities=Case(
                When(covers_all_localities=True, then=Value("All")),
                default=Subquery(names),
                output_field=models.TextField(),
            ),
            period=models.Func(
                F("start_date"),
                F("end_date"),
                template="ARRAY[%(expressions)s]",
                output_field=ArrayField(models.DateField()),
            ),
        )
    )


class ContractListView(FilteredListView):
    filterset_class = ContractFilterSet
    table_class = ContractTable
    title = "Contracts held for practices"
    intro = "Contracts the federation holds on behalf of practices. Status is as of today."
    export_filename = "contracts"
    export_columns = [
        ExportColumn("Reference", "reference", width=16),
        ExportColumn("Project", "title", width=32),
        ExportColumn("Contractor", "contractor__name", width=30),
        ExportColumn("Commissioner", "commissioner__name", width=30),
        ExportColumn("Funding source", "funding_source", width=24),
        ExportColumn("Localities", "covered_localities", width=24),
        ExportColumn("Start", "start_date", "date"),
        ExportColumn("End", "end_date", "date"),
        ExportColumn("Months", "period", "int", display=lambda period: contract_months(*period)),
        ExportColumn("Value ex-VAT", "value", "money", width=16),
        ExportColumn("VAT rate (%)", "vat_rate"),
        ExportColumn("VAT", "vat_amount", "money", width=14),
        ExportColumn("Value inc VAT", "value_inc_vat_amount", "money", width=16),
        ExportColumn("Status", "status", display=lambda v: STATUS_LABELS.get(v, v), width=22),
        ExportColumn("Practices decide on extension by", "extension_decision_by", "date", width=18),
    ]

    def get_queryset(self):
        return contract_rows(self.request.user, clock.today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_manage_contracts(self.request.user)[0]:
            context["actions"] = [("Add a contract", reverse("contracts:contract-create"))]
        return context


class ContractDetailView(LoginRequiredMixin, TemplateView):
    template_name = "contracts/held/contract_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        contract = get_visible_or_404(self.request, Contract, pk=kwargs["pk"])
        today = clock.today()
        status = contract.status_on(today)
        sees_history = can_browse_federation(user)[0]
        context.update(
            contract=contract,
            today=today,
            status=status,
            status_tag=contract_status_tag(status),
            localities=list(contract.localities.visible_to(user).order_by("name")),
            practices=list(contract.practices.visible_to(user).order_by("name")),
            documents=list(contract.documents.select_related("uploaded_by")),
            notes=list(contract.review_notes.select_related("author")),
            history=history_for(contract, user=user) if sees_history else None,
            sees_history=sees_history,
            can_manage=can_manage_contracts(user)[0],
        )
        return context


class ContractFormView(StaffOnlyMixin, View):
    template_name = "contracts/held/contract_form.html"

    def get_contract(self):
        if "pk" not in self.kwargs:
            return None
        return get_visible_or_404(self.request, Contract, pk=self.kwargs["pk"])

    def get(self, request, **kwargs):
        contract = self.get_contract()
        return self.render(ContractForm(instance=contract), contract)

    def post(self, request, **kwargs):
        contract = self.get_contract()
        form = ContractForm(request.POST, instance=contract)
        if form.is_valid():
            try:
                saved = contract_save(contract=form.instance, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"{saved.title} ({saved.reference}) saved.")
                return redirect(saved)
        return self.render(form, contract, status=400)

    def render(self, form, contract, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "contract": contract,
                "title": f"Edit {contract.title}" if contract else "Add a contract",
            },
            status=status,
        )


class ContractArchiveView(StaffOnlyMixin, View):
    def post(self, request, pk):
        contract = get_visible_or_404(request, Contract, pk=pk)
        contract_archive(contract=contract, user=request.user)
        messages.success(
            request,
            f"{contract.title} ({contract.reference}) archived: it no longer appears in lists. "
            "Nothing was deleted.",
        )
        return redirect("contracts:contract-list")


class ContractDocumentCreateView(StaffOnlyMixin, View):
    template_name = "contracts/held/document_form.html"

    def get(self, request, pk):
        contract = get_visible_or_404(request, Contract, pk=pk)
        return self.render(ContractDocumentForm(), contract)

    def post(self, request, pk):
        contract = get_visible_or_404(request, Contract, pk=pk)
        form = ContractDocumentForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                document = contract_document_add(
                    contract=contract,
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    upload=form.cleaned_data["file"],
                    user=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, f"Document “{document.title}” added.")
                return redirect(contract)
        return self.render(form, contract, status=400)

    def render(self, form, contract, status=200):
        return render(self.request, self.template_name, {"form": form, "contract": contract}, status=status)


class ContractNoteCreateView(StaffOnlyMixin, View):
    template_name = "contracts/held/note_form.html"

    def get(self, request, pk):
        contract = get_visible_or_404(request, Contract, pk=pk)
        return self.render(ContractNoteForm(), contract)

    def post(self, request, pk):
        contract = get_visible_or_404(request, Contract, pk=pk)
        form = ContractNoteForm(request.POST)
        if form.is_valid():
            try:
                contract_note_add(contract=contract, user=request.user, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Review note added.")
                return redirect(contract)
        return self.render(form, contract, status=400)

    def render(self, form, contract, status=200):
        return render(self.request, self.template_name, {"form": form, "contract": contract}, status=status)


class ContractDocumentDownloadView(LoginRequiredMixin, View):
    """A document is served only to those who can see its contract: out of
    scope is 404 (and logged), like a document that does not exist."""

    def get(self, request, pk):
        document = get_visible_or_404(request, ContractDocument, pk=pk)
        return attachment_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )


class OrganisationCreateView(StaffOnlyMixin, View):
    template_name = "contracts/held/organisation_form.html"

    def next_url(self):
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("contracts:contract-create")

    def get(self, request):
        return self.render(OrganisationForm())

    def post(self, request):
        form = OrganisationForm(request.POST)
        if form.is_valid():
            organisation = form.save()
            messages.success(request, f"{organisation.name} added.")
            return redirect(self.next_url())
        return self.render(form, status=400)

    def render(self, form, status=200):
        return render(
            self.request, self.template_name, {"form": form, "next": self.next_url()}, status=status
        )
