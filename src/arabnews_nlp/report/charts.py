"""Inline SVG and colour helpers for the report (no JavaScript, no external files).

Example:
    >>> svg = timeline_svg([("2024-01", {"sports": 3}), ("2024-02", {"sports": 1, "economy": 2})],
    ...                    {"sports": "#1b9e77", "economy": "#d95f02"})
    >>> svg.startswith("<svg") and svg.count("<rect") == 3
    True
    >>> heat_color(0, 10), heat_color(10, 10)
    ('#ffffff', '#08519c')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape

__all__ = ["PALETTE", "heat_color", "section_colors", "timeline_svg"]

#: Colour-blind-safe qualitative palette (ColorBrewer Dark2 + Set2), cycled for many sections.
PALETTE = (
    "#1b9e77",
    "#d95f02",
    "#7570b3",
    "#e7298a",
    "#66a61e",
    "#e6ab02",
    "#a6761d",
    "#666666",
    "#66c2a5",
    "#fc8d62",
)


def section_colors(sections: Iterable[str]) -> dict[str, str]:
    """A stable colour per section label (sorted order, so the same label keeps its colour
    across reports of corpora with the same sections)."""
    return {s: PALETTE[i % len(PALETTE)] for i, s in enumerate(sorted(set(sections)))}


def heat_color(value: int, maximum: int) -> str:
    """A white-to-blue shade for a heat-map cell."""
    if maximum <= 0 or value <= 0:
        return "#ffffff"
    t = min(value / maximum, 1.0)
    low, high = (255, 255, 255), (8, 81, 156)
    r, g, b = (round(a + (c - a) * t) for a, c in zip(low, high, strict=True))
    return f"#{r:02x}{g:02x}{b:02x}"


def timeline_svg(
    months: Sequence[tuple[str, Mapping[str, int]]],
    colors: Mapping[str, str],
    *,
    width: int = 960,
    height: int = 280,
) -> str:
    """A stacked bar chart of articles per section per month.

    Time runs left to right as on any time axis (the SVG is ``direction="ltr"`` inside the
    right-to-left page); each bar has a ``<title>`` tooltip with the counts.
    """
    if not months:
        return ""
    left, bottom, top = 40, 40, 10
    plot_h = height - bottom - top
    peak = max(sum(c.values()) for _, c in months) or 1
    step = (width - left - 10) / len(months)
    bar = max(step * 0.7, 2.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" direction="ltr" class="timeline">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="#888"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    label_every = max(1, len(months) // 12)
    for i, (month, counts) in enumerate(months):
        x = left + i * step + (step - bar) / 2
        y = float(top + plot_h)
        tip = escape(f"{month}: " + ", ".join(f"{s} {n}" for s, n in sorted(counts.items())))
        for section in sorted(counts):
            h = plot_h * counts[section] / peak
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colors.get(section, "#999")}"><title>{tip}</title></rect>'
            )
        if i % label_every == 0:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - bottom + 16}" text-anchor="middle" '
                f'font-size="11">{escape(month)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
