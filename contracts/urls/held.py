"""Routes of contracts held for practices (in the "contracts" namespace)."""

from django.urls import path

from contracts.views import held as views

urlpatterns = [
    path("contracts/", views.ContractListView.as_view(), name="contract-list"),
    path("contracts/new/", views.ContractFormView.as_view(), name="contract-create"),
    path("contracts/organisations/new/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path("contracts/<int:pk>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("contracts/<int:pk>/edit/", views.ContractFormView.as_view(), name="contract-edit"),
    path("contracts/<int:pk>/archive/", views.ContractArchiveView.as_view(), name="contract-archive"),
    path(
        "contracts/<int:pk>/documents/new/",
        views.ContractDocumentCreateView.as_view(),
        name="contract-document-create",
    ),
    path(
        "contracts/documents/<int:pk>/download/",
        views.ContractDocumentDownloadView.as_view(),
        name="contract-document-download",
    ),
    path(
        "contracts/<int:pk>/notes/new/", views.ContractNoteCreateView.as_view(), name="contract-note-create"
    ),
]
