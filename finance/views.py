"""The finance pages under /finance/: the overview, seed 001's Tables 1 and
2 (filterable, exported as xlsx), a line's figures and history, shared costs
and their splits, the transformation fund's fees, the shop rate. Views hold
no query of their own: reads are ``finance.selectors``, writes
``finance.services``, forms pages ``FormPageView``."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from fedportal import clock
from fedportal.charts import Series, bar_chart
from fedportal.form_pages import FormPageView
from fedportal.history import history_for
from fedportal.periods import financial_year_label
from fedportal.permissions import RuleRequiredMixin, get_visible_or_404
from finance import selectors, services
from finance.forms import (
    FigureForm,
    FinanceImportForm,
    FinanceSettingsForm,
    LineForm,
    PerPatientFundingForm,
    ProjectForm,
    ProjectUpdateForm,
    SharedCostForm,
    ShopRateForm,
    TableFilterForm,
)
from finance.models import (
    Figure,
    FinanceImport,
    FinanceSettings,
    Line,
    PerPatientFunding,
    SharedCost,
    ShopRate,
    TransformationProject,
)
from finance.permissions import can_edit_finance, can_read_finance
from finance.workbook import export_workbook
from finance.xlsx import CONTENT_TYPE, split_response, summary_table_response

OVERVIEW = ("Finance", "/finance/")


class FinancePage(RuleRequiredMixin, TemplateView):
    """A page every board member and staff member may read."""

    rule = staticmethod(can_read_finance)
    title = ""

    def breadcrumbs(self) -> list[tuple[str, str]]:
        return [(OVERVIEW[0], reverse("finance:overview"))]

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, crumbs=self.breadcrumbs(), **kwargs)


@dataclass
class Chart:
    """A chart and the table of its figures (for screen readers, and anyone
    who wants the numbers): ``rows`` are (category, [figures])."""

    caption: str
    svg: str
    headers: list[str]
    rows: list[tuple[str, list]]


def overview_charts(summary: selectors.Overview) -> list[Chart]:
    """The overview's charts, as the board report prints them: this year and
    next against plan, net income and expenses by year, and net income by
    commissioner by year."""
    charts = []
    years = summary.years
    labels = [y.label for y in years]
    plan_series = [
        Series("Income forecast", [y.income for y in years]),
        Series("Income plan", [y.income_plan for y in years], "#41b6e6"),
        Series("Expenditure forecast", [y.expenditure for y in years], "#ffb81c"),
        Series("Expenditure plan", [y.expenditure_plan for y in years], "#ed8b00"),
    ]
    caption = "Income and expenditure against plan"
    charts.append(
        Chart(
            caption,
            bar_chart(labels, plan_series, label=caption),
            [s.name for s in plan_series],
            [(label, [s.values[i] for s in plan_series]) for i, label in enumerate(labels)],
        )
    )
    if summary.history:
        history_labels = [financial_year_label(year) for year, _, _ in summary.history]
        history = [
            Series("Net income", [income for _, income, _ in summary.history]),
            Series("Expenses", [spend for _, _, spend in summary.history], "#ffb81c"),
        ]
        caption = "Net income and expenses by financial year"
        charts.append(
            Chart(
                caption,
                bar_chart(history_labels, history, label=caption),
                [s.name for s in history],
                [(label, [s.values[i] for s in history]) for i, label in enumerate(history_labels)],
            )
        )
        by_commissioner = [
            Series(name, [amounts.get(year, 0) for year, _, _ in summary.history])
            for name, amounts in summary.income_by_commissioner.items()
        ]
        caption = "Net income by commissioner and financial year"
        charts.append(
            Chart(
                caption,
                bar_chart(history_labels, by_commissioner, label=caption, stacked=True),
                [s.name for s in by_commissioner],
                [(label, [s.values[i] for s in by_commissioner]) for i, label in enumerate(history_labels)],
            )
        )
    return charts


class OverviewView(FinancePage):
    template_name = "finance/overview.html"
    title = "Finance"

    def breadcrumbs(self):
        return []

    def get_context_data(self, **kwargs):
        summary = selectors.overview(user=self.request.user, today=clock.today())
        return super().get_context_data(summary=summary, charts=overview_charts(summary), **kwargs)


class SummaryTableView(FinancePage):
    """Table 1 or Table 2, filtered by years and basis; ``?_export=xlsx``
    downloads exactly what the page shows."""

    template_name = "finance/summary_table.html"
    selector = None
    filename = ""
    with_commissioner = True
    intro = ""

    def get(self, request, *args, **kwargs):
        years = selectors.figure_years(user=request.user)
        form = TableFilterForm(request.GET or None, years=years)
        table_filter = selectors.TableFilter()
        if form.is_bound and form.is_valid():
            data = form.cleaned_data
            commissioner = request.GET.get("commissioner", "")
            table_filter = selectors.TableFilter(
                data["first_year"],
                data["last_year"],
                tuple(data["basis"]) or selectors.ALL_BASES,
                int(commissioner) if commissioner.isdigit() else None,
            )
        table = type(self).selector(user=request.user, table_filter=table_filter)
        if request.GET.get("_export") == "xlsx" and (not form.is_bound or form.is_valid()):
            return summary_table_response(table, title=self.title, filename=self.filename)
        context = self.get_context_data(
            form=form, table=table, intro=self.intro, with_commissioner=self.with_commissioner
        )
        return self.render_to_response(context, status=400 if form.errors else 200)


class Table1View(SummaryTableView):
    title = "Income streams and cost savings"
    intro = (
        "Gross contract value secured, by income stream, commissioner and financial year (seed 001, Table 1)."
    )
    selector = staticmethod(selectors.income_streams_table)
    filename = "income-streams"


class Table2View(SummaryTableView):
    title = "Income and expenditure summary"
    intro = "The federation's net income by line and financial year, its expenses, and the surplus or deficit (seed 001, Table 2)."
    selector = staticmethod(selectors.income_and_expenditure_table)
    filename = "income-and-expenditure"
    with_commissioner = False


class LineDetailView(FinancePage):
    template_name = "finance/line_detail.html"

    def get_context_data(self, **kwargs):
        line = get_visible_or_404(
            self.request,
            Line.objects.select_related("commissioner", "contract", "service"),
            pk=self.kwargs["pk"],
        )
        figures = list(
            Figure.objects.visible_to(self.request.user).filter(line=line).order_by("year", "kind")
        )
        self.title = line.name
        return super().get_context_data(
            line=line, figures=figures, history=history_for(line, user=self.request.user), **kwargs
        )


class LineFormView(FormPageView):
    form_class = LineForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True

    def get_object(self):
        if "pk" in self.kwargs:
            return get_visible_or_404(self.request, Line.objects.all(), pk=self.kwargs["pk"])
        return None

    def get_title(self):
        return f"Change {self.object.name}" if self.object else "Add a finance line"

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def save(self, form):
        return services.line_save(user=self.request.user, line=self.object, **form.cleaned_data)

    def success_message(self, saved):
        return f"{saved.name} saved."

    def breadcrumbs(self):
        return [OVERVIEW]


class FigureFormView(FormPageView):
    """Add a line's figure for a year, or change one."""

    form_class = FigureForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True
    error_renames = {"line": None}

    def get_object(self):
        if "figure_pk" in self.kwargs:
            self.figure = get_visible_or_404(
                self.request,
                Figure.objects.select_related("line"),
                pk=self.kwargs["figure_pk"],
                line_id=self.kwargs["pk"],
            )
            return self.figure.line
        self.figure = None
        return get_visible_or_404(self.request, Line.objects.all(), pk=self.kwargs["pk"])

    def get_title(self):
        return f"Change the {self.figure.year_label} figure" if self.figure else "Add a figure"

    def get_caption(self):
        return self.object.name

    def get_form_kwargs(self):
        return {"instance": self.figure} if self.figure else {}

    def save(self, form):
        return services.figure_save(
            user=self.request.user, line=self.object, figure=self.figure, **form.cleaned_data
        )

    def success_message(self, saved):
        return f"{saved} saved."

    def breadcrumbs(self):
        return [OVERVIEW, (self.object.name, self.object.get_absolute_url())]


class SettingsFormView(FormPageView):
    form_class = FinanceSettingsForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True
    title = "Finance settings"

    def get_form_kwargs(self):
        return {"instance": FinanceSettings.load()}

    def save(self, form):
        return services.finance_settings_save(user=self.request.user, **form.cleaned_data)

    def success_message(self, saved):
        return "Settings saved."

    def success_url(self, saved):
        return reverse("finance:overview")

    def cancel_url(self):
        return reverse("finance:overview")


class SharedCostListView(FinancePage):
    template_name = "finance/shared_cost_list.html"
    title = "Shared costs"

    def get_context_data(self, **kwargs):
        return super().get_context_data(shared_costs=selectors.shared_costs(user=self.request.user), **kwargs)


class SharedCostDetailView(FinancePage):
    """The split of a shared cost: the table, the working, the xlsx."""

    template_name = "finance/shared_cost_detail.html"

    def get(self, request, *args, **kwargs):
        self.shared_cost = get_visible_or_404(
            request, SharedCost.objects.select_related("contract", "published_by"), pk=kwargs["pk"]
        )
        self.split = selectors.shared_cost_split(user=request.user, shared_cost=self.shared_cost)
        if request.GET.get("_export") == "xlsx":
            return split_response(self.split, filename=f"shared-cost-{self.shared_cost.pk}")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        self.title = self.shared_cost.title
        return super().get_context_data(shared_cost=self.shared_cost, split=self.split, **kwargs)

    def breadcrumbs(self):
        return [OVERVIEW, ("Shared costs", reverse("finance:shared-cost-list"))]


class SharedCostFormView(FormPageView):
    form_class = SharedCostForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True

    def get_object(self):
        if "pk" in self.kwargs:
            return get_visible_or_404(self.request, SharedCost.objects.all(), pk=self.kwargs["pk"])
        return None

    def get_title(self):
        return f"Change {self.object.title}" if self.object else "Add a shared cost"

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def save(self, form):
        return services.shared_cost_save(user=self.request.user, shared_cost=self.object, **form.cleaned_data)

    def success_message(self, saved):
        return f"{saved.title} saved."

    def breadcrumbs(self):
        return [OVERVIEW, ("Shared costs", reverse("finance:shared-cost-list"))]


class SharedCostPublishView(RuleRequiredMixin, View):
    """Freeze a draft split for the board (POST only)."""

    rule = staticmethod(can_edit_finance)

    def post(self, request, pk):
        shared_cost = get_visible_or_404(request, SharedCost.objects.all(), pk=pk)
        try:
            services.shared_cost_publish(user=request.user, shared_cost=shared_cost)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"{shared_cost.title} published: its split is frozen.")
        return redirect(shared_cost.get_absolute_url())


class FeesView(FinancePage):
    template_name = "finance/fees.html"
    title = "Transformation fund fees"

    def get_context_data(self, **kwargs):
        user = self.request.user
        chosen = self.request.GET.get("shared_cost", "")
        shared_cost = None
        if chosen.isdigit():
            shared_cost = get_visible_or_404(self.request, SharedCost.objects.all(), pk=int(chosen))
        else:
            shared_cost = selectors.default_shared_cost(user=user)
        fees = selectors.transformation_fees(user=user, shared_cost=shared_cost)
        return super().get_context_data(fees=fees, shared_cost=shared_cost, **kwargs)


class ProjectDetailView(FinancePage):
    template_name = "finance/project_detail.html"

    def get_context_data(self, **kwargs):
        project = get_visible_or_404(
            self.request,
            TransformationProject.objects.select_related("locality").prefetch_related(
                "contracts", "updates__author"
            ),
            pk=self.kwargs["pk"],
        )
        self.title = project.title
        return super().get_context_data(project=project, **kwargs)

    def breadcrumbs(self):
        return [OVERVIEW, ("Transformation fund fees", reverse("finance:fees"))]


class ProjectFormView(FormPageView):
    """Add a transformation-fund project, or change one."""

    template_name = "finance/project_form.html"
    form_class = ProjectForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True

    def get_object(self):
        if "pk" in self.kwargs:
            return get_visible_or_404(self.request, TransformationProject.objects.all(), pk=self.kwargs["pk"])
        return None

    def get_title(self):
        return f"Change {self.object.title}" if self.object else "Add a transformation-fund project"

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def save(self, form):
        return services.project_save(user=self.request.user, project=self.object, **form.cleaned_data)

    def success_message(self, saved):
        return f"{saved.title} saved."

    def cancel_url(self):
        return self.object.get_absolute_url() if self.object else reverse("finance:fees")

    def breadcrumbs(self):
        return [OVERVIEW, ("Transformation fund fees", reverse("finance:fees"))]


class PerPatientFundingFormView(FormPageView):
    """Add funding of an amount per registered patient, or change it."""

    form_class = PerPatientFundingForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True

    def get_object(self):
        if "pk" in self.kwargs:
            return get_visible_or_404(self.request, PerPatientFunding.objects.all(), pk=self.kwargs["pk"])
        return None

    def get_title(self):
        return f"Change {self.object.title}" if self.object else "Add per-patient funding"

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def save(self, form):
        return services.per_patient_funding_save(
            user=self.request.user, funding=self.object, **form.cleaned_data
        )

    def success_message(self, saved):
        return f"{saved.title} saved."

    def success_url(self, saved):
        return reverse("finance:shop-rate")

    def cancel_url(self):
        return reverse("finance:shop-rate")

    def breadcrumbs(self):
        return [OVERVIEW, ("Shop rate and per-patient funding", reverse("finance:shop-rate"))]


class ProjectUpdateFormView(FormPageView):
    form_class = ProjectUpdateForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True
    title = "Add a progress update"

    def get_object(self):
        return get_visible_or_404(self.request, TransformationProject.objects.all(), pk=self.kwargs["pk"])

    def get_caption(self):
        return self.object.title

    def save(self, form):
        return services.project_update_add(user=self.request.user, project=self.object, **form.cleaned_data)

    def success_message(self, saved):
        return "Update added."

    def success_url(self, saved):
        return self.object.get_absolute_url()


class ShopRateView(FinancePage):
    """The shop rate with its working, and per-patient funding at its date."""

    template_name = "finance/shop_rate.html"
    title = "Shop rate and per-patient funding"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            shop_rates=list(selectors.shop_rates(user=user)),
            per_patient=selectors.per_patient_funding(user=user),
            **kwargs,
        )


class ShopRateFormView(FormPageView):
    form_class = ShopRateForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True

    def get_object(self):
        if "pk" in self.kwargs:
            return get_visible_or_404(self.request, ShopRate.objects.all(), pk=self.kwargs["pk"])
        return None

    def get_title(self):
        return f"Change the {self.object.year_label} shop rate" if self.object else "Add a shop rate"

    def get_form_kwargs(self):
        return {"instance": self.object} if self.object else {}

    def save(self, form):
        return services.shop_rate_save(user=self.request.user, shop_rate=self.object, **form.cleaned_data)

    def success_message(self, saved):
        return f"Shop rate {saved.year_label} saved: £{saved.rate:,.2f} an hour."

    def cancel_url(self):
        return reverse("finance:shop-rate")


# The finance workbook: export, upload, preview, confirm -------------------------------------------


class WorkbookExportView(RuleRequiredMixin, View):
    """Every finance input in the import template (as ``manage.py export_finance``)."""

    rule = staticmethod(can_read_finance)

    def get(self, request):
        response = HttpResponse(export_workbook(), content_type=CONTENT_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="finance-figures-{clock.today():%Y-%m-%d}.xlsx"'
        )
        return response


class ImportStartView(FormPageView):
    """Staff upload the finance workbook; its dry run is shown (the preview
    page) before anything is written."""

    template_name = "finance/import_start.html"
    form_class = FinanceImportForm
    rule = staticmethod(can_edit_finance)
    refuse_first = True
    title = "Import finance figures"
    submit_label = "Upload and preview"

    def save(self, form):
        return services.finance_import_preview(user=self.request.user, upload=form.cleaned_data["file"])

    def cancel_url(self):
        return reverse("finance:overview")

    def breadcrumbs(self):
        return [OVERVIEW]

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            imports=selectors.finance_imports(user=self.request.user)[:10], **kwargs
        )


class ImportPreviewView(RuleRequiredMixin, TemplateView):
    """An import's dry run, confirmed (POST) at most once; then what it did."""

    template_name = "finance/import_preview.html"
    rule = staticmethod(can_edit_finance)

    def get_context_data(self, **kwargs):
        run = get_visible_or_404(
            self.request,
            FinanceImport.objects.select_related("uploaded_by", "applied_by"),
            pk=self.kwargs["pk"],
        )
        return super().get_context_data(
            run=run,
            title=f"Import {run.original_name}",
            crumbs=[OVERVIEW, ("Import finance figures", reverse("finance:import-start"))],
            **kwargs,
        )

    def post(self, request, pk):
        try:
            run = services.finance_import_apply(user=request.user, run_id=pk)
        except FinanceImport.DoesNotExist:
            raise Http404("No import found.") from None
        except services.ImportAlreadyDecided as refusal:
            messages.warning(request, str(refusal))
            return redirect("finance:import-preview", pk=pk)
        if run.status == "applied":
            result = run.result
            messages.success(
                request,
                f"Import applied: {result['created']:,} figures added, {result['updated']:,} changed, "
                f"{result['unchanged']:,} unchanged.",
            )
        else:
            messages.error(
                request,
                "The import failed; nothing was written. The figures changed since the preview: see below.",
            )
        return redirect("finance:import-preview", pk=pk)
