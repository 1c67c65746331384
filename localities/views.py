from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fedportal.charts import Point, line_chart
from fedportal.clock import today
from fedportal.exports import ExportColumn
from fedportal.history import history_for
from fedportal.lists import FilteredListView
from fedportal.permissions import (
    RuleRequiredMixin,
    can_edit_records,
    can_run_imports,
    get_visible_or_404,
    require,
)
from localities.filters import LocalityFilterSet, PracticeFilterSet
from localities.forms import ImportUploadForm, ListSizeForm, PopulationDateForm, PracticeForm
from localities.models import ImportRun, Locality, Practice, PracticeStatus
from localities.population import population_series
from localities.services import ImportAlreadyDecided, import_run_apply, import_run_preview
from localities.tables import LocalityTable, PracticeTable

STATUS_LABELS = dict(PracticeStatus.choices)


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
        return Locality.objects.visible_to(user).with_population(
            self.as_at, practices=Practice.objects.visible_to(user)
        )

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

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        locality = get_visible_or_404(self.request, Locality, slug=kwargs["slug"])
        as_at = _as_at(self.request)
        practices = Practice.objects.visible_to(self.request.user).filter(locality=locality)
        table = PracticeTable(practices.for_table(as_at), exclude=("locality",), orderable=False)
        series = population_series(practices)
        # The same sum as the localities page (open on the day, not "status
        # open today"), over the practices this user may see.
        population = (
            Locality.objects.filter(pk=locality.pk)
            .with_population(as_at, practices=Practice.objects.visible_to(self.request.user))
            .values_list("population", flat=True)
            .get()
        )
        context.update(
            locality=locality,
            as_at=as_at,
            table=table,
            population=population,
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
    export_filename = "practices"
    export_columns = [
        ExportColumn("ODS code", "ods_code", width=10),
        ExportColumn("Practice", "name", width=40),
        ExportColumn("Locality", "locality__name", width=20),
        ExportColumn("Address", "address", width=40, display=lambda v: ", ".join((v or "").splitlines())),
        ExportColumn("Postcode", "postcode", width=10),
        ExportColumn("Status", "status", display=lambda v: STATUS_LABELS.get(v, v)),
        ExportColumn("Open date", "open_date", "date"),
        ExportColumn("Close date", "close_date", "date"),
        ExportColumn("Shareholder", "is_shareholder", display=lambda v: "Yes" if v else "No"),
        ExportColumn("List size", "list_size", "int"),
        ExportColumn("List size as at", "list_size_at", "date"),
    ]

    def get_queryset(self):
        return Practice.objects.visible_to(self.request.user).for_table()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if can_edit_records(self.request.user)[0]:
            context["actions"] = [("Add a practice", reverse("localities:practice-create"))]
        return context


class PracticeDetailView(LoginRequiredMixin, TemplateView):
    template_name = "localities/practice_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        practice = get_visible_or_404(self.request, Practice, ods_code=kwargs["ods_code"])
        list_sizes = list(practice.list_sizes.order_by("-as_at"))
        series = [(ls.as_at, ls.registered_patients) for ls in reversed(list_sizes)]
        context.update(
            practice=practice,
            list_sizes=list_sizes,
            chart=line_chart(
                [Point(d, v) for d, v in series], label=f"Registered patients at {practice.name} over time"
            ),
            history=history_for(practice, user=self.request.user),
            can_edit=can_edit_records(self.request.user)[0],
        )
        return context


class PracticeFormView(LoginRequiredMixin, View):
    template_name = "localities/practice_form.html"

    def get_practice(self):
        if "ods_code" not in self.kwargs:
            return None
        return get_visible_or_404(self.request, Practice, ods_code=self.kwargs["ods_code"])

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Scope first: another practice's edit page is 404 like a missing
            # one, so a refusal (403) never confirms that a code exists.
            self.practice = self.get_practice()
            require(can_edit_records(request.user), request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, **kwargs):
        return self.render(PracticeForm(instance=self.practice), self.practice)

    def post(self, request, **kwargs):
        practice = self.practice
        form = PracticeForm(request.POST, instance=practice)
        if form.is_valid():
            with transaction.atomic():
                saved = form.save()
            messages.success(request, f"{saved.name} saved.")
            return redirect(saved)
        return self.render(form, practice, status=400)

    def render(self, form, practice, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "form": form,
                "practice": practice,
                "title": f"Edit {practice.name}" if practice else "Add a practice",
            },
            status=status,
        )


class ListSizeCreateView(LoginRequiredMixin, View):
    template_name = "localities/list_size_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            # Scope first (404), then the action (403): see PracticeFormView.
            self.practice = get_visible_or_404(request, Practice, ods_code=kwargs["ods_code"])
            require(can_edit_records(request.user), request)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, ods_code):
        practice = self.practice
        return render(
            request, self.template_name, {"form": ListSizeForm(practice=practice), "practice": practice}
        )

    def post(self, request, ods_code):
        practice = self.practice
        form = ListSizeForm(request.POST, practice=practice)
        if form.is_valid():
            with transaction.atomic():
                list_size = form.save()
            messages.success(
                request,
                f"List size {list_size.registered_patients:,} at {list_size.as_at:%-d %B %Y} recorded.",
            )
            return redirect(practice)
        return render(request, self.template_name, {"form": form, "practice": practice}, status=400)


class ImportStartView(RuleRequiredMixin, View):
    template_name = "localities/import_start.html"
    rule = staticmethod(can_run_imports)

    def form(self, data=None, files=None):
        return ImportUploadForm(data, files, max_bytes=settings.IMPORT_MAX_UPLOAD_BYTES)

    def get(self, request):
        return self.render(self.form())

    def post(self, request):
        form = self.form(request.POST, request.FILES)
        if not form.is_valid():
            return self.render(form, status=400)
        run = import_run_preview(
            upload=form.cleaned_data["file"],
            kind=form.cleaned_data["kind"],
            commissioner=form.cleaned_data["commissioner"],
            user=request.user,
        )
        return redirect("localities:import-preview", pk=run.pk)

    def render(self, form, status=200):
        runs = ImportRun.objects.select_related("uploaded_by", "applied_by")[:20]
        return render(self.request, self.template_name, {"form": form, "runs": runs}, status=status)


class ImportPreviewView(RuleRequiredMixin, View):
    template_name = "localities/import_preview.html"
    rule = staticmethod(can_run_imports)

    def get(self, request, pk):
        run = get_object_or_404(ImportRun.objects.select_related("uploaded_by", "applied_by"), pk=pk)
        return render(request, self.template_name, {"run": run})

    def post(self, request, pk):
        get_object_or_404(ImportRun, pk=pk)
        try:
            run = import_run_apply(run_id=pk, user=request.user)
        except ImportAlreadyDecided as refusal:
            messages.warning(request, str(refusal))
            return redirect("localities:import-preview", pk=pk)
        if run.status == "applied":
            result = run.result
            messages.success(
                request,
                f"Import applied: {result['created']:,} created, {result['updated']:,} updated, "
                f"{result['unchanged']:,} unchanged.",
            )
        else:
            messages.error(request, "The import failed; nothing was written. See the problems below.")
        return redirect("localities:import-preview", pk=pk)
