"""Services sub-contracted to practices: their head contracts, tariffs and
the evidence they require, kept by staff and read by the board."""

from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views import View

from contracts.filters.subcontracts import ServiceFilterSet
from contracts.forms.subcontracts import (
    HeadContractForm,
    RequirementForm,
    ServiceForm,
    TariffForm,
)
from contracts.models import EvidenceRequirement, Service, SubContract
from contracts.permissions import can_manage_contracts
from contracts.selectors import services_with_figures
from contracts.services.subcontracts import (
    head_contract_create,
    requirement_create,
    requirement_update,
    service_create,
    tariff_create,
)
from contracts.tables.subcontracts import ServiceTable, SubContractTable
from contracts.views.mixins import FederationMixin
from fedportal.clock import today as portal_today
from fedportal.exports import ExportColumn
from fedportal.form_pages import FormPageView
from fedportal.lists import FilteredListView
from fedportal.tables import configure


class ServiceListView(FederationMixin, FilteredListView):
    filterset_class = ServiceFilterSet
    table_class = ServiceTable
    title = "Services sub-contracted to practices"
    export_filename = "services"
    export_columns = [
        ExportColumn("Service", "name", width=30),
        ExportColumn("Head contract", "head_contract__title", width=36),
        ExportColumn("Commissioner", "head_contract__commissioner__name", width=36),
        ExportColumn("Unit", "unit", width=20),
        ExportColumn("Tariff today", "unit_price", "money"),
        ExportColumn("Active sub-contracts", "active_subcontracts", "int"),
    ]

    def get_queryset(self):
        return services_with_figures(user=self.request.user, today=portal_today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_manage_contracts(self.request.user)[0]:
            context["actions"] = [
                ("Add a service", reverse("contracts:service-create")),
                ("Add a head contract", reverse("contracts:head-contract-create")),
            ]
        return context


class ServiceDetailView(FederationMixin, View):
    template_name = "contracts/subcontracts/service_detail.html"

    def get(self, request, slug):
        today = portal_today()
        service = get_object_or_404(
            services_with_figures(user=request.user, today=today).select_related(
                "head_contract__paying_organisation"
            ),
            slug=slug,
        )
        subcontracts = SubContract.objects.visible_to(request.user).filter(service=service).for_table(today)
        table = SubContractTable(subcontracts, exclude=("service",), prefix="sub-")
        configure(table, request, per_page=50)
        context = {
            "crumbs": [("Services", reverse("contracts:service-list"))],
            "service": service,
            "today": today,
            "tariffs": list(service.tariffs.order_by("-effective_from")),
            "requirements": list(service.requirements.order_by("-active", "position", "name")),
            "table": table,
        }
        return render(request, self.template_name, context)


class StaffFormPage(FormPageView):
    """The staff forms of services: 403 for anyone else, before anything is
    looked up."""

    rule = staticmethod(can_manage_contracts)
    refuse_first = True

    def cancel_url(self) -> str:
        return reverse("contracts:service-list")


class HeadContractCreateView(StaffFormPage):
    form_class = HeadContractForm
    title = "Add a head contract"
    submit_label = "Save head contract"

    def save(self, form):
        return head_contract_create(**form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"Head contract {saved.title} saved. Add the services under it."

    def success_url(self, saved) -> str:
        return f"{reverse('contracts:service-create')}?head_contract={saved.pk}"


class ServiceCreateView(StaffFormPage):
    form_class = ServiceForm
    title = "Add a service"
    submit_label = "Save service"

    def get_form_kwargs(self) -> dict:
        return {"initial": {"head_contract": self.request.GET.get("head_contract")}}

    def save(self, form):
        return service_create(**form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"{saved.name} saved. Add its tariff and the evidence it requires."


class ServiceChildPage(StaffFormPage):
    """A staff form about one service (a tariff, a requirement): the page
    names the service, and goes back to it."""

    def get_object(self) -> Service:
        return get_object_or_404(Service, slug=self.kwargs["slug"])

    @property
    def service(self) -> Service:
        return self.object

    def get_caption(self) -> str:
        return self.service.name

    def cancel_url(self) -> str:
        return self.service.get_absolute_url()

    def success_url(self, saved) -> str:
        return self.service.get_absolute_url()


class TariffCreateView(ServiceChildPage):
    form_class = TariffForm
    title = "Add a tariff"
    submit_label = "Save tariff"

    def save(self, form):
        return tariff_create(service=self.service, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"Tariff of £{saved.unit_price} per {self.service.unit} from {saved.effective_from:%-d %B %Y} saved."


class RequirementCreateView(ServiceChildPage):
    form_class = RequirementForm
    title = "Add evidence required"
    submit_label = "Save requirement"

    def get_form_kwargs(self) -> dict:
        return {"initial": {"active": True}}

    def save(self, form):
        return requirement_create(service=self.service, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"Practices delivering {self.service.name} are now asked for: {saved.name}."


class RequirementEditView(ServiceChildPage):
    form_class = RequirementForm
    title = "Change evidence required"
    submit_label = "Save changes"

    def get_object(self) -> EvidenceRequirement:
        return get_object_or_404(EvidenceRequirement.objects.select_related("service"), pk=self.kwargs["pk"])

    @property
    def service(self) -> Service:
        return self.object.service

    def get_form_kwargs(self) -> dict:
        return {"instance": self.object}

    def save(self, form):
        return requirement_update(requirement_id=self.object.pk, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"{saved.name} saved." if saved.active else f"{saved.name} is no longer asked for."

    def get_caption(self) -> str:
        return f"{self.service.name}: {self.object.name}"
