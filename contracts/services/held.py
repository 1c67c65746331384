"""Writes to contracts held for practices: the contract itself, its documents,
review notes, and archiving. Each runs in one transaction under a pghistory
context naming the user, so the change history says who, also when a
command or a test calls the service rather than a web request."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts.models import Contract, ContractDocument, ContractReviewNote, Organisation
from contracts.uploads import check_upload, save_with_file
from fedportal import clock
from localities.models import Locality, Practice

COVERAGE_MESSAGE = (
    "Choose the localities or practices the contract covers, or select 'covers all localities'."
)


def contract_coverage_error(
    *, covers_all_localities: bool, localities: Iterable[Locality], practices: Iterable[Practice]
) -> str | None:
    """The one rule for what a contract covers: all localities, or at least
    one locality or practice. Returns the message to show, or None."""
    if covers_all_localities or any(True for _ in localities) or any(True for _ in practices):
        return None
    return COVERAGE_MESSAGE


@transaction.atomic
def contract_save(
    *,
    contract: Contract | None = None,
    reference: str,
    title: str,
    contractor: Organisation,
    commissioner: Organisation | None = None,
    funding_source: str = "",
    covers_all_localities: bool = False,
    localities: Iterable[Locality] = (),
    practices: Iterable[Practice] = (),
    start_date: date,
    end_date: date,
    value: Decimal,
    vat_rate: Decimal,
    extension_decision_by: date | None = None,
    is_draft: bool = False,
    user,
) -> Contract:
    """Create a contract (``contract`` None) or change one, with the localities
    and practices it covers. Raises ValidationError, by field, when the details
    break a rule (dates, amounts, coverage, a reference already used)."""
    localities, practices = list(localities), list(practices)
    coverage = contract_coverage_error(
        covers_all_localities=covers_all_localities, localities=localities, practices=practices
    )
    if coverage:
        raise ValidationError({"localities": [coverage]})
    contract = contract if contract is not None else Contract()
    contract.reference = reference.strip()
    contract.title = title.strip()
    contract.contractor = contractor
    contract.commissioner = commissioner
    contract.funding_source = funding_source.strip()
    contract.covers_all_localities = covers_all_localities
    contract.start_date = start_date
    contract.end_date = end_date
    contract.value = value
    contract.vat_rate = vat_rate
    contract.extension_decision_by = extension_decision_by
    contract.is_draft = is_draft
    contract.full_clean()
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError as error:  # the same reference saved a moment ago by someone else
            raise ValidationError(
                {"reference": ["A contract with this reference is already in the portal."]}
            ) from error
        contract.localities.set(localities)
        contract.practices.set(practices)
    return contract


@transaction.atomic
def contract_archive(*, contract: Contract, user) -> Contract:
    """Soft delete: the contract leaves every list and page, and nothing is
    destroyed (its documents, notes and history stay in the database)."""
    with pghistory.context(user=user.pk):
        contract.archived = True
        contract.save(update_fields=["archived", "updated_at"])
    return contract


@transaction.atomic
def contract_document_add(*, contract: Contract, title: str, kind: str, upload, user) -> ContractDocument:
    """Keep a new document with a contract. The file is checked by its content
    (type, size, not empty) and stored under a new random name, so an upload
    never replaces another. Raises ValidationError, by field, when refused."""
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    document = ContractDocument(
        contract=contract,
        title=title.strip(),
        kind=kind,
        uploaded_by=user,
    )
    with pghistory.context(user=user.pk):
        save_with_file(document, checked, upload)
    return document


@transaction.atomic
def contract_note_add(*, contract: Contract, reviewed_on: date, note: str, user) -> ContractReviewNote:
    """Append a dated review note; notes are never edited."""
    if reviewed_on > clock.today():
        raise ValidationError({"reviewed_on": ["The review date cannot be in the future."]})
    record = ContractReviewNote(contract=contract, reviewed_on=reviewed_on, note=note.strip(), author=user)
    record.full_clean()
    with pghistory.context(user=user.pk):
        record.save()
    return record
