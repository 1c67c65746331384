"""The one list-page pattern: a FilterSet, a django-tables2 Table, pagination,
and ``?_export=xlsx|csv`` of exactly the filtered, sorted rows."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from fedportal.exports import ExportColumn, csv_response, queryset_rows, xlsx_response
from fedportal.tables import configure

EXPORT_FORMATS = ("xlsx", "csv")


class FilteredListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """Subclasses set ``model``-free ``filterset_class``, ``table_class``,
    ``export_columns``, ``export_filename``, ``title`` and ``get_queryset``."""

    template_name = "fedportal/list.html"
    # The table paginates; Django's MultipleObjectMixin must not (it would
    # count the rows a second time).
    paginate_by = None
    rows_per_page = 50
    title = ""
    intro = ""
    export_columns: list[ExportColumn] = []
    export_filename = "export"

    def get(self, request, *args, **kwargs):
        export_format = request.GET.get("_export")
        if export_format in EXPORT_FORMATS and self.export_columns:
            return self.export(export_format)
        return super().get(request, *args, **kwargs)

    def filtered_queryset(self):
        filterset = self.get_filterset(self.get_filterset_class())
        if filterset.is_bound and not filterset.is_valid():
            return filterset.queryset.none()
        return filterset.qs

    def export(self, export_format: str):
        # Sort as the table on screen does, so the file matches the page.
        table = self.get_table_class()(self.filtered_queryset())
        RequestConfig(self.request, paginate=False).configure(table)
        rows = queryset_rows(table.data.data, self.export_columns)
        if export_format == "csv":
            return csv_response(rows, self.export_columns, filename=self.export_filename)
        return xlsx_response(rows, self.export_columns, filename=self.export_filename, title=self.title)

    def get_table(self, **kwargs):
        table = self.get_table_class()(data=self.get_table_data(), **kwargs)
        return configure(table, self.request, self.rows_per_page)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(title=self.title, intro=self.intro, exportable=bool(self.export_columns))
        return context
