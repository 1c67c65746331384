"""Decided returns are locked by the database itself, not only by the pages:
any write to an approved return, or to any return line, is refused by a
trigger (PostgreSQL raises, Django reports django.db.utils.InternalError)."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.db.models import ProtectedError
from django.db.utils import InternalError

from contracts.models import ActivityReturn, ActivityReturnLine, ReturnStatus
from contracts.services.returns import ReturnConflict, return_decide
from tests.contracts.helpers import Q3, make_return

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("february_2019")]


@pytest.fixture
def approved(subcontract, practice_user, staff_user):
    return make_return(subcontract, practice_user, quarter=Q3, units=(40,), approved_by=staff_user)


def test_saving_an_approved_return_is_refused_by_the_database(approved):
    # given an approved return
    # when code changes it and saves it directly
    approved.notes = "changed after approval"
    with (
        pytest.raises(InternalError, match="Cannot update or delete rows from contracts_activityreturn"),
        transaction.atomic(),
    ):
        approved.save()
    # then nothing changed
    approved.refresh_from_db()
    assert approved.notes == ""
    assert approved.status == ReturnStatus.APPROVED


@pytest.mark.parametrize(
    "write",
    [
        lambda qs: qs.update(status=ReturnStatus.SUBMITTED),
        lambda qs: qs.update(decision_reason="edited"),
    ],
    ids=["reopen", "edit"],
)
def test_bulk_writes_to_an_approved_return_are_refused(approved, write):
    with pytest.raises(InternalError), transaction.atomic():
        write(ActivityReturn.objects.filter(pk=approved.pk))
    assert ActivityReturn.objects.filter(pk=approved.pk, status=ReturnStatus.APPROVED).exists()


def test_deleting_an_approved_return_is_refused_even_in_raw_sql(approved):
    # The ORM refuses first (its lines PROTECT it); raw SQL meets the trigger.
    with pytest.raises(ProtectedError):
        approved.delete()
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM contracts_activityreturnline WHERE activity_return_id = %s", [approved.pk]
        )
    with pytest.raises(InternalError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE contracts_activityreturn SET status = 'submitted' WHERE id = %s", [approved.pk]
        )
    assert ActivityReturn.objects.filter(pk=approved.pk, status=ReturnStatus.APPROVED).exists()


def test_return_lines_are_append_only(approved):
    line = approved.lines.get()
    with pytest.raises(InternalError), transaction.atomic():
        ActivityReturnLine.objects.filter(pk=line.pk).update(units=400)
    with pytest.raises(InternalError), transaction.atomic():
        line.delete()
    assert approved.lines.get().units == 40


def test_the_claim_is_units_times_tariff(approved):
    assert ActivityReturn.objects.with_claim().get(pk=approved.pk).claim_value == 40 * Decimal("25.00")


def test_a_second_decision_is_a_conflict(approved, staff_user):
    with pytest.raises(ReturnConflict, match="already approved"):
        return_decide(return_id=approved.pk, approve=False, reason="late", user=staff_user)
