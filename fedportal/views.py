import logging

from django.shortcuts import render
from django.views.generic import TemplateView

from fedportal.clock import today
from fedportal.dashboard import home_context

security_log = logging.getLogger("fedportal.security")


class HomeView(TemplateView):
    """Federation staff and board: headline figures. Practice users: their practices."""

    template_name = "fedportal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(home_context(self.request.user, today()))
        return context


def permission_denied(request, exception=None):
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database may be what failed.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render({}))
