from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from fedportal import views

handler403 = "fedportal.views.permission_denied"
handler404 = "fedportal.views.page_not_found"
handler500 = "fedportal.views.server_error"

admin.site.site_header = "fedportal administration"
admin.site.site_title = "fedportal admin"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
    path("", include("localities.urls")),
    path("", include("contracts.urls")),
]
