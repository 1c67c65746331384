"""Routes under /subcontracts/: the compliance dashboard, sub-contracts, and
what is added to one sub-contract (evidence, clinicians, a return)."""

from django.urls import path

from contracts.views import evidence, returns, subcontracts

urlpatterns = [
    path("", subcontracts.ComplianceDashboardView.as_view(), name="compliance-dashboard"),
    path("list/", subcontracts.SubContractListView.as_view(), name="subcontract-list"),
    path("new/", subcontracts.SubContractCreateView.as_view(), name="subcontract-create"),
    path("<int:pk>/", subcontracts.SubContractDetailView.as_view(), name="subcontract-detail"),
    path("<int:pk>/edit/", subcontracts.SubContractChangeView.as_view(), name="subcontract-change"),
    path("<int:pk>/evidence/new/", evidence.EvidenceCreateView.as_view(), name="evidence-create"),
    path("<int:pk>/clinicians/new/", evidence.ClinicianCreateView.as_view(), name="clinician-create"),
    path("clinicians/<int:pk>/remove/", evidence.ClinicianRemoveView.as_view(), name="clinician-remove"),
    path("<int:pk>/returns/new/", returns.ReturnCreateView.as_view(), name="return-create"),
]
