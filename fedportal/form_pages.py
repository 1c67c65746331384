"""The one form-page pattern: fetch the record in scope, show a form that
checks input, call one service that owns validation, and either show its
errors beside the fields (status 400, the input kept) or say what was saved
and redirect.

A page subclasses ``FormPageView`` and says only what differs:

    class ListSizeCreateView(FormPageView):
        form_class = ListSizeForm
        rule = staticmethod(can_edit_records)
        title = "Add a list size"

        def get_object(self):
            return get_visible_or_404(self.request, Practice, ods_code=self.kwargs["ods_code"])

        def save(self, form):
            return list_size_add(practice=self.object, user=self.request.user, **form.cleaned_data)

A page's own template, when it needs one, extends ``fedportal/form_page.html``
and fills only the blocks that differ (see that template).

It is NetBox's ``ObjectEditView`` cut down to what the portal uses, with the
HackSoft styleguide's split: the view never validates, the service does."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views import View

from fedportal.forms import add_service_errors
from fedportal.permissions import Verdict, require


class FormPageView(LoginRequiredMixin, View):
    """GET shows the form; POST validates the input, calls ``save`` (one
    service call) and redirects with a message, or shows the errors.

    Subclasses set ``form_class`` and ``title`` and define ``save(form)``;
    they may set ``rule`` (who may use the page at all: 403 otherwise, logged)
    and override ``get_object`` (the record the page acts on, fetched in the
    user's scope: 404 outside it)."""

    template_name = "fedportal/form_page.html"
    form_class = None
    title = ""
    caption = ""
    intro = ""
    submit_label = "Save"
    # A role rule, (user) -> Verdict. Object-level rules override permission().
    rule = None
    # Scope first (the default): a record out of scope is 404 like a missing
    # one, so a refusal (403) never confirms that it exists. A page whose rule
    # is about the user alone may refuse before looking anything up instead
    # (403 whatever the address, which confirms nothing either), as the
    # contracts app's staff pages always have.
    refuse_first = False
    # Service error keys the form knows under another name.
    error_renames: dict | None = None

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if self.refuse_first:
            self.object = None
            require(self.permission(), request)
            self.object = self.get_object()
        else:
            self.object = self.get_object()
            require(self.permission(), request)
        return super().dispatch(request, *args, **kwargs)

    def get_object(self):
        """The record the page acts on, in the user's scope; None for a new one."""
        return None

    def permission(self) -> Verdict:
        return self.rule(self.request.user) if self.rule else (True, "")

    def get_form_kwargs(self) -> dict:
        return {}

    def get_form(self, data=None, files=None):
        return self.form_class(data, files, **self.get_form_kwargs())

    def get(self, request, *args, **kwargs):
        return self.render(self.get_form())

    def post(self, request, *args, **kwargs):
        form = self.get_form(request.POST, request.FILES)
        if form.is_valid():
            try:
                saved = self.save(form)
            except ValidationError as error:
                add_service_errors(form, error, self.error_renames)
            else:
                if message := self.success_message(saved):
                    messages.success(request, message)
                return redirect(self.success_url(saved))
        return self.render(form, status=400)

    def save(self, form):
        """Call the one service that validates and writes; return what it saved."""
        raise NotImplementedError

    def success_message(self, saved) -> str:
        return ""

    def success_url(self, saved) -> str:
        return saved.get_absolute_url()

    def cancel_url(self) -> str | None:
        return self.object.get_absolute_url() if self.object is not None else None

    def breadcrumbs(self) -> list[tuple[str, str]]:
        """(label, url) pairs above the page, most general first."""
        return []

    def get_title(self) -> str:
        """The page's heading (and <title>); ``title`` unless it names the record."""
        return self.title

    def get_caption(self) -> str:
        """The line above the heading, e.g. the record the form is about."""
        return self.caption

    def get_context_data(self, **kwargs) -> dict:
        return {
            "object": self.object,
            "title": self.get_title(),
            "caption": self.get_caption(),
            "intro": self.intro,
            "submit_label": self.submit_label,
            "cancel_url": self.cancel_url(),
            "crumbs": self.breadcrumbs(),
            **kwargs,
        }

    def render(self, form, status: int = 200):
        return render(self.request, self.template_name, self.get_context_data(form=form), status=status)
