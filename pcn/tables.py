"""The table of networks; its rows come from ``PCN.objects.for_table``."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html

from fedportal.tables import NumberColumn, tag
from pcn.models import PCN, RegistrationStatus

STATUS_TAGS = {
    RegistrationStatus.DRAFT: "nhsuk-tag--grey",
    RegistrationStatus.SUBMITTED: "nhsuk-tag--blue",
    RegistrationStatus.APPROVED: "nhsuk-tag--green",
    RegistrationStatus.APPROVED_WITH_EXCEPTION: "nhsuk-tag--green",
    RegistrationStatus.RETURNED: "nhsuk-tag--orange",
}
STATUS_LABELS = dict(RegistrationStatus.choices)


def registration_tag(status: str | None) -> str:
    if not status:
        return tag("nhsuk-tag--white", "Not started")
    return tag(STATUS_TAGS.get(status, ""), STATUS_LABELS.get(status, status))


class PCNTable(tables.Table):
    code = tables.Column("PCN code")
    name = tables.Column("Network", linkify=True)
    ccg_code = tables.Column("CCG")
    member_count = NumberColumn("Members")
    population = NumberColumn("Population")
    registration_status = tables.Column("Registration", empty_values=())
    clinical_director_name = tables.Column("Clinical director", default="—")

    class Meta:
        model = PCN
        fields = [
            "code",
            "name",
            "ccg_code",
            "member_count",
            "population",
            "registration_status",
            "clinical_director_name",
        ]
        order_by = ("name",)
        empty_text = "No networks match these filters."

    def render_registration_status(self, value, record):
        if record.registration_id:
            return format_html(
                '<a href="{}">{}</a>',
                reverse("pcn:registration-detail", args=[record.registration_id]),
                registration_tag(value),
            )
        return registration_tag(value)
