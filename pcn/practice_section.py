"""The practice page's section about the practice's network
(fedportal.extensions): the network it was in on the date asked about, and
every membership it has had, in the reader's scope (one query)."""

from datetime import date

from pcn.models import Membership


def practice_network(practice, *, user, on: date) -> dict:
    memberships = list(
        Membership.objects.visible_to(user)
        .filter(practice=practice)
        .select_related("pcn")
        .order_by("-start_date")
    )
    current = next(
        (m for m in memberships if m.start_date <= on and (m.end_date is None or m.end_date >= on)), None
    )
    return {"pcn_memberships": memberships, "pcn_membership": current}
