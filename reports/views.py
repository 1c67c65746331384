from django.views.generic import TemplateView

from fedportal.clock import today
from reports.dashboard import home_context


class HomeView(TemplateView):
    """Federation staff and board: headline figures. Practice users: their practices."""

    template_name = "reports/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(home_context(self.request.user, today()))
        return context
