"""Routes of quarterly activity returns and payment schedules."""

from django.urls import path, re_path

from contracts.views import returns as views

urlpatterns = [
    path("returns/", views.ReturnListView.as_view(), name="return-list"),
    path(
        "returns/payment-schedules/",
        views.PaymentScheduleIndexView.as_view(),
        name="payment-schedule-index",
    ),
    path("returns/<int:pk>/", views.ReturnDetailView.as_view(), name="return-detail"),
    path("returns/<int:pk>/amend/", views.ReturnAmendView.as_view(), name="return-amend"),
    path("subcontracts/<int:pk>/returns/new/", views.ReturnCreateView.as_view(), name="return-create"),
    re_path(
        r"^services/(?P<slug>[-a-zA-Z0-9_]+)/payment-schedule/(?P<quarter>\d{4}-Q[1-4])/$",
        views.PaymentScheduleView.as_view(),
        name="payment-schedule",
    ),
]
