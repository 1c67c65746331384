"""The COO report in ``manage.py bench``: its PDF rendered in the warm web
process (the bench's median of its timed requests, after a warm-up), its
HTML preview, and a published version's download (stored bytes, streamed,
never rendered: median and 95th percentile).

Beside the render, LibreOffice converting the same HTML to PDF as a whole
process (``soffice --headless --convert-to pdf``), the way a portal without
a warm renderer would: printed as a note above the render's row, or skipped
with a note when soffice is not installed (the bench step installs it; the
portal never needs it).

The month is the latest report with a published version, else the latest
report; a database with none (the synthetic federation has no board papers)
gets the current month's report opened and published by the staff user, so
that every figure has something to read."""

import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.template.loader import render_to_string

from fedportal import clock
from fedportal.bench import BenchPage
from fedportal.models import User
from fedportal.scale import SCALE_USERS
from reports import services
from reports.models import CooReport, PublishedVersion
from reports.pdf import report_context
from reports.selectors import coo_report_data

# Whole LibreOffice processes timed (each starts cold: that is the point).
LIBREOFFICE_RUNS = 3
LIBREOFFICE_TIMEOUT = 300


def _staff() -> User:
    try:
        return User.objects.get(username=SCALE_USERS["staff"])
    except User.DoesNotExist:
        raise LookupError(f"no {SCALE_USERS['staff']} user: run `make scale` first") from None


def _report() -> CooReport:
    report = (
        CooReport.objects.filter(versions__isnull=False).order_by("-month").first()
        or CooReport.objects.order_by("-month").first()
    )
    if report is None:
        report = services.report_start(user=_staff(), month=clock.today())
    return report


def _published() -> PublishedVersion:
    version = PublishedVersion.objects.filter(report__isnull=False).order_by("-published_at").first()
    if version is None:
        version = services.report_publish(user=_staff(), report=_report())
    return version


def _note(text: str) -> None:
    sys.stdout.write(f"  note: {text}\n")
    sys.stdout.flush()


def libreoffice_ms(html: str, runs: int = LIBREOFFICE_RUNS) -> list[float] | None:
    """Wall-clock milliseconds of ``runs`` whole ``soffice --headless
    --convert-to pdf`` processes over ``html``; None without soffice."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    timings = []
    with tempfile.TemporaryDirectory(prefix="coo-bench-") as work:
        source = Path(work) / "report.html"
        source.write_text(html, encoding="utf-8")
        # Its own profile, made by the first run as a first start would be.
        profile = f"-env:UserInstallation=file://{work}/profile"
        for _ in range(runs):
            started = time.perf_counter()
            subprocess.run(  # noqa: S603 - a fixed command over our own file
                [soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", work, str(source)],
                check=True,
                capture_output=True,
                timeout=LIBREOFFICE_TIMEOUT,
            )
            timings.append((time.perf_counter() - started) * 1000)
        if not (Path(work) / "report.pdf").exists():
            raise RuntimeError("soffice wrote no PDF")
    return timings


def _report_pdf() -> str:
    """The render's URL, after timing LibreOffice over the same HTML."""
    report = _report()
    html = render_to_string(
        "reports/coo_report/pdf.html", report_context(coo_report_data(user=_staff(), report=report))
    )
    timings = libreoffice_ms(html)
    if timings is None:
        _note("LibreOffice over the same HTML: skipped, soffice is not installed.")
    else:
        _note(
            f"LibreOffice over the same HTML ({report.label}), whole process: median "
            f"{statistics.median(timings):.0f} ms of {len(timings)} runs "
            f"({', '.join(f'{t:.0f}' for t in timings)})."
        )
    return f"{report.get_absolute_url()}pdf/"


PAGES = [
    BenchPage("COO report PDF (warm render)", _report_pdf, role="staff"),
    BenchPage("COO report preview", lambda: _report().get_absolute_url(), role="staff"),
    BenchPage(
        "COO report published download",
        lambda: _published().get_absolute_url(),
        role="board",
    ),
]
