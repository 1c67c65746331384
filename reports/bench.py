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
report; a database with none gets the current month's report opened and
published by the staff user, so that every figure has something to read.

The board pack of the latest meeting that has one (``reports.scale`` seeds
one of about 40 pages): ``build_pack_pdf`` timed in the warm process (one
warm-up, then the median of ``PACK_BUILD_RUNS``) with seconds a page, and the
process's peak memory during a build (its resident-set high-water mark, reset
before each build), printed as a note, since a build is no page; then the
built draft's download and the published pack's download as rows."""

import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.template.loader import render_to_string
from django.urls import reverse

from fedportal import clock
from fedportal.bench import BenchPage
from fedportal.models import User
from fedportal.scale import SCALE_USERS
from reports import services
from reports.models import BoardPack, CooReport, PackStatus, PublishedVersion
from reports.packs import build_pack_pdf
from reports.pdf import report_context
from reports.selectors import coo_report_data

# Whole LibreOffice processes timed (each starts cold: that is the point).
LIBREOFFICE_RUNS = 3
LIBREOFFICE_TIMEOUT = 300
# Timed builds of the board pack after one warm-up, and the goals.
PACK_BUILD_RUNS = 3
PACK_GOAL_SECONDS_A_PAGE = 0.15
PACK_GOAL_MB = 800


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


def libreoffice_ms(html: str, runs: int | None = None) -> list[float] | None:
    """Wall-clock milliseconds of ``runs`` (``LIBREOFFICE_RUNS``) whole
    ``soffice --headless --convert-to pdf`` processes over ``html``; None
    without soffice."""
    runs = runs or LIBREOFFICE_RUNS
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        return None
    timings = []
    with tempfile.TemporaryDirectory(prefix="coo-bench-") as work:
        source = Path(work) / "report.html"
        target = source.with_suffix(".pdf")
        source.write_text(html, encoding="utf-8")
        # Its own profile, made by the first run as a first start would be.
        profile = f"-env:UserInstallation=file://{work}/profile"
        for _ in range(runs):
            target.unlink(missing_ok=True)
            started = time.perf_counter()
            # HTML opens in Writer/Web, whose PDF export is named: soffice
            # exits 0 without writing anything when no filter fits.
            subprocess.run(  # noqa: S603 - a fixed command over our own file
                [
                    soffice,
                    profile,
                    "--headless",
                    "--convert-to",
                    "pdf:writer_web_pdf_Export",
                    "--outdir",
                    work,
                    str(source),
                ],
                check=True,
                capture_output=True,
                timeout=LIBREOFFICE_TIMEOUT,
            )
            timings.append((time.perf_counter() - started) * 1000)
            if not target.exists() or target.stat().st_size == 0:
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


def _pack() -> BoardPack:
    pack = (
        BoardPack.objects.filter(status=PackStatus.BUILT)
        .select_related("meeting")
        .order_by("-meeting__held_on")
        .first()
    )
    if pack is None:
        raise LookupError("no built board pack: run `make scale` first")
    return pack


def _peak_reset() -> bool:
    """Reset the process's resident-set high-water mark (Linux 4.0+)."""
    try:
        with open("/proc/self/clear_refs", "w") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def _memory_mb(field: str) -> float:
    """``VmHWM`` (peak) or ``VmRSS`` (now) of this process, in MB; its
    lifetime peak (ru_maxrss) where /proc cannot say."""
    try:
        with open("/proc/self/status") as status:
            return int(re.search(rf"^{field}:\s+(\d+) kB", status.read(), re.MULTILINE)[1]) / 1024
    except (OSError, TypeError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def _pack_build() -> str:
    """The draft download's URL, after timing the pack's build (a note)."""
    pack, staff = _pack(), _staff()
    build_pack_pdf(pack, user=staff)  # warm-up: fonts, templates, the papers' files read once
    timings, peaks = [], []
    reset, before = False, _memory_mb("VmRSS")
    for _ in range(PACK_BUILD_RUNS):
        reset = _peak_reset()
        started = time.perf_counter()
        _, pages = build_pack_pdf(pack, user=staff)
        timings.append(time.perf_counter() - started)
        peaks.append(_memory_mb("VmHWM"))
    median = statistics.median(timings)
    how = (
        f"the process's peak resident set during a build (VmHWM, reset before each), its own "
        f"{before:.0f} MB before the builds included"
        if reset
        else "the process's peak resident set since it started (its high-water mark could not be reset)"
    )
    _note(
        f"Board pack build ({pages} pages, {pack.meeting}), build_pack_pdf in this warm process: median "
        f"{median:.2f} s of {len(timings)} runs after a warm-up ({', '.join(f'{t:.2f}' for t in timings)}), "
        f"{median / pages:.3f} s a page (goal {PACK_GOAL_SECONDS_A_PAGE}); peak memory {max(peaks):.0f} MB "
        f"(goal {PACK_GOAL_MB} MB), {max(peaks) - before:.0f} MB above the process before the builds: {how}."
    )
    return reverse("reports:pack-draft", args=[pack.meeting_id])


def _pack_published() -> str:
    pack = _pack()
    version = pack.versions.order_by("-version").first() or services.pack_publish(user=_staff(), pack=pack)
    return version.get_absolute_url()


PAGES = [
    BenchPage("COO report PDF (warm render)", _report_pdf, role="staff"),
    BenchPage("COO report preview", lambda: _report().get_absolute_url(), role="staff"),
    BenchPage(
        "COO report published download",
        lambda: _published().get_absolute_url(),
        role="board",
    ),
    BenchPage("Board pack draft download", _pack_build, role="staff"),
    BenchPage("Board pack published download", _pack_published, role="board"),
]
