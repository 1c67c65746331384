"""Fixtures of the board's papers tests (imported by their modules, so as
not to share a conftest with the dashboard's tests)."""

from datetime import date
from io import BytesIO

import pytest
from pypdf import PdfReader

from tests.demo import demo_loaded_once

DEMO_TODAY = "2019-02-15"


demo_loaded_once_per_module = demo_loaded_once(today=DEMO_TODAY)


def pdf_text(data: bytes) -> str:
    """The PDF's text with its whitespace collapsed: a table cell's text
    wraps within the cell, and a phrase should still read as one."""
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def outline_titles(data: bytes) -> list[str]:
    reader = PdfReader(BytesIO(data))
    titles = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    return titles


FEBRUARY = date(2019, 2, 1)


@pytest.fixture
def papers(staff_user, practice, other_practice, settings, media_root):
    """A small world for one report: two workstreams with February updates
    (one holding markup and script), a key risk, a milestone, an open action
    from a meeting, two contracts held for practices, and the February report."""
    from decimal import Decimal

    from contracts.models import Contract, Organisation
    from reports import services
    from reports.models import ActionStatus, Rag

    settings.FEDPORTAL_TODAY = DEMO_TODAY
    user = staff_user
    plan = services.workstream_save(
        user=user, title="Business plan for FY19/20", lead="JW / HP", status=Rag.AMBER, position=1
    )
    urgent = services.workstream_save(user=user, title="Urgent Care", lead="JW", status=Rag.RED, position=2)
    services.update_save(
        user=user,
        workstream=plan,
        month=FEBRUARY,
        body="- Key income streams will be PCN\n- Urgent Care @ c£50K",
    )
    services.update_save(
        user=user,
        workstream=urgent,
        month=FEBRUARY,
        body='Weekly meetings <script>alert("x")</script> and <b>bold</b> [link](javascript:alert(1))',
    )
    risk = services.risk_save(
        user=user,
        title="Clinical workforce recruitment",
        owner="JW",
        likelihood=4,
        impact=5,
        mitigation="16 GPs interested",
        status="open",
        is_key=True,
        workstream=urgent,
    )
    services.milestone_save(
        user=user,
        workstream=urgent,
        code="UC2",
        description="Articles reviewed",
        due_date=date(2019, 2, 28),
        forecast_date=date(2019, 3, 20),
        completed_on=None,
        exception_note="Documents arrived late",
    )
    meeting = services.meeting_save(user=user, held_on=date(2019, 2, 27), venue="Kibworth")
    action = services.action_save(
        user=user,
        action="Write up a clinical governance process",
        owner="JW",
        raised_at=meeting,
        due_date=date(2019, 3, 31),
        status=ActionStatus.OPEN,
        note="",
    )
    physio = Organisation.objects.create(name="Jamie Bell Physiotherapy Ltd", kind="provider")
    clarity = Organisation.objects.create(name="Clarity Informatics", kind="provider")
    first = Contract.objects.create(
        reference="C-1",
        title="First Contact Physio",
        contractor=physio,
        start_date=date(2018, 9, 1),
        end_date=date(2019, 3, 31),
        value=Decimal("40000.00"),
    )
    first.localities.add(practice.locality)
    Contract.objects.create(
        reference="C-2",
        title="GPTeamNet",
        contractor=clarity,
        covers_all_localities=True,
        start_date=date(2019, 2, 1),
        end_date=date(2020, 1, 31),
        value=Decimal("26040.00"),
    )
    report = services.report_start(user=user, month=FEBRUARY)
    return {
        "report": report,
        "plan": plan,
        "urgent": urgent,
        "risk": risk,
        "meeting": meeting,
        "action": action,
    }


def small_pdf(title: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=f"<html lang='en-GB'><title>{title}</title><h1>{title}</h1></html>").write_pdf()
