"""Routes under /evidence/: evidence submitted by practices, for review."""

from django.urls import path

from contracts.views import evidence as views

urlpatterns = [
    path("", views.EvidenceListView.as_view(), name="evidence-list"),
    path("<int:pk>/", views.EvidenceDetailView.as_view(), name="evidence-detail"),
    path("<int:pk>/download/", views.EvidenceDownloadView.as_view(), name="evidence-download"),
    path("<int:pk>/preview/", views.EvidencePreviewView.as_view(), name="evidence-preview"),
    path("<int:pk>/withdraw/", views.EvidenceWithdrawView.as_view(), name="evidence-withdraw"),
]
