"""Charts as SVG made on the server, so the page and the PDF show the same
picture and no script is needed (the CSP forbids inline script anyway): a
line chart of dated figures, and bar charts (grouped, or stacked) of figures
by category, such as income and expenditure against plan by financial year.

Each chart names itself to screen readers (``role="img"``, an aria-label,
``<title>`` and a ``<desc>`` reading out its figures) and every mark carries
its figure in a tooltip; pages put the figures in a table beside it too.

Kept here rather than taken from a chart library: matplotlib, pygal and
leather were measured against this module for the portal's charts (render
time, SVG size, how WeasyPrint prints them, accessibility); see
tests/fedportal/test_charts.py's docstring for the figures.

Axis labels never overlap: each label's width is estimated from Arial's
character widths (the portal's font; Liberation Sans has the same metrics),
and a label that would touch the one before it is left out (the first and
last are kept), whatever the spacing of the dates."""

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from fedportal import formats

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 40
LINE_COLOUR = "#005eb8"  # NHS blue
GRID_COLOUR = "#d8dde0"
TEXT_COLOUR = "#4c6272"
FONT = "Arial, 'Liberation Sans', 'Helvetica Neue', sans-serif"
FONT_SIZE = 11
LABEL_GAP = 6  # the least space between two axis labels, in SVG units
# NHS identity colours, in the order series take them: distinct for the
# common colour-vision deficiencies in the first four.
PALETTE = ("#005eb8", "#ffb81c", "#330072", "#00a499", "#ae2573", "#768692", "#003087", "#007f3b")

# Arial's advance widths in thousandths of an em (Liberation Sans is
# metric-compatible): the characters axis labels are made of. Anything else
# counts as the widest capital, so an estimate errs wide, never narrow.
_WIDTHS = {
    **dict.fromkeys("0123456789£$#_", 556),
    **dict.fromkeys(" ,./:;!'|", 278),
    **dict.fromkeys("()-", 333),
    "%": 889,
    "&": 667,
    "+": 584,
    **dict.fromkeys("abcdeghnopqu", 556),
    **dict.fromkeys("fjt", 278),
    "i": 222,
    "l": 222,
    "k": 500,
    "m": 833,
    "r": 333,
    "s": 500,
    "v": 500,
    "w": 722,
    "x": 500,
    "y": 500,
    "z": 500,
    **dict.fromkeys("ABEKPSVXY", 667),
    **dict.fromkeys("CDHNRU", 722),
    **dict.fromkeys("FTZ", 611),
    **dict.fromkeys("GOQ", 778),
    "I": 278,
    "J": 500,
    "L": 556,
    "M": 833,
    "W": 944,
}


def text_width(text: str, font_size: float = FONT_SIZE) -> float:
    """The width ``text`` takes in Arial at ``font_size``, in SVG units."""
    return sum(_WIDTHS.get(ch, 944) for ch in text) * font_size / 1000


@dataclass(frozen=True)
class Point:
    when: date
    value: int


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: a figure per category, in the categories' order."""

    name: str
    values: tuple
    colour: str = ""


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


def fit_labels(
    labels: list[tuple[float, str]], *, left: float = 2, right: float = WIDTH - 2
) -> list[tuple[float, str]]:
    """The axis labels (centre x, text) that fit side by side without
    touching, each kept within ``left``..``right`` (a label at the edge is
    moved in, not cut off): the first, then each that clears the last kept by
    ``LABEL_GAP``, and always the last, making room for it by leaving out
    the ones before it as needed. A label that repeats the one before it (two
    dates in one month) is left out."""

    def placed(x: float, text: str) -> tuple[float, float, float, str]:
        half = text_width(text) / 2
        x = min(max(x, left + half), right - half)
        return x - half, x + half, x, text

    kept: list[tuple[float, float, float, str]] = []
    for x, text in labels:
        label = placed(x, text)
        if not kept or (label[0] >= kept[-1][1] + LABEL_GAP and text != kept[-1][3]):
            kept.append(label)
    if labels and kept[-1][3] != (last := placed(*labels[-1]))[3]:
        while kept and last[0] < kept[-1][1] + LABEL_GAP:
            kept.pop()
        kept.append(last)
    return [(x, text) for _, _, x, text in kept]


def _svg(*, label: str, description: str, body: SafeString, kind: str) -> SafeString:
    return format_html(
        '<svg class="fp-chart fp-chart--{kind}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" '
        'role="img" aria-label="{label}" preserveAspectRatio="xMidYMid meet" font-family="{font}">'
        "<title>{label}</title><desc>{description}</desc>{body}</svg>",
        kind=kind,
        w=WIDTH,
        h=HEIGHT,
        label=label,
        font=FONT,
        description=description,
        body=body,
    )


def _x_labels(labels: list[tuple[float, str]]) -> SafeString:
    return format_html_join(
        "",
        '<text class="fp-chart__x" x="{}" y="{}" text-anchor="middle" font-size="{}" fill="{}">{}</text>',
        ((_n(x), HEIGHT - BOTTOM + 18, FONT_SIZE, TEXT_COLOUR, text) for x, text in fit_labels(labels)),
    )


def _grid(ticks: list[float], y, formatter) -> SafeString:
    # format_html escapes its arguments to text first, so numbers are
    # formatted before they go in.
    return format_html_join(
        "",
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="1"/>'
        '<text class="fp-chart__y" x="{}" y="{}" text-anchor="end" font-size="{}" fill="{}">{}</text>',
        (
            (
                LEFT,
                _n(y(t)),
                WIDTH - RIGHT,
                _n(y(t)),
                GRID_COLOUR,
                LEFT - 6,
                _n(y(t) + 4),
                FONT_SIZE,
                TEXT_COLOUR,
                formatter(t),
            )
            for t in ticks
        ),
    )


def _axis_title(text: str) -> SafeString:
    mid = TOP + (HEIGHT - TOP - BOTTOM) // 2
    return format_html(
        '<text x="12" y="{mid}" font-size="{size}" fill="{colour}" transform="rotate(-90 12 {mid})" '
        'text-anchor="middle">{text}</text>',
        mid=mid,
        size=FONT_SIZE,
        colour=TEXT_COLOUR,
        text=text,
    )


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

    path = " ".join(f"{x(p.when):.1f},{y(p.value):.1f}" for p in points)
    markers = format_html_join(
        "",
        '<circle cx="{}" cy="{}" r="3" fill="{}"><title>{}: {}</title></circle>',
        ((_n(x(p.when)), _n(y(p.value)), LINE_COLOUR, formats.day(p.when), f"{p.value:,}") for p in points),
    )
    body = format_html(
        '{grid}<line x1="{left}" y1="{base}" x2="{right}" y2="{base}" stroke="{text}" stroke-width="1"/>'
        '<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>'
        "{markers}{x_labels}{axis}",
        grid=_grid(ticks, y, lambda t: f"{t:,.0f}"),
        left=LEFT,
        right=WIDTH - RIGHT,
        base=_n(TOP + plot_h),
        text=TEXT_COLOUR,
        path=path,
        colour=LINE_COLOUR,
        markers=markers,
        x_labels=_x_labels([(x(p.when), p.when.strftime("%b %Y")) for p in points]),
        axis=_axis_title(value_label),
    )
    description = "; ".join(f"{formats.day(p.when)}: {p.value:,}" for p in points)
    return _svg(label=label, description=f"{value_label}. {description}.", body=body, kind="line")


def pounds(value: float) -> str:
    """An axis tick in pounds, short: £250k, £1.5m, -£40k."""
    sign, value = ("-" if value < 0 else ""), abs(value)
    if value >= 1_000_000:
        return f"{sign}£{value / 1_000_000:,.4g}m"
    if value >= 1_000:
        return f"{sign}£{value / 1_000:,.4g}k"
    return f"{sign}£{value:,.0f}"


def _money(value) -> str:
    value = Decimal(value)
    return f"-£{-value:,.0f}" if value < 0 else f"£{value:,.0f}"


def bar_chart(
    categories: list[str],
    series: list[Series],
    *,
    label: str,
    stacked: bool = False,
    value_label: str = "£",
    tick_format=pounds,
    value_format=_money,
) -> SafeString:
    """Bars of figures by category (financial years, say), one bar per
    series side by side, or (``stacked``) the series stacked into one bar per
    category (their parts should then be of one sign). A legend names the
    series; empty text when there is nothing to draw."""
    if not categories or not series:
        return mark_safe("")
    series = [
        Series(s.name, tuple(float(v or 0) for v in s.values), s.colour or PALETTE[i % len(PALETTE)])
        for i, s in enumerate(series)
    ]
    if stacked:
        tops = [sum(max(s.values[i], 0) for s in series) for i in range(len(categories))]
        bottoms = [sum(min(s.values[i], 0) for s in series) for i in range(len(categories))]
    else:
        tops = [max(s.values[i] for s in series) for i in range(len(categories))]
        bottoms = [min(s.values[i] for s in series) for i in range(len(categories))]
    # The legend, wrapped onto as many rows as the names need.
    legend, at, row_y = [], LEFT, TOP
    for s in series:
        width = 14 + text_width(s.name)
        if at > LEFT and at + width > WIDTH - RIGHT:
            at, row_y = LEFT, row_y + 16
        legend.append((_n(at), row_y, s.colour, _n(at + 14), row_y + 9, FONT_SIZE, TEXT_COLOUR, s.name))
        at += width + 16
    top = row_y + 18
    ticks = _nice_ticks(min(0, *bottoms), max(0, *tops) * 1.05 or 1)
    y_low, y_high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - top - BOTTOM

    def y(value: float) -> float:
        return top + plot_h - (value - y_low) / (y_high - y_low) * plot_h

    slot = plot_w / len(categories)
    group_w = slot * 0.7
    bar_w = group_w if stacked else group_w / len(series)
    rects = []
    for i, category in enumerate(categories):
        start = LEFT + slot * i + (slot - group_w) / 2
        up = down = 0.0
        for j, s in enumerate(series):
            value = s.values[i]
            if stacked:
                base = up if value >= 0 else down
                low, high = sorted((base, base + value))
                if value >= 0:
                    up += value
                else:
                    down += value
                bar_x = start
            else:
                low, high = sorted((0, value))
                bar_x = start + j * bar_w
            rects.append(
                (
                    _n(bar_x),
                    _n(y(high)),
                    _n(bar_w - (0 if stacked else 1)),
                    _n(max(y(low) - y(high), 0)),
                    s.colour,
                    f"{category}, {s.name}: {value_format(value)}",
                )
            )
    bars = format_html_join(
        "",
        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{}</title></rect>',
        rects,
    )
    legend_html = format_html_join(
        "",
        '<rect x="{}" y="{}" width="10" height="10" fill="{}"/>'
        '<text class="fp-chart__legend" x="{}" y="{}" font-size="{}" fill="{}">{}</text>',
        legend,
    )
    body = format_html(
        '{grid}{bars}<line x1="{left}" y1="{zero}" x2="{right}" y2="{zero}" stroke="{text}" stroke-width="1"/>'
        "{legend}{x_labels}{axis}",
        grid=_grid(ticks, y, tick_format),
        bars=bars,
        left=LEFT,
        right=WIDTH - RIGHT,
        zero=_n(y(0)),
        text=TEXT_COLOUR,
        legend=legend_html,
        x_labels=_x_labels([(LEFT + slot * (i + 0.5), c) for i, c in enumerate(categories)]),
        axis=_axis_title(value_label),
    )
    description = "; ".join(
        f"{category}: " + ", ".join(f"{s.name} {value_format(s.values[i])}" for s in series)
        for i, category in enumerate(categories)
    )
    return _svg(label=label, description=f"{description}.", body=body, kind="stacked" if stacked else "bar")
