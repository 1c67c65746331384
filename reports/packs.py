"""A board pack as one PDF. WeasyPrint renders what the portal produces (the
cover and agenda, the COO report, the risk register, the action log); it
cannot include other PDFs, so the papers are merged with pypdf, each under
an outline entry of its own (with its own sections beneath), and every page
is stamped with the pack's page number and its paper reference ("C-3":
paper C, its page 3) from one overlay rendered for the whole pack. The
merged PDF is tagged as a whole, each paper's tags kept (pdf_structure).

The COO report in a pack is its latest published version when there is one
(the bytes the board was given), else rendered now."""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML

from reports.models import (
    ActionStatus,
    BoardAction,
    BoardPack,
    CooReport,
    PaperKind,
    PublishedVersion,
    Risk,
    RiskStatus,
    paper_letters,
)
from reports.pdf import _fonts, coo_report_pdf
from reports.pdf_structure import PackStructure


class PackFailed(Exception):
    """A paper could not be put into the pack: the message says which and why."""


@dataclass
class PackPaper:
    letter: str
    title: str
    kind: str
    pdf: bytes
    pages: int = 0
    first_page: int = 0


def _render(template: str, context: dict) -> bytes:
    html = render_to_string(template, {"federation": settings.FEDERATION_NAME, **context})
    return HTML(string=html).write_pdf(pdf_variant="pdf/ua-1", font_config=_fonts())


def _paper_pdf(paper, meeting, user) -> bytes:
    if paper.kind == PaperKind.UPLOADED:
        if not paper.file:
            raise PackFailed(f"Paper {paper.title!r} has no file uploaded.")
        with paper.file.open("rb") as handle:
            return handle.read()
    if paper.kind == PaperKind.COO_REPORT:
        report = CooReport.objects.filter(month=meeting.held_on.replace(day=1)).first()
        if report is None:
            raise PackFailed(
                f"There is no COO report for {meeting.held_on:%B %Y} to put in as {paper.title!r}."
            )
        published = PublishedVersion.objects.filter(report=report).order_by("-version").first()
        if published is not None:
            with published.file.open("rb") as handle:
                return handle.read()
        return coo_report_pdf(report=report, user=user)
    if paper.kind == PaperKind.RISK_REGISTER:
        risks = sorted(
            Risk.objects.visible_to(user).filter(status=RiskStatus.OPEN).select_related("workstream"),
            key=lambda r: (-r.score, r.title),
        )
        return _render("reports/packs/risk_register.html", {"risks": risks, "title": paper.title})
    if paper.kind == PaperKind.ACTION_LOG:
        actions = (
            BoardAction.objects.visible_to(user)
            .filter(raised_at__held_on__lt=meeting.held_on)
            .exclude(status=ActionStatus.DROPPED)
            .select_related("raised_at")
            .order_by("status", "due_date")
        )
        return _render("reports/packs/action_log.html", {"actions": actions, "title": paper.title})
    raise PackFailed(f"Paper {paper.title!r} is of a kind the pack cannot make.")


def _front(meeting, papers: list[PackPaper], total: int | None) -> bytes:
    return _render(
        "reports/packs/front.html",
        {"meeting": meeting, "papers": papers, "total": total, "agenda": list(meeting.agenda_items.all())},
    )


def _stamps(labels: list[str]) -> PdfReader:
    """One A4 page per pack page, each with its label at the foot."""
    html = render_to_string("reports/packs/stamps.html", {"labels": labels})
    return PdfReader(io.BytesIO(HTML(string=html).write_pdf(font_config=_fonts())))


def build_pack_pdf(
    pack: BoardPack, *, user, progress: Callable[[int], None] = lambda percent: None
) -> tuple[bytes, int]:
    """The pack's PDF and its page count; ``progress`` is told the per cent done."""
    meeting = pack.meeting
    rows = list(meeting.papers.all())
    if not rows:
        raise PackFailed("The meeting has no papers: add them before building the pack.")
    papers = []
    for index, (letter, paper) in enumerate(zip(paper_letters(len(rows)), rows, strict=True)):
        data = _paper_pdf(paper, meeting, user)
        try:
            reader = PdfReader(io.BytesIO(data))
            pages = len(reader.pages)
        except Exception as error:  # whatever a damaged PDF makes pypdf raise
            raise PackFailed(f"Paper {letter} ({paper.title}) cannot be read as a PDF.") from error
        papers.append(PackPaper(letter, paper.title, paper.kind, data, pages))
        progress(10 + 60 * (index + 1) // len(rows))

    # The agenda gives each paper's first page: number them after the front
    # matter, and render again should the numbers change its length.
    front = _front(meeting, papers, None)
    for _ in range(2):
        front_pages = len(PdfReader(io.BytesIO(front)).pages)
        page = front_pages + 1
        for paper in papers:
            paper.first_page, page = page, page + paper.pages
        total = page - 1
        front = _front(meeting, papers, total)
        if len(PdfReader(io.BytesIO(front)).pages) == front_pages:
            break
    progress(80)

    # The pack is tagged as a whole: each part's structure tree goes under a
    # /Part of its own, and the page labels are artifacts (pdf_structure).
    writer = PdfWriter()
    structure = PackStructure(writer, lang="en-GB")
    structure.append(
        io.BytesIO(front),
        heading="Cover and agenda",
        name="Cover and agenda",
        title=str(meeting),
        import_outline=False,
    )
    labels = [f"{meeting} – cover and agenda – page {n} of {total}" for n in range(1, front_pages + 1)]
    for paper in papers:
        structure.append(
            io.BytesIO(paper.pdf),
            heading=f"Paper {paper.letter}: {paper.title}",
            name=f"Paper {paper.letter}",
            title=paper.title,
            import_outline=True,
        )
        labels += [
            f"{paper.letter}-{n} · page {paper.first_page + n - 1} of {total}"
            for n in range(1, paper.pages + 1)
        ]
    stamps = _stamps(labels)
    for page_number, page in enumerate(writer.pages):
        structure.stamp(page, stamps.pages[page_number])
    structure.finish(title=f"{meeting}: board pack", author=settings.FEDERATION_NAME)
    writer.page_mode = "/UseOutlines"
    out = io.BytesIO()
    writer.write(out)
    progress(95)
    return out.getvalue(), total


def pack_file_name(pack: BoardPack) -> str:
    return f"board-pack-{pack.meeting.held_on:%Y-%m-%d}.pdf"
