"""Tables of sub-contracts, evidence submissions and services."""

import django_tables2 as tables

from contracts.compliance import TAGS, compliance_label
from contracts.models import EvidenceStatus, EvidenceSubmission, Service, SubContract
from fedportal.tables import MoneyColumn, NumberColumn, WhenColumn, tag

EVIDENCE_TAGS = {
    EvidenceStatus.PENDING: "nhsuk-tag--blue",
    EvidenceStatus.ACCEPTED: "nhsuk-tag--green",
    EvidenceStatus.REJECTED: "nhsuk-tag--red",
}


def compliance_tag(value: str) -> str:
    return tag(TAGS.get(value, ""), compliance_label(value))


def evidence_status_tag(submission: EvidenceSubmission) -> str:
    return tag(EVIDENCE_TAGS.get(submission.status, ""), submission.get_status_display())


class SubContractTable(tables.Table):
    practice = tables.Column(
        "Practice",
        accessor="practice__name",
        order_by=("practice__name",),
        linkify=lambda record: record.get_absolute_url(),
    )
    ods_code = tables.Column("ODS code", accessor="practice__ods_code")
    locality = tables.Column(
        "Locality", accessor="practice__locality__name", order_by=("practice__locality__name",), default="—"
    )
    service = tables.Column("Service", accessor="service__name", order_by=("service__name",))
    start_date = tables.DateColumn(verbose_name="Start", short=True)
    end_date = tables.DateColumn(verbose_name="End", short=True, default="Open-ended")
    compliance = tables.Column("Compliance", order_by=("compliance_rank",))

    class Meta:
        model = SubContract
        fields = ["practice", "ods_code", "locality", "service", "start_date", "end_date", "compliance"]
        order_by = ("practice",)
        empty_text = "No sub-contracts match these filters."

    def render_compliance(self, value):
        return compliance_tag(value)


class EvidenceTable(tables.Table):
    practice = tables.Column(
        "Practice", accessor="subcontract__practice__name", order_by=("subcontract__practice__name",)
    )
    service = tables.Column("Service", accessor="subcontract__service__name")
    requirement = tables.Column(
        "Evidence",
        accessor="requirement__name",
        order_by=("requirement__name",),
        linkify=lambda record: record.get_absolute_url(),
    )
    clinician = tables.Column("Clinician", accessor="clinician__name", default="—")
    version = NumberColumn("Version")
    description = tables.Column("What it is")
    valid_to = tables.DateColumn(verbose_name="Valid to", short=True, default="No expiry")
    status = tables.Column("Status")
    submitted_at = WhenColumn(verbose_name="Submitted")

    class Meta:
        model = EvidenceSubmission
        fields = [
            "practice",
            "service",
            "requirement",
            "clinician",
            "version",
            "description",
            "valid_to",
            "status",
            "submitted_at",
        ]
        order_by = ("-submitted_at",)
        empty_text = "No evidence matches these filters."

    def render_status(self, record):
        return evidence_status_tag(record)


class ServiceTable(tables.Table):
    name = tables.Column("Service", linkify=True)
    head_contract = tables.Column("Head contract", accessor="head_contract__title")
    commissioner = tables.Column("Commissioner", accessor="head_contract__commissioner__name")
    unit = tables.Column("Unit")
    unit_price = MoneyColumn("Tariff today", default="—")
    active_subcontracts = NumberColumn("Active sub-contracts")

    class Meta:
        model = Service
        fields = ["name", "head_contract", "commissioner", "unit", "unit_price", "active_subcontracts"]
        order_by = ("name",)
        empty_text = "No services match these filters."
