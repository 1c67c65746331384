"""Routes of the reports app, under "/" (fedportal/urls.py). The home page
keeps its name without a namespace: every page's header links to it."""

from django.urls import include, path

from reports import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    # The board's papers (issue 12), namespaced "reports".
    path("reports/", include("reports.papers_urls")),
]
