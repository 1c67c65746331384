"""Helpers the returns tests share (conftest.py holds the fixtures)."""

from contracts.services.returns import return_decide, return_submit
from fedportal.periods import Quarter

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
