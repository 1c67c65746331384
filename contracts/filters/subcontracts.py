"""Filters of the sub-contract, evidence and service lists, and of the
compliance dashboard's matrix."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.template import Context
from django.template.base import render_value_in_context
from django.utils.functional import cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from contracts.compliance import Compliance, filter_compliance
from contracts.models import EvidenceStatus, EvidenceSubmission, HeadContract, Service, SubContract
from fedportal.clock import today as portal_today
from fedportal.widgets import DateInput
from localities.filters import search_practices, visible_localities

DATE_WIDGET = DateInput()
YES_NO = [("", "Either"), ("true", "Yes"), ("false", "No")]


def _services(request):
    return Service.objects.all()


class Select(forms.Select):
    """A ``<select>`` written in Python: exactly the HTML of Django's
    ``select.html`` and ``select_option.html``, without a template for each
    of two hundred localities' options. (Named ``Select`` as the ``field``
    template tag styles widgets by their class's name.)"""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                parts.append(f'\n  <optgroup label="{render_value_in_context(group_name, _CONTEXT)}">')
            parts.extend(
                f'\n  <option value="{conditional_escape(str(option["value"]))}"{_attrs(option["attrs"])}>'
                f"{render_value_in_context(option['label'], _CONTEXT)}</option>\n"
                for option in options
            )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


_CONTEXT = Context()  # autoescaped, as the form renderer's templates are


def _attrs(attrs) -> str:
    """As ``django/forms/widgets/attrs.html``: ``False`` left out, ``True`` a bare name."""
    return "".join(
        f" {name}" if value is True else f' {name}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class _RowsIterator(ModelChoiceIterator):
    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        if field.null_label is not None:
            yield (field.null_value, field.null_label)
        for obj in field.rows:
            yield self.choice(obj)

    def __len__(self):
        field = self.field
        return len(field.rows) + (field.empty_label is not None) + (field.null_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.rows)


class RowsOnceModelChoiceField(django_filters.fields.ModelChoiceField):
    """A model choice read once per form: the value chosen is checked
    against the rows its options are written from (one query, not one for
    the options and another for each value chosen)."""

    iterator = _RowsIterator
    widget = Select

    @cached_property
    def rows(self) -> list:
        return list(self.queryset)

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.__dict__.pop("rows", None)  # each form reads its own
        return copied

    def to_python(self, value):
        if value in self.empty_values or (self.null_label is not None and value == self.null_value):
            return super().to_python(value)
        self.validate_no_null_characters(value)
        key = self.to_field_name or "pk"
        model_field = (
            self.queryset.model._meta.pk if key == "pk" else self.queryset.model._meta.get_field(key)
        )
        try:
            if isinstance(value, self.queryset.model):
                value = getattr(value, key)
            wanted = model_field.to_python(value)
        except (ValueError, TypeError, ValidationError):
            wanted = None
        for obj in self.rows:
            if wanted is not None and getattr(obj, key) == wanted:
                return obj
        raise ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class ModelChoiceFilter(django_filters.ModelChoiceFilter):
    """``django_filters.ModelChoiceFilter`` with its choices read once."""

    field_class = RowsOnceModelChoiceField


class SubContractFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Practice name or ODS code")
    locality = ModelChoiceFilter(
        field_name="practice__locality", queryset=visible_localities, empty_label="All localities"
    )
    service = ModelChoiceFilter(queryset=_services, empty_label="All services")
    compliance = django_filters.ChoiceFilter(
        choices=Compliance.choices,
        method="filter_compliance",
        empty_label="Any compliance",
        label="Compliance",
    )
    active = django_filters.BooleanFilter(
        label="Active today", method="filter_active", widget=forms.Select(choices=YES_NO)
    )

    class Meta:
        model = SubContract
        fields = ["q", "locality", "service", "compliance", "active"]

    def search(self, queryset, name, value):
        return search_practices(queryset, "practice__", value)

    def filter_compliance(self, queryset, name, value):
        return filter_compliance(queryset, value, portal_today())

    def filter_active(self, queryset, name, value):
        if value is None:
            return queryset
        today = portal_today()
        if value:
            return queryset.active_on(today)
        return queryset.exclude(pk__in=SubContract.objects.active_on(today).values("pk"))


class ComplianceMatrixFilterSet(django_filters.FilterSet):
    """The dashboard's filter: which localities' practices (rows) and which
    services (columns). Applied to the active sub-contracts it counts."""

    locality = ModelChoiceFilter(
        field_name="practice__locality", queryset=visible_localities, empty_label="All localities"
    )
    service = ModelChoiceFilter(queryset=_services, empty_label="All services")

    class Meta:
        model = SubContract
        fields = ["locality", "service"]


class EvidenceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label="Practice name or ODS code")
    status = django_filters.ChoiceFilter(choices=EvidenceStatus.choices, empty_label="Any status")
    service = ModelChoiceFilter(
        field_name="subcontract__service", queryset=_services, empty_label="All services"
    )
    requirement = django_filters.CharFilter(
        field_name="requirement__name", lookup_expr="icontains", label="Evidence (e.g. indemnity)"
    )
    locality = ModelChoiceFilter(
        field_name="subcontract__practice__locality",
        queryset=visible_localities,
        empty_label="All localities",
    )
    valid_to_before = django_filters.DateFilter(
        field_name="valid_to", lookup_expr="lte", label="Valid to on or before", widget=DATE_WIDGET
    )
    expiring = django_filters.ChoiceFilter(
        choices=[("yes", "Expiring within 30 days, not yet replaced")],
        method="filter_expiring",
        empty_label="Any",
        label="Expiring",
    )

    class Meta:
        model = EvidenceSubmission
        fields = ["q", "status", "service", "requirement", "locality", "valid_to_before", "expiring"]

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_unreplaced(portal_today()) if value == "yes" else queryset

    def search(self, queryset, name, value):
        return search_practices(queryset, "subcontract__practice__", value)


class ServiceFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="Name")
    head_contract = ModelChoiceFilter(
        queryset=HeadContract.objects.select_related("commissioner"), empty_label="All head contracts"
    )
    archived = django_filters.BooleanFilter(label="Archived", widget=forms.Select(choices=YES_NO))

    class Meta:
        model = Service
        fields = ["q", "head_contract", "archived"]
