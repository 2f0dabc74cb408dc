"""Charts drawn on the server as inline SVG: columns, horizontal bars, stacked columns and a
status timeline. No script and no asset from anywhere.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>``; colours come
from the page's stylesheet (classes ``c-…``, ``s-…``) and each colour also has a pattern
or a written value, so that no figure is told by colour alone. Pages print the same
figures as a table next to each chart. Every value is escaped; the result is
:class:`~markupsafe.Markup` for the templates.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field

from markupsafe import Markup, escape

_IDS = itertools.count(1)

#: Patterns a series or status may be drawn with, besides its colour.
PATTERNS = {
    "hatch": '<path d="M0,6 L6,0" stroke="currentColor" stroke-width="1.4"/>',
    "cross": '<path d="M0,6 L6,0 M0,0 L6,6" stroke="currentColor" stroke-width="1.2"/>',
    "dots": '<circle cx="3" cy="3" r="1.3" fill="currentColor"/>',
    "lines": '<path d="M0,3 L6,3" stroke="currentColor" stroke-width="1.4"/>',
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float


@dataclass(frozen=True)
class Series:
    """One series of a stacked chart: a label, a colour class, an optional pattern."""

    label: str
    css: str
    values: Sequence[float]
    pattern: str | None = None


@dataclass(frozen=True)
class Segment:
    start: dt.date
    end: dt.date
    css: str
    label: str
    pattern: str | None = None


@dataclass(frozen=True)
class Lane:
    label: str
    segments: Sequence[Segment] = field(default_factory=tuple)
    marks: Sequence[tuple[dt.date, str]] = ()  # dated events drawn as ticks, with a label


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _short(value: float) -> str:
    """A figure in few characters for a narrow column: 2.4M, 481k, 950."""
    if abs(value) >= 999_500:
        return f"{value / 1_000_000:.1f}M".replace(".0M", "M")
    if abs(value) >= 10_000:
        return f"{value / 1000:.0f}k"
    return _fmt(value)


def _open(title: str, desc: str, width: int, height: int, css: str) -> tuple[str, list[str]]:
    chart = f"chart{next(_IDS)}"
    parts = [
        f'<svg class="chart {css}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart}-t {chart}-d" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart}-t">{escape(title)}</title><desc id="{chart}-d">{escape(desc)}</desc>',
    ]
    return chart, parts


def _patterns(chart: str, names: set[str]) -> str:
    if not names:
        return ""
    defs = "".join(
        f'<pattern id="{chart}-{name}" width="6" height="6" patternUnits="userSpaceOnUse">'
        f"{PATTERNS[name]}</pattern>"
        for name in sorted(names) if name in PATTERNS
    )
    return f"<defs>{defs}</defs>"


def _overlay(chart: str, pattern: str | None, x: float, y: float, w: float, h: float) -> str:
    if not pattern or pattern not in PATTERNS or w <= 0 or h <= 0:
        return ""
    return (f'<rect class="pattern" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" height="{h:.1f}" '
            f'fill="url(#{chart}-{pattern})"/>')


def columns(title: str, desc: str, bars: Sequence[Bar], *, css: str = "c-1",
            width: int = 640, height: int = 220) -> Markup:
    """Vertical columns, each with its value written above it."""
    _, parts = _open(title, desc, width, height, "columns")
    bottom, left = 46, 24
    n = max(1, len(bars))
    step = (width - 2 * left) / n
    upright = step < 40  # narrow columns: values written upwards, in short form
    top = 48 if upright else 18
    plot = height - top - bottom
    peak = max((b.value for b in bars), default=0) or 1
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot}" '
                 f'x2="{width - left}" y2="{top + plot}"/>')
    every = max(1, int(n / 12 + 0.999))  # at most about a dozen labels under the axis
    for i, bar in enumerate(bars):
        h = plot * bar.value / peak
        x = left + i * step + step * 0.15
        w = step * 0.7
        y = top + plot - h
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                     f'height="{h:.1f}"><title>{escape(bar.label)}: {_fmt(bar.value)}'
                     "</title></rect>")
        if bar.value and upright:
            parts.append(f'<text class="value" transform="translate({x + w / 2 + 4:.1f},'
                         f'{y - 4:.1f}) rotate(-90)">{_short(bar.value)}</text>')
        elif bar.value:
            parts.append(f'<text class="value" x="{x + w / 2:.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{_fmt(bar.value)}</text>')
        if i % every == 0 or i == n - 1:
            parts.append(f'<text class="label" x="{x + w / 2:.1f}" y="{top + plot + 16}" '
                         f'text-anchor="middle">{escape(bar.label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def hbars(title: str, desc: str, bars: Sequence[Bar], *, css: str = "c-1",
          width: int = 460, row: int = 26, label_width: int = 130) -> Markup:
    """Horizontal bars, a row each: the label, the bar, the value."""
    height = max(1, len(bars)) * row + 8
    _, parts = _open(title, desc, width, height, "hbars")
    peak = max((b.value for b in bars), default=0) or 1
    room = width - label_width - 100
    for i, bar in enumerate(bars):
        y = 4 + i * row
        w = room * bar.value / peak
        parts.append(f'<text class="label" x="{label_width - 8}" y="{y + row * 0.62:.1f}" '
                     f'text-anchor="end">{escape(bar.label)}</text>')
        parts.append(f'<rect class="{css}" x="{label_width}" y="{y + 3}" width="{w:.1f}" '
                     f'height="{row - 8}"><title>{escape(bar.label)}: {_fmt(bar.value)}'
                     "</title></rect>")
        parts.append(f'<text class="value" x="{label_width + w + 6:.1f}" '
                     f'y="{y + row * 0.62:.1f}">{_fmt(bar.value)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def stacked(title: str, desc: str, categories: Sequence[str], series: Sequence[Series], *,
            width: int = 640, height: int = 240) -> Markup:
    """Stacked columns (one per category), each total written above; a legend below."""
    chart, parts = _open(title, desc, width, height, "stacked")
    parts.append(_patterns(chart, {s.pattern for s in series if s.pattern}))
    legend_rows = -(-len(series) // 4)
    top, bottom, left = 18, 34 + 20 * legend_rows, 24
    plot = height - top - bottom
    n = max(1, len(categories))
    step = (width - 2 * left) / n
    totals = [sum(s.values[i] for s in series) for i in range(len(categories))]
    peak = max(totals, default=0) or 1
    parts.append(f'<line class="axis" x1="{left}" y1="{top + plot}" '
                 f'x2="{width - left}" y2="{top + plot}"/>')
    every = max(1, int(n / 12 + 0.999))
    for i, category in enumerate(categories):
        x = left + i * step + step * 0.15
        w = step * 0.7
        y = float(top + plot)
        for s in series:
            h = plot * s.values[i] / peak
            if h <= 0:
                continue
            y -= h
            parts.append(f'<rect class="{s.css}" x="{x:.1f}" y="{y:.1f}" width="{w:.1f}" '
                         f'height="{h:.1f}"><title>{escape(category)}, {escape(s.label)}: '
                         f'{_fmt(s.values[i])}</title></rect>')
            parts.append(_overlay(chart, s.pattern, x, y, w, h))
        if totals[i]:
            parts.append(f'<text class="value" x="{x + w / 2:.1f}" y="{y - 4:.1f}" '
                         f'text-anchor="middle">{_fmt(totals[i])}</text>')
        if i % every == 0 or i == n - 1:
            parts.append(f'<text class="label" x="{x + w / 2:.1f}" y="{top + plot + 16}" '
                         f'text-anchor="middle">{escape(category)}</text>')
    parts.append(_legend(chart, [(s.label, s.css, s.pattern) for s in series],
                         top + plot + 30, width))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(chart: str, items: Sequence[tuple[str, str, str | None]], y0: float,
            width: int) -> str:
    parts = []
    column = (width - 16) / 4
    for i, (label, css, pattern) in enumerate(items):
        x = 8 + (i % 4) * column
        y = y0 + (i // 4) * 20
        parts.append(f'<rect class="{css}" x="{x:.1f}" y="{y:.1f}" width="14" height="14"/>')
        parts.append(_overlay(chart, pattern, x, y, 14, 14))
        parts.append(f'<text class="label" x="{x + 20:.1f}" y="{y + 12:.1f}">'
                     f"{escape(label)}</text>")
    return "".join(parts)


def timeline(title: str, desc: str, lanes: Sequence[Lane], start: dt.date, end: dt.date,
             legend: Sequence[tuple[str, str, str | None]], *, width: int = 640,
             lane_height: int = 44, today: tuple[dt.date, str] | None = None) -> Markup:
    """One lane per item (a certificate), coloured segments per status, dated ticks, and
    a dashed line at ``today`` (a date and its label) when given."""
    legend_rows = -(-len(legend) // 4)
    height = 30 + len(lanes) * lane_height + 26 + 20 * legend_rows
    chart, parts = _open(title, desc, width, height, "timeline")
    names = {s.pattern for lane in lanes for s in lane.segments if s.pattern}
    names |= {p for _, _, p in legend if p}
    parts.append(_patterns(chart, names))
    left, right = 8, width - 8
    span = max(1, (end - start).days)

    def x_of(day: dt.date) -> float:
        return left + (right - left) * min(max((day - start).days, 0), span) / span

    for year in range(start.year, end.year + 1):
        x = x_of(dt.date(year, 1, 1))
        if year > start.year:
            parts.append(f'<line class="grid" x1="{x:.1f}" y1="18" x2="{x:.1f}" '
                         f'y2="{30 + len(lanes) * lane_height}"/>')
        parts.append(f'<text class="label" x="{x + 3:.1f}" y="14">{year}</text>')
    for i, lane in enumerate(lanes):
        y = 30 + i * lane_height
        parts.append(f'<text class="label lane" x="{left}" y="{y + 12}">'
                     f"{escape(lane.label)}</text>")
        for s in lane.segments:
            x1, x2 = x_of(s.start), x_of(s.end)
            w = max(2.0, x2 - x1)
            parts.append(f'<rect class="{s.css}" x="{x1:.1f}" y="{y + 17}" width="{w:.1f}" '
                         f'height="16"><title>{escape(s.label)}: {s.start.isoformat()} – '
                         f'{s.end.isoformat()}</title></rect>')
            parts.append(_overlay(chart, s.pattern, x1, y + 17, w, 16))
        for day, label in lane.marks:
            x = x_of(day)
            parts.append(f'<line class="mark" x1="{x:.1f}" y1="{y + 14}" x2="{x:.1f}" '
                         f'y2="{y + 36}"><title>{escape(label)}</title></line>')
    if today is not None and start <= today[0] <= end:
        x = x_of(today[0])
        parts.append(f'<line class="today" x1="{x:.1f}" y1="18" x2="{x:.1f}" '
                     f'y2="{30 + len(lanes) * lane_height}"/>')
        parts.append(f'<text class="label today" x="{x - 3:.1f}" y="14" '
                     f'text-anchor="end">{escape(today[1])}</text>')
    parts.append(_legend(chart, legend, 30 + len(lanes) * lane_height + 10, width))
    parts.append("</svg>")
    return Markup("".join(parts))
