"""Session lifetime: the idle limit is the cookie age renewed on every request;
this adds the absolute limit of DESIGN.md (12 hours from sign-in). And the
portal's own 404 page in development too."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone

from fedportal.views import page_not_found

SESSION_STARTED_KEY = "fedportal_signed_in_at"


@receiver(user_logged_in)
def _remember_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        request.session[SESSION_STARTED_KEY] = timezone.now().timestamp()


class SessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = request.session.get(SESSION_STARTED_KEY)
        if request.user.is_authenticated and started is not None:
            age = timezone.now().timestamp() - float(started)
            if age > settings.SESSION_ABSOLUTE_LIFETIME.total_seconds():
                logout(request)
                return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class PortalNotFoundMiddleware:
    """Under DEBUG (the demo), Django answers a 404 with its debug page, which
    lists every URL of the portal: the portal's own 404 page instead, as in
    production. (Production, without DEBUG, has it already: handler404.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
        ):
            return page_not_found(request)
        return response
