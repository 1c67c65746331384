"""/reports/: the board's papers (namespace "reports")."""

from django.urls import path, re_path

from reports import papers_views as views

app_name = "reports"
# A report's month, written YYYY-MM.
MONTH = r"(?P<month>[0-9]{4}-[0-9]{2})"
urlpatterns = [
    path("", views.ReportListView.as_view(), name="report-list"),
    path("new/", views.ReportStartView.as_view(), name="report-start"),
    path("verify/", views.VerifyView.as_view(), name="verify"),
    path("versions/<int:pk>/download/", views.VersionDownloadView.as_view(), name="version-download"),
    path("workstreams/", views.WorkstreamListView.as_view(), name="workstream-list"),
    path("workstreams/new/", views.WorkstreamFormView.as_view(), name="workstream-create"),
    path("workstreams/<int:pk>/", views.WorkstreamDetailView.as_view(), name="workstream-detail"),
    path("workstreams/<int:pk>/edit/", views.WorkstreamFormView.as_view(), name="workstream-edit"),
    re_path(
        rf"^workstreams/(?P<pk>[0-9]+)/updates/{MONTH}/$", views.UpdateFormView.as_view(), name="update-edit"
    ),
    path("workstreams/<int:pk>/milestones/new/", views.MilestoneFormView.as_view(), name="milestone-create"),
    path("milestones/<int:milestone_pk>/edit/", views.MilestoneFormView.as_view(), name="milestone-edit"),
    path("risks/", views.RiskListView.as_view(), name="risk-list"),
    path("risks/new/", views.RiskFormView.as_view(), name="risk-create"),
    path("risks/<int:pk>/edit/", views.RiskFormView.as_view(), name="risk-edit"),
    path("actions/", views.ActionListView.as_view(), name="action-list"),
    path("actions/new/", views.ActionFormView.as_view(), name="action-create"),
    path("actions/<int:pk>/edit/", views.ActionFormView.as_view(), name="action-edit"),
    path("meetings/", views.MeetingListView.as_view(), name="meeting-list"),
    path("meetings/new/", views.MeetingFormView.as_view(), name="meeting-create"),
    path("meetings/<int:pk>/", views.MeetingDetailView.as_view(), name="meeting-detail"),
    path("meetings/<int:pk>/edit/", views.MeetingFormView.as_view(), name="meeting-edit"),
    path("meetings/<int:pk>/attendees/new/", views.AttendeeFormView.as_view(), name="attendee-create"),
    path("meetings/<int:pk>/agenda/new/", views.AgendaItemFormView.as_view(), name="agenda-item-create"),
    path("meetings/<int:pk>/papers/new/", views.PaperFormView.as_view(), name="paper-create"),
    path("meetings/<int:pk>/pack/", views.PackView.as_view(), name="pack"),
    path("meetings/<int:pk>/pack/build/", views.PackBuildView.as_view(), name="pack-build"),
    path("meetings/<int:pk>/pack/draft/download/", views.PackDraftDownloadView.as_view(), name="pack-draft"),
    path("meetings/<int:pk>/pack/publish/", views.PackPublishView.as_view(), name="pack-publish"),
    path("papers/<int:pk>/download/", views.PaperDownloadView.as_view(), name="paper-download"),
    re_path(rf"^{MONTH}/$", views.ReportView.as_view(), name="coo-report"),
    re_path(rf"^{MONTH}/pdf/$", views.ReportPdfView.as_view(), name="coo-report-pdf"),
    re_path(rf"^{MONTH}/publish/$", views.PublishView.as_view(), name="coo-report-publish"),
    re_path(
        rf"^{MONTH}/tables/(?P<table>[a-z]+)\.xlsx$",
        views.ReportTableExportView.as_view(),
        name="coo-report-xlsx",
    ),
]
