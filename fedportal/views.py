from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

from fedportal.permissions import log_refusal


def permission_denied(request, exception=None):
    log_refusal(request, exception)
    response = render(request, "403.html", {"reason": str(exception or "")}, status=403)
    # Logged above in one line: Django would log it again with a traceback.
    response._has_been_logged = True
    return response


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({}))


def _reset_link_hours() -> int:
    return settings.PASSWORD_RESET_TIMEOUT // 3600


class PasswordResetView(auth_views.PasswordResetView):
    """Django's own: the email links to the portal's address
    (FEDPORTAL_BASE_URL), not to whatever host name the request came with,
    which an attacker could choose."""

    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        self.extra_email_context = {
            "base_url": settings.FEDPORTAL_BASE_URL,
            "federation_name": settings.FEDERATION_NAME,
            "timeout_hours": _reset_link_hours(),
        }
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(timeout_hours=_reset_link_hours(), **kwargs)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password also lifts a lock from too many failed log-ins
    (django-axes): whoever holds the mailbox is the account's owner."""

    def form_valid(self, form):
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response
