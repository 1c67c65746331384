import django_tables2 as tables

from fedportal.tables import NumberColumn, tag
from localities.models import Locality, Practice, PracticeStatus

STATUS_TAGS = {
    PracticeStatus.OPEN: "nhsuk-tag--green",
    PracticeStatus.DORMANT: "nhsuk-tag--yellow",
    PracticeStatus.CLOSED: "nhsuk-tag--grey",
    PracticeStatus.PROPOSED: "nhsuk-tag--blue",
}


def status_tag(status: str, label: str) -> str:
    return tag(STATUS_TAGS.get(status, ""), label)


class PracticeTable(tables.Table):
    ods_code = tables.Column("ODS code", linkify=True)
    # ODS code breaks ties: many practices share a name, and pages must not overlap.
    name = tables.Column("Practice", linkify=True, order_by=("name", "ods_code"))
    locality = tables.Column(linkify=True, order_by=("locality__name",))
    postcode = tables.Column()
    status = tables.Column()
    list_size = NumberColumn("List size", order_by=("list_size", "ods_code"))
    list_size_at = tables.DateColumn(verbose_name="As at", short=True)

    class Meta:
        model = Practice
        fields = ["ods_code", "name", "locality", "postcode", "status", "list_size", "list_size_at"]
        order_by = ("name",)
        empty_text = "No practices match these filters."

    def render_status(self, record):
        return status_tag(record.status, record.get_status_display())


class LocalityTable(tables.Table):
    name = tables.Column("Locality", linkify=True)
    practice_count = NumberColumn("Open practices")
    population = NumberColumn("Registered patients")

    class Meta:
        model = Locality
        fields = ["name", "practice_count", "population"]
        order_by = ("name",)
        empty_text = "No localities."
