"""The COO report as a tagged PDF (PDF/UA-1, British English): the same
template body as the HTML preview, laid out for A4 by print CSS (a cover, a
running header with the federation's name and month, "Page N of M", table
header rows repeated across pages, an outline from the section headings).

The font configuration is made once per process: WeasyPrint's font lookup
is a noticeable part of a small document's time. The cyclic garbage
collector is paused while a report is laid out (see ``_no_full_collections``)."""

import gc
from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration

from reports.markdown import render_markdown
from reports.models import CooReport
from reports.selectors import ReportData, coo_report_data

_FONTS = None


def _fonts() -> FontConfiguration:
    global _FONTS
    if _FONTS is None:
        _FONTS = FontConfiguration()
    return _FONTS


@contextmanager
def _no_full_collections() -> Iterator[None]:
    """Lay out with the cyclic collector paused, then free the render's own
    cycles by collecting the youngest generation only.

    WeasyPrint allocates some hundred thousand short-lived objects per
    report, which set off a full collection in every render: a pass over the
    whole warm process (Django, fonts, templates). With the generation-1
    passes that was about an eighth of the demo report's time (measured; up
    to a fifth on a busy machine). Everything the render made is still young
    when it ends, so the generation-0 pass afterwards frees its garbage
    without walking the old heap, and leaves none for a later request. The
    price: the render's garbage is held until it ends (the scale database's
    report peaked at 540 MB instead of 430 MB). Another thread's render that
    finds the collector paused leaves re-enabling it to the one that paused
    it."""
    ours = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if ours:
            gc.enable()
            gc.collect(0)


def report_context(data: ReportData, *, version: int | None = None) -> dict:
    """What the one template needs, for the page and the PDF alike."""
    return {
        "data": data,
        "federation": settings.FEDERATION_NAME,
        "intro_html": render_markdown(data.report.introduction),
        "version": version,
    }


def render_report_pdf(data: ReportData, *, version: int | None = None) -> bytes:
    html = render_to_string("reports/coo_report/pdf.html", report_context(data, version=version))
    with _no_full_collections():
        return HTML(string=html, base_url=None).write_pdf(pdf_variant="pdf/ua-1", font_config=_fonts())


def coo_report_pdf(*, report: CooReport, user, version: int | None = None) -> bytes:
    """The report of ``report.month`` rendered now, as ``user`` sees the data."""
    return render_report_pdf(coo_report_data(user=user, report=report), version=version)
