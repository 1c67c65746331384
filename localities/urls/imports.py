"""Routes under /imports/: uploads of NHS data files, previewed then applied."""

from django.urls import path

from localities import views

urlpatterns = [
    path("", views.ImportStartView.as_view(), name="import-start"),
    path("<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
]
