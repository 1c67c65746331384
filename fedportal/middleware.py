"""Session lifetime: the idle limit is the cookie age renewed on every request;
this adds the absolute limit of DESIGN.md (12 hours from sign-in)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.utils import timezone

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
