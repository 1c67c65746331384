"""Routes under /localities/."""

from django.urls import path

from localities import views

urlpatterns = [
    path("", views.LocalityListView.as_view(), name="locality-list"),
    path("<slug:slug>/", views.LocalityDetailView.as_view(), name="locality-detail"),
]
