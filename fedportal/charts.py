"""Charts as SVG made on the server, so the page and the PDF show the same
picture and no script is needed (the CSP forbids inline script anyway)."""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
LINE_COLOUR = "#005eb8"  # NHS blue
GRID_COLOUR = "#d8dde0"
TEXT_COLOUR = "#4c6272"


@dataclass(frozen=True)
class Point:
    when: date
    value: int


def _n(value: float) -> str:
    return f"{value:.1f}"


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1
    raw_step = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw_step)
    start = math.floor(low / step) * step
    ticks, tick = [], start
    while tick <= high + step / 2:
        ticks.append(tick)
        tick += step
    return ticks


def line_chart(points: list[Point], *, label: str, value_label: str = "Registered patients") -> SafeString:
    """A labelled line chart of dated whole numbers; empty text when no points."""
    if not points:
        return mark_safe("")
    points = sorted(points, key=lambda p: p.when)
    values = [p.value for p in points]
    ticks = _nice_ticks(min(values) * 0.98, max(values) * 1.02)
    y_low, y_high = ticks[0], ticks[-1]
    first, last = points[0].when.toordinal(), points[-1].when.toordinal()
    span = max(last - first, 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(day: date) -> float:
        if len(points) == 1:
            return LEFT + plot_w / 2
        return LEFT + (day.toordinal() - first) / span * plot_w

    def y(value: float) -> float:
        return TOP + plot_h - (value - y_low) / (y_high - y_low) * plot_h

    # format_html escapes its arguments to text first, so numbers are
    # formatted before they go in.
    grid = format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="{}">{}</text>',
        (
            (
                LEFT,
                _n(y(t)),
                WIDTH - RIGHT,
                _n(y(t)),
                GRID_COLOUR,
                LEFT - 6,
                _n(y(t) + 4),
                TEXT_COLOUR,
                f"{t:,.0f}",
            )
            for t in ticks
        ),
    )
    label_every = max(1, math.ceil(len(points) / 8))
    x_labels = format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="{}">{}</text>',
        (
            (_n(x(p.when)), HEIGHT - BOTTOM + 18, TEXT_COLOUR, p.when.strftime("%b %Y"))
            for i, p in enumerate(points)
            if i % label_every == 0 or i == len(points) - 1
        ),
    )
    path = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in points)
    markers = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>',
        (
            (_n(x(p.when)), _n(y(p.value)), LINE_COLOUR, p.when.strftime("%d %b %Y"), f"{p.value:,}")
            for p in points
        ),
    )
    return format_html(
        '<svg class="fp-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'role="img" aria-label="{label}" preserveAspectRatio="xMidYMid meet">'
        "<title>{label}</title>{grid}"
        '<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{text}" stroke-width="1"/>'
        '<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        "{markers}{x_labels}"
        '<text x="12" y="{mid}" font-size="11" fill="{text}" transform="rotate(-90 12 {mid})" '
        'text-anchor="middle">{value_label}</text></svg>',
        w=WIDTH,
        h=HEIGHT,
        label=label,
        grid=grid,
        left=LEFT,
        right=WIDTH - RIGHT,
        base=_n(TOP + plot_h),
        text=TEXT_COLOUR,
        path=path,
        colour=LINE_COLOUR,
        markers=markers,
        x_labels=x_labels,
        mid=TOP + plot_h // 2,
        value_label=value_label,
    )
