"""Services sub-contracted to practices: their head contracts, tariffs and
the evidence they require, kept by staff and read by the board."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View

from contracts.filters.subcontracts import ServiceFilterSet
from contracts.forms import add_service_errors
from contracts.forms.subcontracts import (
    HeadContractForm,
    RequirementForm,
    ServiceForm,
    TariffForm,
)
from contracts.models import EvidenceRequirement, Service, SubContract, Tariff
from contracts.permissions import can_manage_contracts
from contracts.services.subcontracts import (
    head_contract_create,
    requirement_create,
    requirement_update,
    service_create,
    tariff_create,
)
from contracts.tables.subcontracts import ServiceTable, SubContractTable
from contracts.views.mixins import FederationMixin, StaffOnlyMixin
from fedportal.clock import today as portal_today
from fedportal.exports import ExportColumn
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
        today = portal_today()
        tariffs = Tariff.objects.filter(service=OuterRef("pk"), effective_from__lte=today).order_by(
            "-effective_from"
        )
        active = (
            SubContract.objects.active_on(today)
            .filter(service=OuterRef("pk"))
            .order_by()
            .values("service")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return Service.objects.select_related("head_contract__commissioner").annotate(
            unit_price=Subquery(tariffs.values("unit_price")[:1]),
            active_subcontracts=Coalesce(Subquery(active, output_field=IntegerField()), 0),
        )

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
            Service.objects.select_related(
                "head_contract__commissioner", "head_contract__paying_organisation"
            ),
            slug=slug,
        )
        tariffs = list(service.tariffs.order_by("-effective_from"))
        current = next((t for t in tariffs if t.effective_from <= today), None)
        subcontracts = SubContract.objects.visible_to(request.user).filter(service=service).for_table(today)
        table = SubContractTable(subcontracts, exclude=("service",), prefix="sub-")
        configure(table, request, per_page=50)
        context = {
            "service": service,
            "today": today,
            "tariffs": tariffs,
            "current_tariff": current,
            "requirements": list(service.requirements.order_by("-active", "position", "name")),
            "table": table,
            "can_manage": can_manage_contracts(request.user)[0],
        }
        return render(request, self.template_name, context)


class FormPageView(StaffOnlyMixin, View):
    """A staff form page: GET shows the form, POST calls ``save`` (a service)
    and shows its ValidationErrors beside the fields."""

    template_name = "contracts/subcontracts/simple_form.html"
    form_class = None
    title = ""
    submit_label = "Save"

    def get_object(self):
        return None

    def get_form(self, data=None):
        return self.form_class(data)

    def get(self, request, **kwargs):
        self.object = self.get_object()
        return self.render(self.get_form())

    def post(self, request, **kwargs):
        self.object = self.get_object()
        form = self.get_form(request.POST)
        if form.is_valid():
            try:
                saved = self.save(form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, self.success_message(saved))
                return redirect(self.success_url(saved))
        return self.render(form, status=400)

    def render(self, form, status=200):
        context = {
            "form": form,
            "title": self.title,
            "caption": self.caption(),
            "submit_label": self.submit_label,
            "cancel_url": self.cancel_url(),
        }
        return render(self.request, self.template_name, context, status=status)

    def caption(self) -> str:
        return ""

    def cancel_url(self) -> str:
        return reverse("contracts:service-list")

    def success_url(self, saved) -> str:
        return saved.get_absolute_url()


class HeadContractCreateView(FormPageView):
    form_class = HeadContractForm
    title = "Add a head contract"
    submit_label = "Save head contract"

    def save(self, data):
        return head_contract_create(**data)

    def success_message(self, saved):
        return f"Head contract {saved.title} saved. Add the services under it."

    def success_url(self, saved):
        return f"{reverse('contracts:service-create')}?head_contract={saved.pk}"


class ServiceCreateView(FormPageView):
    form_class = ServiceForm
    title = "Add a service"
    submit_label = "Save service"

    def get_form(self, data=None):
        return self.form_class(data, initial={"head_contract": self.request.GET.get("head_contract")})

    def save(self, data):
        return service_create(**data)

    def success_message(self, saved):
        return f"{saved.name} saved. Add its tariff and the evidence it requires."


class ServiceChildMixin:
    """Pages about one service (its tariffs and requirements)."""

    def get_service(self):
        return get_object_or_404(Service, slug=self.kwargs["slug"])

    def get_object(self):
        self.service = self.get_service()
        return None

    def caption(self):
        return self.service.name

    def cancel_url(self):
        return self.service.get_absolute_url()

    def success_url(self, saved):
        return self.service.get_absolute_url()


class TariffCreateView(ServiceChildMixin, FormPageView):
    form_class = TariffForm
    title = "Add a tariff"
    submit_label = "Save tariff"

    def save(self, data):
        return tariff_create(service=self.service, **data)

    def success_message(self, saved):
        return f"Tariff of £{saved.unit_price} per {self.service.unit} from {saved.effective_from:%-d %B %Y} saved."


class RequirementCreateView(ServiceChildMixin, FormPageView):
    form_class = RequirementForm
    title = "Add evidence required"
    submit_label = "Save requirement"

    def get_form(self, data=None):
        return self.form_class(data, initial={"active": True})

    def save(self, data):
        return requirement_create(service=self.service, **data)

    def success_message(self, saved):
        return f"Practices delivering {self.service.name} are now asked for: {saved.name}."


class RequirementEditView(FormPageView):
    form_class = RequirementForm
    title = "Change evidence required"
    submit_label = "Save changes"

    def get_object(self):
        requirement = get_object_or_404(
            EvidenceRequirement.objects.select_related("service"), pk=self.kwargs["pk"]
        )
        self.service = requirement.service
        return requirement

    def get_form(self, data=None):
        return self.form_class(data, instance=self.object)

    def save(self, data):
        return requirement_update(requirement_id=self.object.pk, **data)

    def success_message(self, saved):
        return f"{saved.name} saved." if saved.active else f"{saved.name} is no longer asked for."

    def caption(self):
        return f"{self.service.name}: {self.object.name}"

    def cancel_url(self):
        return self.service.get_absolute_url()

    def success_url(self, saved):
        return self.service.get_absolute_url()
