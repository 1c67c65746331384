"""Helpers the contracts tests share (conftest.py holds the fixtures)."""

import io
from datetime import date
from decimal import Decimal

from contracts.models import (
    Contract,
    ContractDocument,
    EvidenceDecision,
    EvidenceStatus,
    EvidenceSubmission,
    Organisation,
)
from contracts.services.returns import return_decide, return_submit
from fedportal.periods import Quarter
from tests.contracts.conftest import PDF_BYTES

Q2 = Quarter(2018, 2)
Q3 = Quarter(2018, 3)


def make_return(subcontract, user, *, quarter=Q3, units=(40,), approved_by=None, notes="", amends=None):
    """Submit a return through the service layer, and approve it when ``approved_by`` is given."""
    activity_return = return_submit(
        subcontract=subcontract, quarter=quarter, units=list(units), notes=notes, user=user, amends=amends
    )
    if approved_by is not None:
        activity_return = return_decide(return_id=activity_return.pk, approve=True, user=approved_by)
    return activity_return


def make_evidence(
    subcontract,
    requirement,
    by,
    *,
    status="pending",
    valid_to=None,
    valid_from=None,
    clinician=None,
    description="Certificate",
    submitted_at=None,
):
    """A submission written straight to the database, as its next version,
    with the decision behind a status other than pending (the pages that
    make these are tested elsewhere)."""
    version = (
        EvidenceSubmission.objects.filter(
            subcontract=subcontract, requirement=requirement, clinician=clinician
        ).count()
        + 1
    )
    submission = EvidenceSubmission.objects.create(
        subcontract=subcontract,
        requirement=requirement,
        clinician=clinician,
        version=version,
        file=f"evidence/test-{subcontract.pk}-{requirement.pk}-{version}.pdf",
        original_name="certificate.pdf",
        content_type="application/pdf",
        size=100,
        sha256="0" * 64,
        description=description,
        valid_from=valid_from,
        valid_to=valid_to,
        status=status,
        submitted_by=by,
    )
    if submitted_at:
        EvidenceSubmission.objects.filter(pk=submission.pk).update(submitted_at=submitted_at)
    if status != EvidenceStatus.PENDING:
        EvidenceDecision.objects.create(
            submission=submission,
            decision=status,
            reason="" if status == "accepted" else "Unreadable",
            decided_by=by,
        )
    return submission


def make_contract(
    reference: str,
    *,
    title: str = "First Contact Physio",
    contractor: str = "Jamie Bell Physiotherapy Ltd",
    localities=(),
    practices=(),
    **fields,
) -> Contract:
    """A contract held for practices, with plausible defaults: 1 Sep 2018 to
    31 Mar 2019, £35,000 + 20% VAT."""
    organisation, _ = Organisation.objects.get_or_create(name=contractor)
    values = {
        "start_date": date(2018, 9, 1),
        "end_date": date(2019, 3, 31),
        "value": Decimal("35000.00"),
        "vat_rate": Decimal("20.00"),
        **fields,
    }
    contract = Contract.objects.create(reference=reference, title=title, contractor=organisation, **values)
    contract.localities.set(localities)
    contract.practices.set(practices)
    return contract


def make_document(contract, user, *, title="Signed contract") -> ContractDocument:
    """A PDF kept with ``contract``, written straight to storage (the upload
    form is tested elsewhere): use with the ``media_root`` fixture."""
    document = ContractDocument(
        contract=contract,
        title=title,
        kind="signed_contract",
        original_name="contract.pdf",
        content_type="application/pdf",
        size=len(PDF_BYTES),
        sha256="0" * 64,
        uploaded_by=user,
    )
    document.file.save("contracts/test/contract.pdf", io.BytesIO(PDF_BYTES), save=False)
    document.save()
    return document
