"""The server-side SVG charts: axis labels never overlap, whatever the
spacing of the dates (measured with the real font, not the module's own
estimate); bars are drawn to scale, stacked or side by side; every chart
names itself and its figures to screen readers; and WeasyPrint prints it
with its labels as text.

Why these charts are not drawn by a library (measured 30 November 2026 on
the 2-CPU development machine, the Table 2 chart of net income and expenses
by year, 4 and 10 years; WeasyPrint 70 printing one page with the chart):

  library                 render 4 / 10 yrs   SVG 4 / 10 yrs   PDF time  labels as PDF text  WeasyPrint warnings
  fedportal.charts        0.8 / 1.5 ms        3.5 / 5.8 KB     269 ms    yes                 0
  matplotlib 3.11 (text)  254-371 / 295 ms    8.9 / 13.6 KB    617 ms    yes                 414 (CSS it ignores)
  matplotlib (paths)      304 / 576 ms        31 / 41 KB       1258 ms   no (glyphs as paths) 342
  pygal 3.1               37 / 58 ms          19 / 25 KB       816 ms    yes                 0
  leather 0.4             11 / 10 ms          3.7 / 5.9 KB     333 ms    yes                 0

Importing matplotlib.pyplot takes 2.7-4 s in a fresh process (pygal 0.35-0.6 s,
leather 0.2-0.3 s). None of the three writes role="img", an aria-label or a
<desc>; pygal's SVG carries <script> tags (one fetching its tooltips from
kozea.github.io, which the CSP blocks) and prints in its own palette and a
monospace font; leather has no grouped columns (two series are drawn over
each other, hiding the smaller). So the portal keeps its own ~300 lines:
two orders of magnitude faster than matplotlib, the smallest SVG that is
still accessible, and no warnings when printed."""

import io
import itertools
import re
from datetime import date, timedelta

import lxml.etree
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageFont

from fedportal.charts import HEIGHT, WIDTH, Point, Series, bar_chart, line_chart, text_width

SVG = "{http://www.w3.org/2000/svg}"
FONT = ImageFont.truetype("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", size=110)


def real_width(text: str, size: float) -> float:
    """The width the text takes in Liberation Sans (Arial's metrics), measured
    at ten times the size for precision."""
    return FONT.getlength(text) * size / 110


def x_labels(svg) -> list[tuple[float, float, str]]:
    """Each x-axis label's left and right edges, as the font draws it."""
    tree = lxml.etree.fromstring(str(svg).encode())
    spans = []
    for text in tree.iter(f"{SVG}text"):
        if text.get("class") != "fp-chart__x":
            continue
        assert text.get("text-anchor") == "middle"
        x, width = float(text.get("x")), real_width(text.text, float(text.get("font-size")))
        spans.append((x - width / 2, x + width / 2, text.text))
    return spans


def assert_apart(spans):
    assert spans, "no labels"
    for (_, right, a), (left, _, b) in itertools.pairwise(spans):
        assert left > right, f"{a!r} and {b!r} overlap"
        assert a != b, f"{a!r} twice"
    assert spans[0][0] >= 0 and spans[-1][1] <= WIDTH


def test_the_estimate_is_never_narrower_than_the_font():
    for text in ["Jan 2019", "May 2020", "2019/20", "Sep 2021", "£250k", "-£36,610", "Mar 2019", "WWW"]:
        assert text_width(text) >= real_width(text, 11) - 0.01, text


def test_uneven_dates_do_not_make_labels_collide():
    # A list size each quarter, then three in one month, then a long gap: the
    # practice page's case.
    days = [date(2016, 1, 1) + timedelta(days=91 * n) for n in range(8)]
    days += [date(2018, 1, 1), date(2018, 1, 9), date(2018, 1, 20), date(2018, 2, 2), date(2021, 7, 1)]
    chart = line_chart([Point(d, 20000 + n * 10) for n, d in enumerate(days)], label="List size")
    spans = x_labels(chart)
    assert_apart(spans)
    assert spans[0][2] == "Jan 2016" and spans[-1][2] == "Jul 2021"


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
        min_size=1,
        max_size=80,
        unique=True,
    )
)
def test_line_chart_labels_never_overlap(days):
    spans = x_labels(line_chart([Point(d, 1000) for d in days], label="List size"))
    assert_apart(spans)
    assert spans[-1][2] == max(days).strftime("%b %Y")


@pytest.mark.parametrize("years", [1, 4, 10, 30])
def test_bar_chart_labels_never_overlap(years):
    categories = [f"{y}/{(y + 1) % 100:02d}" for y in range(2000, 2000 + years)]
    chart = bar_chart(categories, [Series("Income", [1000 * i for i in range(years)])], label="Income")
    spans = x_labels(chart)
    assert_apart(spans)
    if years <= 10:
        assert [s[2] for s in spans] == categories


def test_a_long_legend_wraps_and_never_overlaps():
    names = ["NHS East Leicestershire and Rutland CCG", "Leicestershire County Council", "NHS England"]
    names += ["NHS West Leicestershire CCG", "ELR GP Federation member practices", "Others"]
    chart = bar_chart(["2018/19"], [Series(n, [1000]) for n in names], label="By commissioner", stacked=True)
    tree = lxml.etree.fromstring(str(chart).encode())
    boxes = []
    for text in tree.iter(f"{SVG}text"):
        if text.get("class") == "fp-chart__legend":
            x, y = float(text.get("x")), float(text.get("y"))
            boxes.append((x - 14, x + real_width(text.text, 11), y))
    assert not [b for b in boxes if b[1] > WIDTH], "a legend entry runs off the chart"
    rows = {}
    for left, right, y in boxes:
        rows.setdefault(y, []).append((left, right))
    assert len(rows) > 1
    for row in rows.values():
        for (_, right), (left, _) in itertools.pairwise(sorted(row)):
            assert left > right
    # The bars start below the legend.
    assert min(float(r.get("y")) for r in _rects(chart)) > max(rows)


def _rects(svg) -> list[lxml.etree._Element]:
    tree = lxml.etree.fromstring(str(svg).encode())
    return [r for r in tree.iter(f"{SVG}rect") if r.find(f"{SVG}title") is not None]


def test_grouped_bars_are_to_scale_and_say_their_figures():
    chart = bar_chart(
        ["2016/17", "2017/18"],
        [Series("Income", [100000, 200000]), Series("Plan", [50000, 0])],
        label="Income against plan",
    )
    rects = _rects(chart)
    assert [r.find(f"{SVG}title").text for r in rects] == [
        "2016/17, Income: £100,000",
        "2016/17, Plan: £50,000",
        "2017/18, Income: £200,000",
        "2017/18, Plan: £0",
    ]
    heights = [float(r.get("height")) for r in rects]
    assert heights[2] == pytest.approx(2 * heights[0], abs=0.2)
    assert heights[0] == pytest.approx(2 * heights[1], abs=0.2)
    # Side by side, not on top of each other.
    assert float(rects[1].get("x")) >= float(rects[0].get("x")) + float(rects[0].get("width"))


def test_stacked_bars_add_up_and_a_deficit_goes_below_the_line():
    chart = bar_chart(
        ["2019/20"],
        [Series("CCG", [30000]), Series("LCC", [10000]), Series("Surplus", [-5000])],
        label="Income by commissioner",
        stacked=True,
    )
    rects = _rects(chart)
    ccg, lcc, deficit = ((float(r.get("y")), float(r.get("height"))) for r in rects)
    assert lcc[0] + lcc[1] == pytest.approx(ccg[0], abs=0.1)  # LCC sits on the CCG
    assert lcc[1] * 3 == pytest.approx(ccg[1], abs=0.3)
    assert deficit[0] == pytest.approx(ccg[0] + ccg[1], abs=0.1)  # below the zero line


def test_a_chart_names_itself_and_reads_out_its_figures():
    chart = bar_chart(
        ["2018/19"], [Series("Net income", [215017]), Series("Expenses", [168000])], label="I&E"
    )
    tree = lxml.etree.fromstring(str(chart).encode())
    assert tree.get("role") == "img" and tree.get("aria-label") == "I&E"
    assert tree.find(f"{SVG}title").text == "I&E"
    assert tree.find(f"{SVG}desc").text == "2018/19: Net income £215,017, Expenses £168,000."
    line = lxml.etree.fromstring(str(line_chart([Point(date(2019, 1, 1), 21627)], label="L")).encode())
    assert "1 January 2019: 21,627" in line.find(f"{SVG}desc").text


def test_text_is_escaped():
    chart = bar_chart(["<b>"], [Series("<script>x</script>", [1])], label='"><script>')
    assert "<script>" not in str(chart)
    lxml.etree.fromstring(str(chart).encode())  # still well-formed


def test_nothing_to_draw_is_no_chart():
    assert str(bar_chart([], [Series("x", [])], label="x")) == ""
    assert str(line_chart([], label="x")) == ""
    assert re.search(r"<svg", str(bar_chart(["a"], [Series("x", [0])], label="x")))


def test_weasyprint_prints_the_charts_with_their_labels_as_text():
    from pypdf import PdfReader
    from weasyprint import HTML

    bars = bar_chart(["2016/17", "2017/18"], [Series("Net income", [106494, 162508])], label="Income")
    line = line_chart([Point(date(2019, 1, 1), 21627), Point(date(2019, 4, 1), 21700)], label="List size")
    pdf = HTML(string=f'<html lang="en-GB"><body>{bars}{line}</body></html>').write_pdf()
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    for label in ["2016/17", "2017/18", "Net income", "Jan 2019", "Apr 2019"]:
        assert label in text
    assert HEIGHT > 0
