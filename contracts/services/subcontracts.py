"""Writes of services, their tariffs and evidence requirements, head
contracts, sub-contracts and schedules of clinicians. Each validates the whole
record (constraints included) and raises ValidationError keyed by the field a
person would correct."""

from datetime import date
from decimal import Decimal

from django.contrib.postgres.constraints import ExclusionConstraint
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, models, router, transaction
from django.utils.text import slugify

from contracts.models import (
    EvidenceRequirement,
    HeadContract,
    Organisation,
    ScheduledClinician,
    Service,
    SubContract,
    Tariff,
)
from fedportal.clock import today as portal_today
from localities.models import Practice

# /services/new/ is the page that adds a service.
RESERVED_SLUGS = {"new"}

# Each constraint's message goes beside the field a person would change.
CONSTRAINT_FIELDS = {
    "head_contract_ends_after_start": "end_date",
    "one_tariff_per_service_and_date": "effective_from",
    "tariff_not_negative": "unit_price",
    "requirement_name_unique_per_service": "name",
    "subcontract_ends_after_start": "end_date",
    "subcontracts_do_not_overlap": "start_date",
}


def _beside_fields(error: ValidationError, model: type[models.Model]) -> ValidationError:
    """Move constraint messages from the top of the form to their field."""
    by_message = {
        str(constraint.violation_error_message): CONSTRAINT_FIELDS[constraint.name]
        for constraint in model._meta.constraints
        if constraint.name in CONSTRAINT_FIELDS
    }
    errors: dict[str, list[str]] = {}
    for name, messages in error.message_dict.items():
        for message in messages:
            field = by_message.get(message, name) if name == NON_FIELD_ERRORS else name
            errors.setdefault(field, []).append(message)
    return ValidationError(errors)


def _validate_constraints(instance: models.Model) -> None:
    """``Model.validate_constraints()``, except that an exclusion constraint is
    only checked once the others pass: PostgreSQL cannot even build the date
    range of a record whose end is before its start."""
    model = type(instance)
    errors: list[ValidationError] = []
    ordered = sorted(model._meta.constraints, key=lambda c: isinstance(c, ExclusionConstraint))
    for constraint in ordered:
        if errors and isinstance(constraint, ExclusionConstraint):
            break
        try:
            constraint.validate(model, instance, using=router.db_for_write(model))
        except ValidationError as error:
            errors.append(error)
    if errors:
        raise ValidationError({NON_FIELD_ERRORS: errors})


def _save(instance: models.Model) -> None:
    """``full_clean()`` then ``save()``. A constraint broken between the two
    (someone saving the same at the same moment) is reported like a check
    failing, not as a server error."""
    model = type(instance)
    try:
        instance.full_clean(validate_constraints=False)
        _validate_constraints(instance)
    except ValidationError as error:
        raise _beside_fields(error, model) from error
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        for constraint in model._meta.constraints:
            if constraint.name in str(error) and constraint.name in CONSTRAINT_FIELDS:
                raise ValidationError(
                    {CONSTRAINT_FIELDS[constraint.name]: [str(constraint.violation_error_message)]}
                ) from error
        raise ValidationError(
            "Someone saved a record like this at the same moment. Check and try again."
        ) from error


@transaction.atomic
def head_contract_create(
    *,
    title: str,
    commissioner: Organisation,
    start_date: date,
    paying_organisation: Organisation | None = None,
    end_date: date | None = None,
    notes: str = "",
) -> HeadContract:
    """Record the federation's contract with a commissioner, under which it
    sub-contracts services to practices."""
    head_contract = HeadContract(
        title=title.strip(),
        commissioner=commissioner,
        paying_organisation=paying_organisation,
        start_date=start_date,
        end_date=end_date,
        notes=notes.strip(),
    )
    _save(head_contract)
    return head_contract


@transaction.atomic
def service_create(
    *,
    name: str,
    head_contract: HeadContract,
    unit: str,
    slug: str = "",
    description: str = "",
    takes_returns: bool = True,
) -> Service:
    """Add a service practices can deliver as sub-contractors to the federation."""
    slug = (slug or slugify(name))[:60]
    if slug in RESERVED_SLUGS:
        raise ValidationError({"slug": [f"“{slug}” is taken by the portal's own pages. Choose another."]})
    service = Service(
        name=name.strip(),
        slug=slug,
        head_contract=head_contract,
        unit=unit.strip(),
        description=description.strip(),
        takes_returns=takes_returns,
    )
    _save(service)
    return service


@transaction.atomic
def tariff_create(*, service: Service, effective_from: date, unit_price: Decimal, note: str = "") -> Tariff:
    """Price a service from a date; the earlier tariff stays for claims before it."""
    tariff = Tariff(service=service, effective_from=effective_from, unit_price=unit_price, note=note.strip())
    _save(tariff)
    return tariff


@transaction.atomic
def requirement_create(
    *,
    service: Service,
    name: str,
    description: str = "",
    has_expiry: bool = True,
    is_clinician_schedule: bool = False,
    position: int = 0,
    active: bool = True,
) -> EvidenceRequirement:
    """Ask every practice delivering ``service`` for a piece of evidence."""
    requirement = EvidenceRequirement(
        service=service,
        name=name.strip(),
        description=description.strip(),
        has_expiry=has_expiry,
        is_clinician_schedule=is_clinician_schedule,
        position=position,
        active=active,
    )
    _save(requirement)
    return requirement


@transaction.atomic
def requirement_update(
    *,
    requirement_id: int,
    name: str,
    description: str,
    has_expiry: bool,
    is_clinician_schedule: bool,
    position: int,
    active: bool,
) -> EvidenceRequirement:
    """Change what a requirement asks for, or stop asking (``active=False``):
    requirements are never deleted, since evidence refers to them. Whether it
    is a schedule of clinicians cannot change once evidence was uploaded, as
    that evidence would no longer fit."""
    # NO KEY: an upload holding a sub-contract of this service refers to the
    # requirement from its compliance state (a key-share lock). A full lock
    # here, while this update's compliance trigger waits for that
    # sub-contract, would be a deadlock.
    requirement = EvidenceRequirement.objects.select_for_update(no_key=True).get(pk=requirement_id)
    if is_clinician_schedule != requirement.is_clinician_schedule and requirement.submissions.exists():
        raise ValidationError(
            {
                "is_clinician_schedule": [
                    "Evidence was already uploaded for this requirement, so whether it is a schedule "
                    "of clinicians cannot change. Stop asking for it and add a new requirement instead."
                ]
            }
        )
    requirement.name = name.strip()
    requirement.description = description.strip()
    requirement.has_expiry = has_expiry
    requirement.is_clinician_schedule = is_clinician_schedule
    requirement.position = position
    requirement.active = active
    _save(requirement)
    return requirement


@transaction.atomic
def subcontract_create(
    *,
    practice: Practice,
    service: Service,
    start_date: date,
    end_date: date | None = None,
    notes: str = "",
) -> SubContract:
    """A practice starts delivering a service for the federation. A practice
    holds one sub-contract per service at a time (the database refuses
    overlapping dates)."""
    subcontract = SubContract(
        practice=practice, service=service, start_date=start_date, end_date=end_date, notes=notes.strip()
    )
    _save(subcontract)
    return subcontract


@transaction.atomic
def subcontract_change(
    *, subcontract_id: int, start_date: date, end_date: date | None, notes: str = ""
) -> SubContract:
    """Change a sub-contract's dates or notes, e.g. to end it. Its evidence
    and returns are kept; the same rules as adding one apply."""
    subcontract = SubContract.objects.select_for_update().get(pk=subcontract_id)
    subcontract.start_date, subcontract.end_date, subcontract.notes = start_date, end_date, notes.strip()
    _save(subcontract)
    return subcontract


@transaction.atomic
def clinician_add(
    *, subcontract: SubContract, name: str, role: str = "", registration: str = ""
) -> ScheduledClinician:
    """Put a named clinician on a sub-contract's schedule (e.g. a fitter)."""
    clinician = ScheduledClinician(
        subcontract=subcontract, name=name.strip(), role=role.strip(), registration=registration.strip()
    )
    _save(clinician)
    return clinician


@transaction.atomic
def clinician_remove(*, clinician_id: int, on: date | None = None) -> ScheduledClinician:
    """Take a clinician off the schedule from a date. The record and their
    evidence are kept; removing twice keeps the first date."""
    # NO KEY, as in requirement_update: an upload holding this clinician's
    # sub-contract refers to them from its compliance state.
    clinician = ScheduledClinician.objects.select_for_update(no_key=True).get(pk=clinician_id)
    if clinician.removed_on is None:
        clinician.removed_on = on or portal_today()
        clinician.save(update_fields=["removed_on"])
    return clinician
