import django_tables2 as tables
from django.db.models import F

from fedportal.tables import NumberColumn, tag
from localities.models import Locality, Practice, PracticeStatus

STATUS_TAGS = {
    PracticeStatus.OPEN: "nhsuk-tag--green",
    PracticeStatus.DORMANT: "nhsuk-tag--yellow",
    PracticeStatus.CLOSED: "nhsuk-tag--grey",
    PracticeStatus.PROPOSED: "nhsuk-tag--blue",
}


STATUS_LABELS = dict(PracticeStatus.choices)


def nulls_last(queryset, name: str, is_descending: bool):
    """Order by ``name`` with blanks last either way: PostgreSQL puts NULLs
    first when sorting descending, so "largest first" would open on practices
    with no figure. The ODS code breaks ties, so pages never overlap."""
    field = F(name)
    order = field.desc(nulls_last=True) if is_descending else field.asc(nulls_last=True)
    return queryset.order_by(order, "ods_code")


def status_tag(status: str, label: str) -> str:
    return tag(STATUS_TAGS.get(status, ""), label)


class PracticeTable(tables.Table):
    ods_code = tables.Column("ODS code", linkify=True)
    # ODS code breaks ties: many practices share a name, and pages must not overlap.
    name = tables.Column("Practice", linkify=True, order_by=("name", "ods_code"))
    locality = tables.Column(linkify=True, order_by=("locality__name",))
    postcode = tables.Column()
    status = tables.Column()
    list_size = NumberColumn("List size")
    list_size_at = tables.DateColumn(verbose_name="As at", short=True)

    class Meta:
        model = Practice
        fields = ["ods_code", "name", "locality", "postcode", "status", "list_size", "list_size_at"]
        order_by = ("name",)
        empty_text = "No practices match these filters."

    def render_status(self, record):
        # The status on the list's day when the rows carry it
        # (PracticeQuerySet.with_status_on), else the file's.
        status = getattr(record, "status_on", None) or record.status
        return status_tag(status, STATUS_LABELS.get(status, status))

    def order_status(self, queryset, is_descending):
        field = "status_on" if "status_on" in queryset.query.annotations else "status"
        return queryset.order_by(f"-{field}" if is_descending else field, "ods_code"), True

    def order_list_size(self, queryset, is_descending):
        return nulls_last(queryset, "list_size", is_descending), True

    def order_list_size_at(self, queryset, is_descending):
        return nulls_last(queryset, "list_size_at", is_descending), True


class LocalityTable(tables.Table):
    name = tables.Column("Locality", linkify=True)
    practice_count = NumberColumn("Open practices")
    population = NumberColumn("Registered patients")

    class Meta:
        model = Locality
        fields = ["name", "practice_count", "population"]
        order_by = ("name",)
        empty_text = "No localities."
