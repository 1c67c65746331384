"""Which app serves which URL prefix: this is the one place that says so.
Each app's URLconf modules hold the rest of its paths, and its pages are
named in the app's namespace ("localities:practice-list"). Apps are included
by dotted string, so fedportal imports none of them (DESIGN.md, Layout)."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fedportal import views

handler403 = "fedportal.views.permission_denied"
handler404 = "fedportal.views.page_not_found"
handler500 = "fedportal.views.server_error"

admin.site.site_header = "fedportal administration"
admin.site.site_title = "fedportal admin"

# localities: localities, practices and their list sizes, imports of NHS data.
localities_urls = [
    path("localities/", include("localities.urls.localities")),
    path("practices/", include("localities.urls.practices")),
    path("imports/", include("localities.urls.imports")),
]

# contracts: one app over six prefixes. Services and evidence are kept for
# sub-contracts; returns are made from a sub-contract's page
# (/subcontracts/<pk>/returns/new/) and a payment schedule is downloaded under
# its service (/services/<slug>/payment-schedule/<quarter>/).
contracts_urls = [
    path("contracts/", include("contracts.urls.held")),
    path("subcontracts/", include("contracts.urls.subcontracts")),
    path("evidence/", include("contracts.urls.evidence")),
    path("services/", include("contracts.urls.service_pages")),
    path("returns/", include("contracts.urls.returns")),
    path("reminders/", include("contracts.urls.reminders")),
]

urlpatterns = [
    # reports: the home page, each role's dashboard (named "home", no namespace).
    path("", include("reports.urls")),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset by email: Django's own views, in the portal's templates (templates/registration/).
    path("accounts/password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("accounts/password-reset/sent/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "accounts/password-reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password-reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("admin/", admin.site.urls),
    path("", include((localities_urls, "localities"))),
    path("", include((contracts_urls, "contracts"))),
    # pcn: Primary Care Networks, their registrations and coverage.
    path("pcn/", include("pcn.urls")),
    # finance: income, expenditure and plans, the transformation fund, shared costs.
    path("finance/", include("finance.urls")),
]
