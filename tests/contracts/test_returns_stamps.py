"""Stamps follow the portal's clock: in the demo (a portal date of 15
February 2019, the real clock in November 2026) a return submitted and
decided, or evidence uploaded, reads 15 February 2019, in the NHS.UK style."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from contracts.models import EvidenceSubmission
from contracts.services.evidence import evidence_submit
from contracts.services.returns import return_decide, return_submit
from fedportal.periods import Quarter
from tests.contracts.conftest import pdf_upload

LONDON = ZoneInfo("Europe/London")


@pytest.fixture
def demo_clock(settings, time_machine):
    """The portal's date pinned to 15 February 2019; the real clock at 30
    November 2026, 2:05pm."""
    settings.FEDPORTAL_TODAY = "2019-02-15"
    time_machine.move_to(datetime(2026, 11, 30, 14, 5, tzinfo=LONDON), tick=False)


def test_a_return_made_and_approved_in_the_demo_is_stamped_with_the_portals_date(
    demo_clock, client_for, staff_user, practice_user, subcontract
):
    made = return_submit(subcontract=subcontract, quarter=Quarter(2018, 3), units=[40], user=practice_user)
    decided = return_decide(return_id=made.pk, approve=True, user=staff_user)

    assert made.submitted_at.astimezone(LONDON).date() == date(2019, 2, 15)
    assert decided.decided_at.astimezone(LONDON).date() == date(2019, 2, 15)
    page = client_for(staff_user).get(made.get_absolute_url()).content.decode()
    assert "15 February 2019 at 2:05pm by" in page
    assert "2026" not in page.split("</main>")[0].split('id="history"')[0]
    listing = client_for(staff_user).get("/returns/").content.decode()
    assert "15 February 2019" in listing


def test_evidence_uploaded_in_the_demo_is_stamped_with_the_portals_date(
    demo_clock, practice_user, subcontract, indemnity
):
    evidence_submit(
        subcontract=subcontract,
        requirement=indemnity,
        upload=pdf_upload(),
        description="Indemnity 2018/19",
        valid_from=date(2018, 4, 1),
        valid_to=date(2019, 3, 31),
        user=practice_user,
    )

    assert EvidenceSubmission.objects.get().submitted_at.astimezone(LONDON).date() == date(2019, 2, 15)
