"""The board's papers in seed_scale: a tiny synthetic federation has this
month's meeting with lettered papers whose pack is built near forty pages,
and seeding again repeats it (one test: each seed takes seconds)."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from reports.models import BoardMeeting, CooReport, PackStatus, Paper, PaperKind
from reports.scale import PACK_PAGES

pytestmark = pytest.mark.django_db
TODAY = date(2026, 1, 15)


def seed() -> str:
    out = StringIO()
    call_command("seed_scale", practices=30, seed=7, today=TODAY, stdout=out)
    return out.getvalue()


def papers() -> list[tuple]:
    return list(Paper.objects.order_by("position").values_list("position", "title", "kind", "size", "sha256"))


def test_seed_scale_makes_a_board_meeting_whose_pack_builds_and_reseeding_repeats_it():
    # when
    output = seed()

    # then this month's meeting has its lettered papers, the month's COO report published
    meeting = BoardMeeting.objects.get(held_on=date(2026, 1, 25))
    kinds = [kind for _, _, kind, _, _ in papers()]
    assert kinds.count(PaperKind.UPLOADED) == 3
    assert {PaperKind.COO_REPORT, PaperKind.RISK_REGISTER, PaperKind.ACTION_LOG} <= set(kinds)
    assert CooReport.objects.get(month=date(2026, 1, 1)).versions.count() == 1
    # and its pack built and published, about forty pages
    pack = meeting.pack
    assert pack.status == PackStatus.BUILT and pack.versions.count() == 1
    assert abs(pack.page_count - PACK_PAGES) <= 1
    assert f"board pack {pack.page_count} pages" in output
    # and the built PDF reads back with every paper in it, each page stamped
    with pack.file.open("rb") as handle:
        reader = PdfReader(handle)
        text = "\n".join(page.extract_text() for page in reader.pages)
        assert len(reader.pages) == pack.page_count
    assert "C-1 · page" in text and "F-1 · page" in text
    assert f"of {pack.page_count}" in text
    assert "Chief Operating Officer report" in text and "Action log" in text
    first = papers()

    # when seeded again with the same seed
    seed()

    # then the same papers and pack, not two sets
    assert papers() == first
    assert BoardMeeting.objects.get(held_on=date(2026, 1, 25)).pack.page_count == pack.page_count
    assert CooReport.objects.count() == 1
