"""Quarterly activity returns: submission, approval, amendment. The pricing
rules they apply (the tariffs in force, what a line is worth) live in
``contracts.models.returns``."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from contracts.models import ActivityReturn, ActivityReturnLine, ReturnStatus, SubContract
from contracts.models.returns import TariffPeriod, tariff_periods
from contracts.permissions import can_decide_return
from fedportal import clock, formats
from fedportal.periods import Quarter


class ReturnConflict(Exception):
    """The return was decided, or replaced, by someone else first."""


def quarter_not_ended(quarter: Quarter, today: date) -> str:
    """Why a return for ``quarter`` cannot be made or approved on ``today``
    ("" once the quarter has ended): its units are not all delivered yet."""
    if quarter < Quarter.of(today):
        return ""
    return f"{quarter} ends on {formats.day(quarter.end)}: a return is made once its quarter has ended."


EARLY_REASON_NEEDED = "To accept it now, say why (the reason is kept with the return)."


def _accept_early(activity_return: ActivityReturn, *, quarter: Quarter, reason: str, user, today: date):
    """Record that staff accepted a return before its quarter ended, or
    refuse: only staff may, and only with a reason."""
    refusal = quarter_not_ended(quarter, today)
    if not refusal or activity_return.accepted_early:
        return
    if not can_decide_return(user)[0]:
        raise ValidationError({"quarter": [refusal]})
    if not reason.strip():
        raise ValidationError({"accepted_early_reason": [f"{refusal} {EARLY_REASON_NEEDED}"]})
    activity_return.accepted_early_reason = reason.strip()
    activity_return.accepted_early_by = user
    activity_return.accepted_early_at = clock.now()


def return_periods(subcontract: SubContract, quarter: Quarter) -> list[TariffPeriod]:
    """The tariff periods of a quarter within the sub-contract's dates."""
    start = max(quarter.start, subcontract.start_date)
    end = min(quarter.end, subcontract.end_date or quarter.end)
    if start > end:
        return []
    return tariff_periods(subcontract.service, start, end)


@transaction.atomic
def return_submit(
    *,
    subcontract: SubContract,
    quarter: Quarter,
    units: list[int],
    notes: str = "",
    user,
    amends: ActivityReturn | None = None,
    accepted_early_reason: str = "",
    today: date | None = None,
) -> ActivityReturn:
    """Record units delivered in a quarter, one figure per tariff period, for
    staff to approve. ``amends`` corrects an approved return, keeping it.
    The quarter must have ended, unless staff accept the return early with
    ``accepted_early_reason`` (kept on it with who and when); an amendment of
    a return accepted early is early too, and is refused the same way until
    the quarter ends."""
    today = today or clock.today()
    subcontract = SubContract.objects.select_for_update().get(pk=subcontract.pk)
    periods = return_periods(subcontract, quarter)
    if quarter.start > today:
        raise ValidationError({"quarter": [f"{quarter} has not started yet."]})
    if not periods:
        raise ValidationError(
            {
                "quarter": [
                    f"There is no tariff for this service in {quarter} within the sub-contract's dates."
                ]
            }
        )
    if len(units) != len(periods):
        raise ValidationError({"units": ["Enter the units delivered for each tariff period."]})
    if any(n is None or n < 0 for n in units):
        raise ValidationError({"units": ["Units delivered cannot be negative."]})
    existing = ActivityReturn.objects.filter(
        subcontract=subcontract, year=quarter.year, quarter=quarter.number
    )
    if existing.filter(status=ReturnStatus.SUBMITTED).exists():
        raise ValidationError({"quarter": [f"A return for {quarter} is already awaiting approval."]})
    if amends is None and existing.current().exists():
        raise ValidationError({"quarter": [f"{quarter} was already approved; correct it with an amendment."]})
    if amends is not None:
        amends = ActivityReturn.objects.select_for_update().get(pk=amends.pk)
        if (amends.subcontract_id, amends.year, amends.quarter) != (
            subcontract.pk,
            quarter.year,
            quarter.number,
        ):
            raise ValidationError({"quarter": ["An amendment is for the same sub-contract and quarter."]})
        if amends.status != ReturnStatus.APPROVED or not existing.current().filter(pk=amends.pk).exists():
            raise ReturnConflict("Only the approved return now in force can be amended.")
        if not notes.strip():
            raise ValidationError({"notes": ["Say what the amendment corrects."]})
    activity_return = ActivityReturn(
        subcontract=subcontract,
        year=quarter.year,
        quarter=quarter.number,
        amends=amends,
        notes=notes.strip(),
        submitted_by=user,
    )
    _accept_early(activity_return, quarter=quarter, reason=accepted_early_reason, user=user, today=today)
    activity_return.save()
    ActivityReturnLine.objects.bulk_create(
        ActivityReturnLine(
            activity_return=activity_return,
            period_start=p.start,
            period_end=p.end,
            unit_price=p.unit_price,
            units=n,
        )
        for p, n in zip(periods, units, strict=True)
    )
    return activity_return


@transaction.atomic
def return_decide(
    *,
    return_id: int,
    approve: bool,
    reason: str = "",
    accepted_early_reason: str = "",
    user,
    today: date | None = None,
) -> ActivityReturn:
    """Approve (locking it) or return a submitted return to the practice.
    A return for a quarter that has not ended is approved only if staff
    accepted it early, when it was made or now, with
    ``accepted_early_reason``."""
    today = today or clock.today()
    activity_return = ActivityReturn.objects.select_for_update().get(pk=return_id)
    if activity_return.status != ReturnStatus.SUBMITTED:
        raise ReturnConflict(f"This return was already {activity_return.get_status_display().lower()}.")
    if not approve and not reason.strip():
        raise ValidationError({"reason": ["Tell the practice why the return is sent back."]})
    if approve:
        _accept_early(
            activity_return,
            quarter=activity_return.period,
            reason=accepted_early_reason,
            user=user,
            today=today,
        )
    activity_return.status = ReturnStatus.APPROVED if approve else ReturnStatus.REJECTED
    activity_return.decided_by = user
    activity_return.decided_at = clock.now()
    activity_return.decision_reason = reason.strip()
    activity_return.save(
        update_fields=[
            "status",
            "decided_by",
            "decided_at",
            "decision_reason",
            "accepted_early_reason",
            "accepted_early_by",
            "accepted_early_at",
        ]
    )
    return activity_return
