"""Routes under /services/: services sub-contracted to practices, their head
contracts, tariffs and evidence requirements, and each quarter's payment
schedule of a service."""

from django.urls import path, re_path

from contracts.views import returns, service_pages

urlpatterns = [
    path("", service_pages.ServiceListView.as_view(), name="service-list"),
    # Before <slug:slug>/, which "new" would match too.
    path("new/", service_pages.ServiceCreateView.as_view(), name="service-create"),
    path("head-contracts/new/", service_pages.HeadContractCreateView.as_view(), name="head-contract-create"),
    path(
        "requirements/<int:pk>/edit/",
        service_pages.RequirementEditView.as_view(),
        name="requirement-edit",
    ),
    path("<slug:slug>/", service_pages.ServiceDetailView.as_view(), name="service-detail"),
    path("<slug:slug>/tariffs/new/", service_pages.TariffCreateView.as_view(), name="tariff-create"),
    path(
        "<slug:slug>/requirements/new/",
        service_pages.RequirementCreateView.as_view(),
        name="requirement-create",
    ),
    re_path(
        r"^(?P<slug>[-a-zA-Z0-9_]+)/payment-schedule/(?P<quarter>\d{4}-Q[1-4])/$",
        returns.PaymentScheduleView.as_view(),
        name="payment-schedule",
    ),
]
