"""Writes to contracts held for practices: the contract itself, its documents,
review notes, archiving, and the organisations contracts name. Each runs in
one transaction under a pghistory context naming the user, so the change
history says who, also when a command or a test calls the service rather than
a web request. Each owns its rules: the forms feeding them check input only."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from contracts.models import Contract, ContractDocument, ContractReviewNote, Organisation
from fedportal import clock
from fedportal.files import check_upload, save_with_file
from fedportal.forms import full_clean_by_field
from localities.models import Locality, Practice

COVERAGE_MESSAGE = (
    "Choose the localities or practices the contract covers, or select 'covers all localities'."
)
REFERENCE_USED = "A contract with this reference is already in the portal."
VAT_RATE_MESSAGE = "The VAT rate is a percentage between 0 and 100."
ORGANISATION_NAME_USED = "An organisation with this name is already in the portal."


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
    break a rule (dates, amounts, coverage, a reference already used): every
    rule broken at once, each checked here only."""
    localities, practices = list(localities), list(practices)
    coverage = contract_coverage_error(
        covers_all_localities=covers_all_localities, localities=localities, practices=practices
    )
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
    errors = {"localities": [coverage]} if coverage else {}
    try:
        full_clean_by_field(
            contract,
            constraints={
                "contract_ends_after_start": "end_date",
                "contract_value_not_negative": "value",
                "contract_vat_rate_is_a_percentage": "vat_rate",
            },
            messages={
                ("reference", "unique"): REFERENCE_USED,
                ("vat_rate", "min_value"): VAT_RATE_MESSAGE,
                ("vat_rate", "max_value"): VAT_RATE_MESSAGE,
            },
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                contract.save()
        except IntegrityError as error:  # the same reference saved a moment ago by someone else
            raise ValidationError({"reference": [REFERENCE_USED]}) from error
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


@transaction.atomic
def organisation_create(
    *, name: str, kind: str, ods_code: str = "", contact_email: str = "", notes: str = "", user
) -> Organisation:
    """Add a body contracts name: a contractor or a commissioner. Raises
    ValidationError, by field, e.g. for a name already in the portal."""
    organisation = Organisation(
        name=name.strip(),
        kind=kind,
        ods_code=ods_code.strip(),
        contact_email=contact_email.strip(),
        notes=notes.strip(),
    )
    full_clean_by_field(organisation, messages={("name", "unique"): ORGANISATION_NAME_USED})
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                organisation.save()
        except IntegrityError as error:  # the same name saved a moment ago by someone else
            raise ValidationError({"name": [ORGANISATION_NAME_USED]}) from error
    return organisation
