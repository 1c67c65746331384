"""Routes of services, sub-contracts, evidence and the compliance dashboard."""

from django.urls import path

from contracts.views import evidence, services, subcontracts

urlpatterns = [
    path("subcontracts/", subcontracts.ComplianceDashboardView.as_view(), name="compliance-dashboard"),
    path("subcontracts/list/", subcontracts.SubContractListView.as_view(), name="subcontract-list"),
    path("subcontracts/new/", subcontracts.SubContractCreateView.as_view(), name="subcontract-create"),
    path("subcontracts/<int:pk>/", subcontracts.SubContractDetailView.as_view(), name="subcontract-detail"),
    path(
        "subcontracts/<int:pk>/edit/", subcontracts.SubContractChangeView.as_view(), name="subcontract-change"
    ),
    path(
        "subcontracts/<int:pk>/evidence/new/", evidence.EvidenceCreateView.as_view(), name="evidence-create"
    ),
    path(
        "subcontracts/<int:pk>/clinicians/new/",
        evidence.ClinicianCreateView.as_view(),
        name="clinician-create",
    ),
    path(
        "subcontracts/clinicians/<int:pk>/remove/",
        evidence.ClinicianRemoveView.as_view(),
        name="clinician-remove",
    ),
    path("evidence/", evidence.EvidenceListView.as_view(), name="evidence-list"),
    path("evidence/<int:pk>/", evidence.EvidenceDetailView.as_view(), name="evidence-detail"),
    path("evidence/<int:pk>/download/", evidence.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("services/", services.ServiceListView.as_view(), name="service-list"),
    path("services/new/", services.ServiceCreateView.as_view(), name="service-create"),
    path(
        "services/head-contracts/new/", services.HeadContractCreateView.as_view(), name="head-contract-create"
    ),
    path(
        "services/requirements/<int:pk>/edit/",
        services.RequirementEditView.as_view(),
        name="requirement-edit",
    ),
    path("services/<slug:slug>/", services.ServiceDetailView.as_view(), name="service-detail"),
    path("services/<slug:slug>/tariffs/new/", services.TariffCreateView.as_view(), name="tariff-create"),
    path(
        "services/<slug:slug>/requirements/new/",
        services.RequirementCreateView.as_view(),
        name="requirement-create",
    ),
]
