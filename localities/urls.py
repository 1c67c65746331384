from django.urls import path

from localities import views

app_name = "localities"

urlpatterns = [
    path("localities/", views.LocalityListView.as_view(), name="locality-list"),
    path("localities/<slug:slug>/", views.LocalityDetailView.as_view(), name="locality-detail"),
    path("practices/", views.PracticeListView.as_view(), name="practice-list"),
    path("practices/new/", views.PracticeFormView.as_view(), name="practice-create"),
    path("practices/<str:ods_code>/", views.PracticeDetailView.as_view(), name="practice-detail"),
    path("practices/<str:ods_code>/edit/", views.PracticeFormView.as_view(), name="practice-edit"),
    path(
        "practices/<str:ods_code>/list-sizes/new/",
        views.ListSizeCreateView.as_view(),
        name="list-size-create",
    ),
    path("imports/", views.ImportStartView.as_view(), name="import-start"),
    path("imports/<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
]
