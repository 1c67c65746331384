"""/finance/: the overview, Tables 1 and 2, lines and their figures, shared
costs, the transformation fund's fees and the shop rate."""

from django.urls import path

from finance import views

app_name = "finance"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("income-streams/", views.Table1View.as_view(), name="table-1"),
    path("income-and-expenditure/", views.Table2View.as_view(), name="table-2"),
    path("settings/", views.SettingsFormView.as_view(), name="settings"),
    path("lines/new/", views.LineFormView.as_view(), name="line-create"),
    path("lines/<int:pk>/", views.LineDetailView.as_view(), name="line-detail"),
    path("lines/<int:pk>/edit/", views.LineFormView.as_view(), name="line-edit"),
    path("lines/<int:pk>/figures/new/", views.FigureFormView.as_view(), name="figure-create"),
    path("lines/<int:pk>/figures/<int:figure_pk>/edit/", views.FigureFormView.as_view(), name="figure-edit"),
    path("shared-costs/", views.SharedCostListView.as_view(), name="shared-cost-list"),
    path("shared-costs/new/", views.SharedCostFormView.as_view(), name="shared-cost-create"),
    path("shared-costs/<int:pk>/", views.SharedCostDetailView.as_view(), name="shared-cost-detail"),
    path("shared-costs/<int:pk>/edit/", views.SharedCostFormView.as_view(), name="shared-cost-edit"),
    path("shared-costs/<int:pk>/publish/", views.SharedCostPublishView.as_view(), name="shared-cost-publish"),
    path("transformation-fund/", views.FeesView.as_view(), name="fees"),
    path("transformation-fund/new/", views.ProjectFormView.as_view(), name="project-create"),
    path("transformation-fund/<int:pk>/", views.ProjectDetailView.as_view(), name="project-detail"),
    path("transformation-fund/<int:pk>/edit/", views.ProjectFormView.as_view(), name="project-edit"),
    path(
        "transformation-fund/<int:pk>/updates/new/",
        views.ProjectUpdateFormView.as_view(),
        name="project-update-create",
    ),
    path("export/", views.WorkbookExportView.as_view(), name="workbook-export"),
    path("import/", views.ImportStartView.as_view(), name="import-start"),
    path("import/<int:pk>/", views.ImportPreviewView.as_view(), name="import-preview"),
    path("shop-rate/", views.ShopRateView.as_view(), name="shop-rate"),
    path("shop-rate/new/", views.ShopRateFormView.as_view(), name="shop-rate-create"),
    path("shop-rate/<int:pk>/edit/", views.ShopRateFormView.as_view(), name="shop-rate-edit"),
    path("per-patient/new/", views.PerPatientFundingFormView.as_view(), name="per-patient-create"),
    path("per-patient/<int:pk>/edit/", views.PerPatientFundingFormView.as_view(), name="per-patient-edit"),
]
