"""Pages of the localities app: localities and practices (lists with their
exports, and each one's page), the staff forms (a practice, a list size), and
the imports of NHS data files (upload, preview, confirm)."""

from copy import copy
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.views.generic import TemplateView

from fedportal.charts import Point, line_chart
from fedportal.clock import today
from fedportal.exports import ExportColumn
from fedportal.extensions import practice_sections
from fedportal.form_pages import FormPageView
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.permissions import RuleRequiredMixin, can_edit_records, can_run_imports, get_visible_or_404
from localities.filters import LocalityFilterSet, PracticeFilterSet
from localities.forms import ImportUploadForm, ListSizeForm, PopulationDateForm, PracticeForm
from localities.models import ImportRun, ImportStatus, ListSize, Locality, Practice, PracticeStatus
from localities.population import population_series
from localities.selectors import import_runs
from localities.services import (
    ImportAlreadyDecided,
    import_run_apply,
    import_run_preview,
    list_size_add,
    practice_save,
)
from localities.tables import LocalityTable, PracticeTable

STATUS_LABELS = dict(PracticeStatus.choices)
RECENT_IMPORTS = 20


def practice_list_url(**filters) -> str:
    """The practice list filtered as a figure linking to it was counted."""
    query = {name: value.isoformat() if isinstance(value, date) else value for name, value in filters.items()}
    return f"{reverse('localities:practice-list')}?{urlencode(query)}"


def _as_at(request) -> date:
    form = PopulationDateForm(request.GET or None)
    if form.is_bound and form.is_valid() and form.cleaned_data["as_at"]:
        return form.cleaned_data["as_at"]
    return today()


class LocalityListView(FilteredListView):
    filterset_class = LocalityFilterSet
    table_class = LocalityTable
    title = "Localities"
    export_filename = "localities"
    export_columns = [
        ExportColumn("Locality", "name", width=28),
        ExportColumn("Open practices", "practice_count", "int"),
        ExportColumn("Registered patients", "population", "int"),
    ]

    def get_queryset(self):
        self.as_at = _as_at(self.request)
        user = self.request.user
        return Locality.objects.visible_to(user).with_population(self.as_at, user=user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["date_form"] = PopulationDateForm(
            initial={"as_at": self.as_at}, data=self.request.GET or None
        )
        context["intro"] = (
            f"Registered patients at {self.as_at:%-d %B %Y}: the latest list size on or before "
            "that date of each practice open that day."
        )
        return context


class LocalityDetailView(LoginRequiredMixin, TemplateView):
    template_name = "localities/locality_detail.html"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return [("Localities", reverse("localities:locality-list"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        as_at = _as_at(self.request)
        # The locality with its population, in one query: the same sum as the
        # localities page (open on the day, not "status open today"), over the
        # practices this user may see.
        locality = (
            Locality.objects.visible_to(user)
            .with_population(as_at, user=user)
            .filter(slug=kwargs["slug"])
            .first()
        )
        if locality is None:
            # Missing or out of scope: 404, logged as such by get_visible_or_404.
            get_visible_or_404(self.request, Locality, slug=kwargs["slug"])
            raise Http404("No locality found.")  # it appeared since: as if it had not yet
        practices = Practice.objects.visible_to(user).filter(locality=locality)
        # Its member practices that day, as its population counts them (the
        # chart reads membership at each of its dates).
        table = PracticeTable(
            practices.members(on=as_at).for_table(as_at).with_status_on(as_at),
            exclude=("locality",),
            orderable=False,
        )
        series = population_series(practices, until=as_at)
        context.update(
            locality=locality,
            as_at=as_at,
            table=table,
            population=locality.population,
            open_practices_url=practice_list_url(locality=locality.pk, member="yes", status="open", on=as_at),
            members_url=practice_list_url(locality=locality.pk, member="yes", on=as_at),
            series=series,
            chart=line_chart(series, label=f"Registered patients in {locality.name} over time"),
            # A locality's history names its practices' changes: for those
            # who see every practice (a practice user sees only their own).
            history=history_for(locality, user=self.request.user)
            if self.request.user.sees_every_practice
            else None,
            can_edit=can_edit_records(self.request.user)[0],
        )
        return context


class PracticeListView(FilteredListView):
    filterset_class = PracticeFilterSet
    table_class = PracticeTable
    title = "Practices"
    intro = (
        "Status and membership are those of one day, read from the practices' dates: today, "
        "unless you choose another."
    )
    export_filename = "practices"
    export_columns = [
        ExportColumn("ODS code", "ods_code", width=10),
        ExportColumn("Practice", "name", width=40),
        ExportColumn("Locality", "locality__name", width=20),
        ExportColumn("Address", "address", width=40, display=lambda v: ", ".join((v or "").splitlines())),
        ExportColumn("Postcode", "postcode", width=10),
        # The status on the list's day (PracticeFilterSet.filter_queryset), as the page shows it.
        ExportColumn("Status", "status_on", display=lambda v: STATUS_LABELS.get(v, v)),
        ExportColumn("Open date", "open_date", "date"),
        ExportColumn("Close date", "close_date", "date"),
        ExportColumn("Shareholder", "is_shareholder", display=lambda v: "Yes" if v else "No"),
        ExportColumn("List size", "list_size", "int"),
        ExportColumn("List size as at", "list_size_at", "date"),
    ]

    def get_queryset(self):
        # Today's list size; the filters read it again for the day they choose.
        return Practice.objects.visible_to(self.request.user).for_table(today())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_edit_records(self.request.user)[0]:
            context["actions"] = [("Add a practice", reverse("localities:practice-create"))]
        return context


class PracticeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "localities/practice_detail.html"

    def breadcrumbs(self) -> list[tuple[str, str]]:
        crumbs = [("Practices", reverse("localities:practice-list"))]
        if locality := self.practice.locality:
            crumbs.append((locality.name, locality.get_absolute_url()))
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The practice with what its page shows (its locality, its list sizes
        # newest first), fetched once.
        self.practice = practice = get_visible_or_404(
            self.request,
            Practice.objects.select_related("locality")
            .list_size_on(today())
            .with_status_on(today())
            .prefetch_related(Prefetch("list_sizes", queryset=ListSize.objects.order_by("-as_at"))),
            ods_code=kwargs["ods_code"],
        )
        list_sizes = list(practice.list_sizes.all())
        # Every figure is listed; the chart, like "the list size", stops at
        # today: a figure dated later is not yet the practice's.
        series = [(ls.as_at, ls.registered_patients) for ls in reversed(list_sizes) if ls.as_at <= today()]
        context.update(
            practice=practice,
            list_sizes=list_sizes,
            today=today(),
            chart=line_chart(
                [Point(d, v) for d, v in series], label=f"Registered patients at {practice.name} over time"
            ),
            history=history_for(practice, user=self.request.user),
            # Other apps' sections (a PCN), at ?on=YYYY-MM-DD or today.
            sections=practice_sections(practice, user=self.request.user, query=self.request.GET)[2],
        )
        return context


class PracticeFormView(FormPageView):
    """Staff add a practice (no code in the address) or change one's details."""

    template_name = "localities/practice_form.html"
    form_class = PracticeForm
    rule = staticmethod(can_edit_records)
    submit_label = "Save practice"

    def get_object(self):
        if "ods_code" not in self.kwargs:
            return None
        return get_visible_or_404(self.request, Practice, ods_code=self.kwargs["ods_code"])

    def get_title(self) -> str:
        return f"Edit {self.object.name}" if self.object else "Add a practice"

    def get_form_kwargs(self) -> dict:
        return {"instance": self.object}

    def save(self, form):
        # The service changes a copy: when it refuses, the page still names
        # (and links back to) the practice as it is saved, not as typed.
        practice = copy(self.object) if self.object else None
        return practice_save(practice=practice, user=self.request.user, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"{saved.name} saved."

    def cancel_url(self) -> str:
        return self.object.get_absolute_url() if self.object else reverse("localities:practice-list")


class ListSizeCreateView(FormPageView):
    """Staff record a practice's registered patients at a date."""

    template_name = "localities/list_size_form.html"
    form_class = ListSizeForm
    rule = staticmethod(can_edit_records)
    title = "Add a list size"
    intro = "Figures are dated and kept: a new figure never replaces an old one."
    submit_label = "Record list size"

    def get_object(self):
        return get_visible_or_404(self.request, Practice, ods_code=self.kwargs["ods_code"])

    def get_caption(self) -> str:
        return f"{self.object.name} ({self.object.ods_code})"

    def save(self, form):
        return list_size_add(practice=self.object, user=self.request.user, **form.cleaned_data)

    def success_message(self, saved) -> str:
        return f"List size {saved.registered_patients:,} at {saved.as_at:%-d %B %Y} recorded."

    def success_url(self, saved) -> str:
        return self.object.get_absolute_url()


class ImportStartView(FormPageView):
    """Staff upload an NHS data file; its dry run is shown (the preview page)
    before anything is written."""

    template_name = "localities/import_start.html"
    form_class = ImportUploadForm
    rule = staticmethod(can_run_imports)
    title = "Import NHS data"
    submit_label = "Upload and preview"

    def get_form_kwargs(self) -> dict:
        return {"max_bytes": settings.IMPORT_MAX_UPLOAD_BYTES}

    def save(self, form):
        return import_run_preview(
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            commissioner=form.cleaned_data["commissioner"],
            user=self.request.user,
        )

    def success_url(self, saved) -> str:
        return reverse("localities:import-preview", args=[saved.pk])

    def get_context_data(self, **kwargs) -> dict:
        runs = import_runs(user=self.request.user)
        # The home page's "imports waiting to be confirmed" links here with ?status=previewed.
        waiting_only = self.request.GET.get("status") == ImportStatus.PREVIEWED
        # Every one waiting (few: each is confirmed or left within the day);
        # of the rest, the most recent.
        runs = runs.filter(status=ImportStatus.PREVIEWED) if waiting_only else runs[:RECENT_IMPORTS]
        return super().get_context_data(runs=runs, waiting_only=waiting_only, **kwargs)


class ImportPreviewView(RuleRequiredMixin, TemplateView):
    """An import's dry run, confirmed (POST) at most once; then what it did."""

    template_name = "localities/import_preview.html"
    rule = staticmethod(can_run_imports)

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return [("Import NHS data", reverse("localities:import-start"))]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run"] = get_object_or_404(import_runs(user=self.request.user), pk=kwargs["pk"])
        return context

    def post(self, request, pk):
        # The rows ticked of those the preview offered (left out: the others).
        included = set(request.POST.getlist("include")) if "choosing" in request.POST else None
        try:
            run = import_run_apply(run_id=pk, user=request.user, included=included)
        except ImportRun.DoesNotExist:
            raise Http404("No import found.") from None
        except ImportAlreadyDecided as refusal:
            messages.warning(request, str(refusal))
            return redirect("localities:import-preview", pk=pk)
        if run.status == "applied":
            result = run.result
            left_out = len(result.get("left_out", []))
            messages.success(
                request,
                f"Import applied: {result['created']:,} created, {result['updated']:,} updated, "
                f"{result['unchanged']:,} unchanged" + (f", {left_out:,} left out." if left_out else "."),
            )
        else:
            messages.error(request, "The import failed; nothing was written. See the problems below.")
        return redirect("localities:import-preview", pk=pk)
