"""Pages of contracts held for practices: the list with its exports, a
contract's page, the staff forms (contract, document, review note,
organisation), archiving, and document downloads."""

from copy import copy

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import TemplateView

from contracts.filters.held import ContractFilterSet
from contracts.forms.held import (
    FIND_PRACTICES,
    ContractDocumentForm,
    ContractForm,
    ContractNoteForm,
    OrganisationForm,
)
from contracts.models import Contract, ContractDocument, ContractStatus, contract_months
from contracts.permissions import can_manage_contracts
from contracts.selectors import contract_list
from contracts.services.held import (
    contract_archive,
    contract_document_add,
    contract_note_add,
    contract_save,
    organisation_create,
)
from contracts.tables.held import ContractTable, contract_status_tag
from contracts.views.mixins import StaffOnlyMixin
from fedportal import clock
from fedportal.downloads import attachment_response
from fedportal.exports import ExportColumn
from fedportal.form_pages import FormPageView
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.permissions import can_browse_federation, get_visible_or_404

STATUS_LABELS = dict(ContractStatus.choices)


def contract_breadcrumbs(contract: Contract | None = None) -> list[tuple[str, str]]:
    """Contracts, then the contract a page is about (if any)."""
    crumbs = [("Contracts", reverse("contracts:contract-list"))]
    if contract is not None:
        crumbs.append((contract.title, contract.get_absolute_url()))
    return crumbs


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
        return contract_list(user=self.request.user, today=clock.today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_manage_contracts(self.request.user)[0]:
            context["actions"] = [("Add a contract", reverse("contracts:contract-create"))]
        return context


class ContractDetailView(LoginRequiredMixin, TemplateView):
    template_name = "contracts/held/contract_detail.html"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return contract_breadcrumbs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        # The contract with all its page shows, fetched once, in the user's scope.
        contract = get_visible_or_404(self.request, Contract.objects.for_detail(user), pk=kwargs["pk"])
        today = clock.today()
        status = contract.status_on(today)
        sees_history = can_browse_federation(user)[0]
        context.update(
            contract=contract,
            today=today,
            status=status,
            status_tag=contract_status_tag(status),
            localities=contract.visible_localities,
            practices=contract.visible_practices,
            documents=list(contract.documents.all()),
            notes=list(contract.review_notes.all()),
            history=history_for(
                contract, user=user, known=[*contract.visible_localities, *contract.visible_practices]
            )
            if sees_history
            else None,
            sees_history=sees_history,
        )
        return context


class StaffFormPage(FormPageView):
    """A staff form of this area: refused (403) to everyone else before
    anything is looked up, as every staff page of the contracts app is."""

    rule = staticmethod(can_manage_contracts)
    refuse_first = True


class ContractFormView(StaffFormPage):
    """Staff add a contract (no number in the address) or change one."""

    template_name = "contracts/held/contract_form.html"
    form_class = ContractForm
    submit_label = "Save contract"

    def get_object(self):
        if "pk" not in self.kwargs:
            return None
        return get_visible_or_404(self.request, Contract, pk=self.kwargs["pk"])

    def get_title(self) -> str:
        return f"Edit {self.object.title}" if self.object else "Add a contract"

    def get_caption(self) -> str:
        return f"Contract {self.object.reference}" if self.object else ""

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return contract_breadcrumbs(self.object)

    def get_form_kwargs(self) -> dict:
        return {"instance": self.object}

    def post(self, request, *args, **kwargs):
        if FIND_PRACTICES in request.POST:
            # "Find practices" (the picker's search, which works without
            # JavaScript): the form again, as typed, with the practices found.
            return self.render(self.form_class(request.POST, finding=True, **self.get_form_kwargs()))
        return super().post(request, *args, **kwargs)

    def save(self, form):
        # The service changes a copy: when it refuses, the page still names
        # the contract as it is saved, not as typed.
        contract = copy(self.object) if self.object else None
        return contract_save(contract=contract, user=self.request.user, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"{saved.title} ({saved.reference}) saved."

    def cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.object else reverse("contracts:contract-list")


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


class ContractChildFormPage(StaffFormPage):
    """A staff form adding something to one contract (a document, a review
    note): the contract is found in the user's scope, named above the
    heading, and where the page returns to."""

    def get_object(self):
        return get_visible_or_404(self.request, Contract, pk=self.kwargs["pk"])

    def get_caption(self) -> str:
        return f"{self.object.title} ({self.object.reference})"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return contract_breadcrumbs(self.object)

    def success_url(self, saved) -> str:
        return self.object.get_absolute_url()


class ContractDocumentCreateView(ContractChildFormPage):
    form_class = ContractDocumentForm
    title = "Add a document"
    intro = "Documents are kept: a new upload never replaces an earlier one."
    submit_label = "Upload document"

    def save(self, form):
        return contract_document_add(
            contract=self.object,
            title=form.cleaned_data["title"],
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
            user=self.request.user,
        )

    def success_message(self, saved) -> str:
        return f"Document “{saved.title}” added."


class ContractNoteCreateView(ContractChildFormPage):
    form_class = ContractNoteForm
    title = "Add a review note"
    submit_label = "Add note"

    def save(self, form):
        return contract_note_add(contract=self.object, user=self.request.user, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return "Review note added."


class ContractDocumentDownloadView(LoginRequiredMixin, View):
    """A document is served only to those who can see its contract: out of
    scope is 404 (and logged), like a document that does not exist."""

    def get(self, request, pk):
        document = get_visible_or_404(request, ContractDocument, pk=pk)
        return attachment_response(
            document.file, filename=document.original_name, content_type=document.content_type
        )


class OrganisationCreateView(StaffFormPage):
    """Staff add a contractor or commissioner, then go back to the form they
    came from (``next``, on this site only)."""

    template_name = "contracts/held/organisation_form.html"
    form_class = OrganisationForm
    title = "Add an organisation"
    intro = "A contractor the federation buys a service from, or a commissioner that funds one."
    submit_label = "Add organisation"

    def next_url(self) -> str:
        target = self.request.POST.get("next") or self.request.GET.get("next")
        if target and url_has_allowed_host_and_scheme(
            target, allowed_hosts={self.request.get_host()}, require_https=self.request.is_secure()
        ):
            return target
        return reverse("contracts:contract-create")

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return contract_breadcrumbs()

    def save(self, form):
        return organisation_create(user=self.request.user, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"{saved.name} added."

    def success_url(self, saved) -> str:
        return self.next_url()

    def cancel_url(self) -> str:
        return self.next_url()

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(next=self.next_url(), **kwargs)
