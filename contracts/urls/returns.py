"""Routes under /returns/: quarterly activity returns and the index of
payment schedules. A return is made from its sub-contract's page
(/subcontracts/<pk>/returns/new/), and a schedule is downloaded under its
service (/services/<slug>/payment-schedule/<quarter>/)."""

from django.urls import path

from contracts.views import returns as views

urlpatterns = [
    path("", views.ReturnListView.as_view(), name="return-list"),
    path("payment-schedules/", views.PaymentScheduleIndexView.as_view(), name="payment-schedule-index"),
    path("<int:pk>/", views.ReturnDetailView.as_view(), name="return-detail"),
    path("<int:pk>/amend/", views.ReturnAmendView.as_view(), name="return-amend"),
]
