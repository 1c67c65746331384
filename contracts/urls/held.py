"""Routes under /contracts/: contracts held for practices."""

from django.urls import path

from contracts.views import held as views

urlpatterns = [
    path("", views.ContractListView.as_view(), name="contract-list"),
    path("new/", views.ContractFormView.as_view(), name="contract-create"),
    path("organisations/new/", views.OrganisationCreateView.as_view(), name="organisation-create"),
    path("<int:pk>/", views.ContractDetailView.as_view(), name="contract-detail"),
    path("<int:pk>/edit/", views.ContractFormView.as_view(), name="contract-edit"),
    path("<int:pk>/archive/", views.ContractArchiveView.as_view(), name="contract-archive"),
    path(
        "<int:pk>/documents/new/",
        views.ContractDocumentCreateView.as_view(),
        name="contract-document-create",
    ),
    path(
        "documents/<int:pk>/download/",
        views.ContractDocumentDownloadView.as_view(),
        name="contract-document-download",
    ),
    path("<int:pk>/notes/new/", views.ContractNoteCreateView.as_view(), name="contract-note-create"),
]
