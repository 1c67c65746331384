"""Routes of the reports app, under "/" (fedportal/urls.py). The home page
keeps its name without a namespace: every page's header links to it."""

from django.urls import path

from reports import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
