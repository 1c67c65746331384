"""Writes to networks, memberships and registrations. Each runs in one
transaction under a pghistory context naming the user, so the change
history (which staff see) says who, also when a command or test calls it.

Registrations are locked (``select_for_update``) before their state is
checked, so of two people acting at once, one wins and the other is told
what happened instead."""

import re
from datetime import date
from decimal import Decimal

import pghistory
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum

from fedportal import clock
from fedportal.files import JPEG, PDF, PNG, MiB, UploadKind, check_upload, save_with_file
from fedportal.forms import full_clean_by_field
from localities.models import Practice
from pcn.boundary import validate_boundary
from pcn.models import (
    OVERLAP_MESSAGE,
    PCN,
    AgreementSchedule,
    AgreementSignature,
    ContractYear,
    MaturityAssessment,
    Membership,
    Payment,
    Registration,
    RegistrationMember,
    RegistrationStatus,
    ReimbursementClaim,
    RoleReimbursement,
    StaffRole,
    WorkforcePost,
    normalise_sort_code,
)
from pcn.permissions import decision_blocked, signing_blocked, submission_blocked
from pcn.registration import (
    current_members,
    failing,
    registration_checks,
    registration_members,
    total_list_size,
)
from pcn.workforce import claim_amount, claimable_months, post_cap

PCN_DETAIL_FIELDS = [
    "name",
    "ccg_code",
    "ccg_name",
    "open_date",
    "close_date",
    "clinical_director_name",
    "clinical_director_contact",
    "clinical_director_practice",
    "clinical_director_from",
    "clinical_director_to",
    "payee_practice",
    "payee_other",
    "funding_split",
]
BANK_FIELDS = ["bank_account_name", "bank_sort_code", "bank_account_number"]


@transaction.atomic
def pcn_create(
    *, code: str, name: str, ccg_code: str, ccg_name: str = "", open_date: date | None = None, user
) -> PCN:
    """Add a network by its national code. Raises ValidationError by field."""
    pcn = PCN(code=code, name=name.strip(), ccg_code=ccg_code, ccg_name=ccg_name.strip(), open_date=open_date)
    pcn.full_clean()
    with pghistory.context(user=user.pk):
        pcn.save()
    return pcn


@transaction.atomic
def pcn_update(*, pcn: PCN, user, **details) -> PCN:
    """Change a network's details: dates, clinical director, nominated payee.
    Raises ValidationError by field."""
    unknown = set(details) - set(PCN_DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not details of a network: {', '.join(sorted(unknown))}")
    for name, value in details.items():
        setattr(pcn, name, value.strip() if isinstance(value, str) else value)
    pcn.full_clean()
    with pghistory.context(user=user.pk):
        pcn.save()
    return pcn


@transaction.atomic
def pcn_bank_details_set(
    *, pcn: PCN, bank_account_name: str, bank_sort_code: str, bank_account_number: str, user
) -> PCN:
    """Record the account the network's funding is paid into. Every change is
    kept in the history (which only staff see)."""
    pcn.bank_account_name = bank_account_name.strip()
    # Normalised before validation: people type "309626" and "1234 5678".
    pcn.bank_sort_code = normalise_sort_code(bank_sort_code)
    pcn.bank_account_number = re.sub(r"\s", "", bank_account_number or "")
    pcn.full_clean()
    with pghistory.context(user=user.pk):
        pcn.save()
    return pcn


@transaction.atomic
def pcn_boundary_set(*, pcn: PCN, upload, user) -> PCN:
    """Keep the network's boundary from a GeoJSON upload, checked first."""
    raw = upload.read(2 * 1024 * 1024)
    try:
        geometry = validate_boundary(raw)
    except ValidationError as error:
        raise ValidationError({"boundary": error.messages}) from error
    pcn.boundary = geometry
    pcn.boundary_file_name = (getattr(upload, "name", "") or "")[:255]
    with pghistory.context(user=user.pk):
        pcn.save(update_fields=["boundary", "boundary_file_name", "updated_at"])
    return pcn


def _overlap_message(practice: Practice, start: date, end: date | None, exclude_pk=None) -> str | None:
    clash = (
        Membership.objects.filter(practice=practice, start_date__lte=end or date.max)
        .exclude(end_date__lt=start)
        .exclude(pk=exclude_pk)
        .select_related("pcn")
        .first()
    )
    if clash is None:
        return None
    until = f" to {clash.end_date:%-d %B %Y}" if clash.end_date else " with no end date"
    return (
        f"{practice.name} is already in {clash.pcn.name} from {clash.start_date:%-d %B %Y}{until}: "
        "a practice is in one network at a time. End that membership first."
    )


@transaction.atomic
def membership_add(
    *, pcn: PCN, practice: Practice, start_date: date, end_date: date | None = None, user
) -> Membership:
    """Add a practice to a network from ``start_date``. Refused beside the
    practice when it is in another network on any of those dates (the
    database's exclusion constraint is the last word, also under a race)."""
    membership = Membership(
        pcn=pcn,
        practice=practice,
        start_date=start_date,
        end_date=end_date,
        practice_ccg_code=practice.commissioner_code,
        other_ccg=bool(practice.commissioner_code) and practice.commissioner_code != pcn.ccg_code,
    )
    membership.full_clean(validate_constraints=False)
    if message := _overlap_message(practice, start_date, end_date):
        raise ValidationError({"practice": [message]})
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                membership.save()
        except IntegrityError as error:
            raise ValidationError({"practice": [OVERLAP_MESSAGE]}) from error
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, end_date: date, user) -> Membership:
    """End a membership (a practice leaving or moving network): kept, not deleted."""
    membership.end_date = end_date
    membership.full_clean(validate_constraints=False)
    with pghistory.context(user=user.pk):
        membership.save(update_fields=["end_date"])
    return membership


@transaction.atomic
def registration_start(*, pcn: PCN, contract_year: ContractYear, user) -> Registration:
    """Open a draft registration for a network and contract year."""
    registration = Registration(pcn=pcn, contract_year=contract_year, created_by=user)
    try:
        registration.validate_constraints()
    except ValidationError as error:
        raise ValidationError({"contract_year": error.messages}) from error
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError as error:
            raise ValidationError(
                {"contract_year": ["This network already has a registration for this contract year."]}
            ) from error
    return registration


def _locked(registration: Registration) -> Registration:
    """The registration re-read under a row lock: the state every check sees."""
    return (
        Registration.objects.select_for_update(of=("self",))
        .select_related("pcn", "contract_year", "submitted_by", "decided_by")
        .get(pk=registration.pk)
    )


@transaction.atomic
def registration_exception_set(
    *, registration: Registration, population_exception: str, user
) -> Registration:
    """Give (or clear) the reason for an exception to the 30,000 population."""
    locked = _locked(registration)
    if locked.status not in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED):
        raise ValidationError(
            {
                "population_exception": [
                    f"The registration is {locked.get_status_display().lower()}: it can no longer change."
                ]
            }
        )
    locked.population_exception = population_exception.strip()
    with pghistory.context(user=user.pk):
        locked.save(update_fields=["population_exception", "updated_at"])
    return locked


@transaction.atomic
def agreement_sign(
    *, registration: Registration, practice: Practice, signatory: str, user, recorded_by_staff: bool = False
) -> AgreementSignature:
    """A member practice signs the initial network agreement (or staff record
    its signature from the signed schedule). Raises ValidationError saying why not."""
    locked = _locked(registration)
    members = {m.practice.pk for m in current_members(locked)}
    signed = set(locked.signatures.values_list("practice_id", flat=True))
    if blocked := signing_blocked(locked, practice, members, signed):
        raise ValidationError({"signatory": [blocked]})
    if not signatory.strip():
        raise ValidationError({"signatory": ["Enter the name of the partner who signs for the practice."]})
    signature = AgreementSignature(
        registration=locked,
        practice=practice,
        practice_name=practice.name,
        signed_by=user,
        signatory=signatory.strip(),
        recorded_by_staff=recorded_by_staff,
    )
    with pghistory.context(user=user.pk):
        signature.save()
    return signature


@transaction.atomic
def registration_submit(*, registration: Registration, user) -> Registration:
    """Submit to the CCG: refused while any check fails (saying which).
    The members, their list sizes at the reference date, the clinical
    director, the payee, the bank details and the map are frozen into the
    registration, so later changes and imports never rewrite it."""
    locked = _locked(registration)
    members = registration_members(locked)
    if blocked := submission_blocked(locked, failing(registration_checks(locked, members))):
        raise ValidationError(blocked)
    pcn = locked.pcn
    with pghistory.context(user=user.pk):
        locked.members.all().delete()  # a resubmission after a return lists the members anew
        RegistrationMember.objects.bulk_create(
            RegistrationMember(
                registration=locked,
                practice=m.practice,
                ods_code=m.ods_code,
                practice_name=m.name,
                list_size=m.list_size,
                other_ccg=m.other_ccg,
            )
            for m in members
        )
        locked.total_list_size = total_list_size(members)
        locked.clinical_director_name = pcn.clinical_director_name
        locked.payee_name = pcn.payee_name
        locked.bank_account_name = pcn.bank_account_name
        locked.bank_sort_code = pcn.bank_sort_code
        locked.bank_account_number = pcn.bank_account_number
        locked.boundary = pcn.boundary
        locked.status = RegistrationStatus.SUBMITTED
        locked.submitted_at = clock.now()
        locked.submitted_by = user
        locked.decided_at = None
        locked.decided_by = None
        locked.save()
    return locked


DECISIONS = {
    "approve": RegistrationStatus.APPROVED,
    "approve_exception": RegistrationStatus.APPROVED_WITH_EXCEPTION,
    "return": RegistrationStatus.RETURNED,
}


@transaction.atomic
def registration_decide(
    *, registration: Registration, decision: str, panel_notes: str = "", user
) -> Registration:
    """Record the CCG panel's decision on a submitted registration: approved,
    approved with an exception (which needs the reason), or returned (which
    needs notes saying what to change)."""
    if decision not in DECISIONS:
        raise ValidationError({"decision": ["Choose approve, approve with exception or return."]})
    locked = _locked(registration)
    if blocked := decision_blocked(locked):
        raise ValidationError(blocked)
    notes = panel_notes.strip()
    if decision == "return" and not notes:
        raise ValidationError({"panel_notes": ["Say what the network must change before it submits again."]})
    if decision == "approve_exception" and not (notes or locked.population_exception):
        raise ValidationError({"panel_notes": ["Give the exception the panel agreed."]})
    locked.status = DECISIONS[decision]
    locked.panel_notes = "\n\n".join(n for n in (locked.panel_notes, notes) if n)
    locked.decided_at = clock.now()
    locked.decided_by = user
    with pghistory.context(user=user.pk):
        locked.save()
    return locked


@transaction.atomic
def payment_record(
    *, pcn: PCN, month: date, kind: str, amount, received_on: date, reference: str = "", user
) -> Payment:
    """Record money received for a network, against a month of its schedule."""
    payment = Payment(
        pcn=pcn,
        month=month.replace(day=1),
        kind=kind,
        amount=amount,
        received_on=received_on,
        reference=reference.strip(),
    )
    payment.full_clean()
    with pghistory.context(user=user.pk):
        payment.save()
    return payment


# The signed schedule of the network agreement ---------------------------------

# A scan or PDF of the signed page: what a signed paper schedule comes as.
SIGNED_SCHEDULE = UploadKind(types=(PDF, PNG, JPEG), max_bytes=10 * MiB)


@transaction.atomic
def agreement_schedule_upload(
    *, registration: Registration, upload, practices: list[Practice], user
) -> AgreementSchedule:
    """Keep the signed schedule of the network agreement (checked by its
    content, kept with its SHA-256 under a new name, never overwriting an
    earlier one) and record the signature of each member practice that
    signed it. Nothing is kept unless every practice may sign now."""
    try:
        checked = check_upload(upload, SIGNED_SCHEDULE)
    except ValidationError as error:
        raise ValidationError({"file": error.messages}) from error
    locked = _locked(registration)
    if locked.status not in (RegistrationStatus.DRAFT, RegistrationStatus.RETURNED):
        raise ValidationError(
            {
                "file": [
                    f"The registration is {locked.get_status_display().lower()}: its signatures can no longer change."
                ]
            }
        )
    members = {m.practice.pk for m in current_members(locked)}
    signed = set(locked.signatures.values_list("practice_id", flat=True))
    refusals = [blocked for p in practices if (blocked := signing_blocked(locked, p, members, signed))]
    if refusals:
        raise ValidationError({"practices": refusals})
    schedule = AgreementSchedule(registration=locked, uploaded_by=user)
    with pghistory.context(user=user.pk):
        save_with_file(schedule, checked, upload)
        AgreementSignature.objects.bulk_create(
            AgreementSignature(
                registration=locked,
                practice=practice,
                practice_name=practice.name,
                signed_by=user,
                recorded_by_staff=True,
                schedule=schedule,
            )
            for practice in practices
        )
    return schedule


# Workforce and maturity ------------------------------------------------------


@transaction.atomic
def workforce_post_add(
    *,
    pcn: PCN,
    contract_year: ContractYear,
    role: str,
    wte: Decimal,
    starts: date,
    ends: date | None = None,
    title: str = "",
    employer: str = "",
    user,
) -> WorkforcePost:
    """Add a post to a network's workforce plan for a contract year. Raises
    ValidationError by field."""
    post = WorkforcePost(
        pcn=pcn,
        contract_year=contract_year,
        role=role,
        title=title.strip() or dict(StaffRole.choices).get(role, ""),
        wte=wte,
        starts=starts,
        ends=ends,
        employer=employer.strip(),
        created_by=user,
    )
    _check_post(post)
    with pghistory.context(user=user.pk):
        post.save()
    return post


def _check_post(post: WorkforcePost) -> None:
    """The post's own rules, and its dates within its contract year; by field."""
    full_clean_by_field(
        post, constraints={"pcn_post_wte_plausible": "wte", "pcn_post_ends_after_start": "ends"}
    )
    year = post.contract_year
    if post.starts > year.end:
        raise ValidationError({"starts": [f"A post in the plan for {year} starts by {year.end:%-d %B %Y}."]})
    if post.ends and post.ends < year.start:
        raise ValidationError({"ends": [f"A post in the plan for {year} ends after {year.start:%-d %B %Y}."]})


@transaction.atomic
def workforce_post_change(
    *, post: WorkforcePost, wte: Decimal, starts: date, ends: date | None, title: str, employer: str, user
) -> WorkforcePost:
    """Change a post in the plan: its whole-time equivalent, its dates (a
    post that ends is given its last day), its title or employer. The role
    and the year stay, as the claims were made under them. Refused by field
    when a claim already recorded would fall outside the post's months or
    above its new cap. The post is locked, as a claim locks it."""
    locked = (
        WorkforcePost.objects.select_for_update(of=("self",)).select_related("contract_year").get(pk=post.pk)
    )
    was_wte = locked.wte
    locked.wte, locked.starts, locked.ends = wte, starts, ends
    locked.title = title.strip() or locked.get_role_display()
    locked.employer = employer.strip()
    _check_post(locked)
    year = locked.contract_year
    claims = list(locked.claims.order_by("month"))
    months = claimable_months(locked, year)
    for claim in claims:
        if claim.month not in months:
            field = "starts" if claim.month < starts.replace(day=1) else "ends"
            raise ValidationError(
                {field: [f"{claim.month:%B %Y} has a claim recorded: the post must be filled that month."]}
            )
    claimed = sum((claim.amount for claim in claims), Decimal("0.00"))
    reimbursement = RoleReimbursement.objects.filter(contract_year=year, role=locked.role).first()
    cap = post_cap(locked, year, reimbursement)
    if claims and claimed > cap:
        field = "wte" if wte < was_wte else "ends"
        raise ValidationError(
            {
                field: [
                    f"£{claimed:,} is claimed already, more than the cap of £{cap:,} this change would give."
                ]
            }
        )
    with pghistory.context(user=user.pk):
        locked.save()
    return locked


@transaction.atomic
def reimbursement_claim_record(
    *, post: WorkforcePost, month: date, costs: Decimal, user
) -> ReimbursementClaim:
    """Claim a month's reimbursement for a post: the scheme's share of its
    costs, cut to what is left of the post's cap for the year. The post is
    locked first, so two claims at once never pass the cap between them."""
    locked = (
        WorkforcePost.objects.select_for_update(of=("self",))
        .select_related("pcn", "contract_year")
        .get(pk=post.pk)
    )
    year = locked.contract_year
    month = month.replace(day=1)
    if costs < 0:
        raise ValidationError({"costs": ["Enter the month's costs: an amount of £0 or more."]})
    reimbursement = RoleReimbursement.objects.filter(contract_year=year, role=locked.role).first()
    if reimbursement is None:
        raise ValidationError(
            {"month": [f"No reimbursement is set for a {locked.get_role_display().lower()} in {year}."]}
        )
    months = claimable_months(locked, year)
    if month not in months:
        span = f"{months[0]:%B %Y} to {months[-1]:%B %Y}" if months else "no month of the year"
        raise ValidationError(
            {
                "month": [
                    f"{month:%B %Y} is not a month of {year} the post is filled: it may claim for {span}."
                ]
            }
        )
    if locked.claims.filter(month=month).exists():
        raise ValidationError({"month": [f"{month:%B %Y} is already claimed for this post."]})
    cap = post_cap(locked, year, reimbursement)
    claimed = locked.claims.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")
    if claimed >= cap:
        raise ValidationError(
            {"costs": [f"The post's cap of £{cap:,} for {year} is reached: nothing more can be claimed."]}
        )
    amount, capped = claim_amount(costs, reimbursement.percent, cap - claimed)
    claim = ReimbursementClaim(
        post=locked, month=month, costs=costs, amount=amount, capped=capped, claimed_by=user
    )
    with pghistory.context(user=user.pk):
        claim.save()
    return claim


@transaction.atomic
def maturity_assessment_add(
    *, pcn: PCN, assessed_on: date, notes: str = "", user, **levels
) -> MaturityAssessment:
    """Record a network's dated self-assessment against the maturity matrix
    (one a day; never in the future). Raises ValidationError by field."""
    if assessed_on > clock.today():
        raise ValidationError({"assessed_on": ["An assessment cannot be dated in the future."]})
    if MaturityAssessment.objects.filter(pcn=pcn, assessed_on=assessed_on).exists():
        raise ValidationError(
            {"assessed_on": [f"{pcn.name} already has an assessment on {assessed_on:%-d %B %Y}."]}
        )
    assessment = MaturityAssessment(
        pcn=pcn, assessed_on=assessed_on, notes=notes.strip(), assessed_by=user, **levels
    )
    full_clean_by_field(assessment, constraints={"pcn_one_assessment_a_day": "assessed_on"})
    with pghistory.context(user=user.pk):
        try:
            with transaction.atomic():
                assessment.save()
        except IntegrityError as error:  # the same day saved a moment ago by someone else
            raise ValidationError(
                {"assessed_on": [f"{pcn.name} already has an assessment on {assessed_on:%-d %B %Y}."]}
            ) from error
    return assessment
