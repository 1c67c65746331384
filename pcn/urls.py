"""Routes under /pcn/: networks, their registrations and coverage, workforce and maturity."""

from django.urls import path

from pcn import views

app_name = "pcn"
urlpatterns = [
    path("", views.PCNListView.as_view(), name="pcn-list"),
    path("new/", views.PCNCreateView.as_view(), name="pcn-create"),
    path("coverage/", views.CoverageView.as_view(), name="coverage"),
    path("memberships/<int:pk>/end/", views.MembershipEndView.as_view(), name="membership-end"),
    path("registrations/<int:pk>/", views.RegistrationDetailView.as_view(), name="registration-detail"),
    path("registrations/<int:pk>/pdf/", views.RegistrationPDFView.as_view(), name="registration-pdf"),
    path("registrations/<int:pk>/exception/", views.ExceptionView.as_view(), name="registration-exception"),
    path("registrations/<int:pk>/submit/", views.SubmitView.as_view(), name="registration-submit"),
    path("registrations/<int:pk>/decide/", views.DecideView.as_view(), name="registration-decide"),
    path("registrations/<int:pk>/sign/<str:ods_code>/", views.SignView.as_view(), name="registration-sign"),
    path("registrations/<int:pk>/schedule/", views.ScheduleUploadView.as_view(), name="schedule-upload"),
    path("schedules/<int:pk>/", views.ScheduleDownloadView.as_view(), name="schedule-download"),
    path("workforce/<int:pk>/claims/new/", views.ClaimCreateView.as_view(), name="claim-create"),
    path("workforce/<int:pk>/edit/", views.WorkforcePostChangeView.as_view(), name="workforce-post-edit"),
    path("<str:code>/", views.PCNDetailView.as_view(), name="pcn-detail"),
    path("<str:code>/entitlements/", views.EntitlementsView.as_view(), name="entitlements"),
    path("<str:code>/payments/new/", views.PaymentCreateView.as_view(), name="payment-create"),
    path("<str:code>/edit/", views.PCNEditView.as_view(), name="pcn-edit"),
    path("<str:code>/bank/", views.BankDetailsView.as_view(), name="pcn-bank"),
    path("<str:code>/boundary/", views.BoundaryView.as_view(), name="pcn-boundary"),
    path("<str:code>/members/new/", views.MembershipAddView.as_view(), name="membership-create"),
    path("<str:code>/registrations/new/", views.RegistrationStartView.as_view(), name="registration-create"),
    path("<str:code>/workforce/", views.WorkforceView.as_view(), name="workforce"),
    path("<str:code>/workforce/new/", views.WorkforcePostCreateView.as_view(), name="workforce-post-create"),
    path("<str:code>/maturity/", views.MaturityView.as_view(), name="maturity"),
    path("<str:code>/maturity/new/", views.MaturityCreateView.as_view(), name="maturity-create"),
]
