"""The report's map of places and timeline of people: inline SVG, drawn offline.

The map draws the Natural Earth country outlines shipped in ``resources/kb/world.json``
(public domain; simplified once by ``scripts/build_world_map.py``) in an equirectangular
projection, and a circle per linked place (city, country or region with coordinates) whose
area grows with the number of articles that mention it. The people timeline draws, per month,
how many articles mention each of the most mentioned people. No tile, font or script is fetched.

Example:
    >>> from arabnews_nlp.analysis.stats import EntityCount
    >>> cairo = EntityCount("LOC", "geonames:360630", "القاهرة", 14, 28, kb_id="geonames:360630",
    ...                     latin="Cairo", country="EG", lat=30.06, lon=31.25, kind="city")
    >>> svg = places_map_svg([cairo])
    >>> svg.startswith("<svg") and svg.count("<circle") == 1 and "Cairo" in svg
    True
    >>> months = ["2025-01", "2025-02", "2025-03"]
    >>> people_timeline_svg({"بوتين": {"2025-01": 2, "2025-03": 1}}, months).count("<circle")
    3
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from functools import lru_cache
from html import escape

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.stats import CorpusStats, EntityCount
from arabnews_nlp.entities.kb import KB_DIR
from arabnews_nlp.report.charts import PALETTE

__all__ = ["people_series", "people_timeline_svg", "places_map_svg"]

_NORTH, _SOUTH = 84.0, -58.0  # Antarctica and the far north carry no news
_LAND, _BORDER, _POINT = "#e4e7eb", "#ffffff", "#c2410c"


@lru_cache(maxsize=4)
def _outline_paths(width: int, height: int) -> str:
    """One ``<path>`` of every country outline, projected to the map's size."""
    with open(KB_DIR / "world.json", encoding="utf-8") as handle:
        world = json.load(handle)
    parts = []
    for _code, rings in world:
        d = []
        for flat in rings:
            points = [_project(flat[i + 1], flat[i], width, height) for i in range(0, len(flat), 2)]
            d.append("M" + "L".join(f"{x:.0f},{y:.0f}" for x, y in points) + "Z")
        parts.append("".join(d))
    return f'<path d="{"".join(parts)}" fill="{_LAND}" stroke="{_BORDER}" stroke-width="0.6"/>'


def _project(lat: float, lon: float, width: int, height: int) -> tuple[float, float]:
    lat = min(max(lat, _SOUTH), _NORTH)
    return (lon + 180) / 360 * width, (_NORTH - lat) / (_NORTH - _SOUTH) * height


def places_map_svg(places: Sequence[EntityCount], *, width: int = 960, labels: int = 8) -> str:
    """A world map with a circle per place sized by its article count (area ∝ articles).

    Args:
        places: Linked places (entities with ``lat``/``lon``); others are skipped.
        width: SVG width; the height follows the projection.
        labels: The most mentioned places get their name written next to the circle.
    """
    height = round(width * (_NORTH - _SOUTH) / 360)
    shown = sorted(
        (p for p in places if p.lat is not None and p.lon is not None), key=lambda p: -p.articles
    )
    peak = max((p.articles for p in shown), default=1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" direction="ltr" class="places-map">',
        f'<rect width="{width}" height="{height}" fill="#f8fafc"/>',
        _outline_paths(width, height),
    ]
    for p in shown:  # largest first, so small circles stay visible on top
        x, y = _project(p.lat or 0.0, p.lon or 0.0, width, height)
        r = 2.5 + 14 * math.sqrt(p.articles / peak)
        tip = escape(f"{p.name} — {p.latin or ''} ({p.country or ''}): {p.articles}")
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{r:.1f}" fill="{_POINT}" fill-opacity="0.55" '
            f'stroke="{_POINT}" stroke-width="0.8"><title>{tip}</title></circle>'
        )
    for p in shown[:labels]:
        x, y = _project(p.lat or 0.0, p.lon or 0.0, width, height)
        parts.append(
            f'<text x="{x + 6:.1f}" y="{y - 6:.1f}" font-size="11" fill="#1f2328">'
            f"{escape(p.latin or p.name)}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)


def people_timeline_svg(
    series: Mapping[str, Mapping[str, int]],
    months: Sequence[str],
    *,
    width: int = 960,
    height: int = 260,
) -> str:
    """Lines of articles per month for each person (name → month → articles).

    Time runs left to right; each point has a ``<title>`` tooltip. Empty without months.
    """
    if not months or not series:
        return ""
    left, bottom, top, right = 40, 40, 10, 10
    plot_h = height - bottom - top
    peak = max((n for counts in series.values() for n in counts.values()), default=1) or 1
    step = (width - left - right) / max(len(months) - 1, 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="100%" '
        f'role="img" direction="ltr" class="people-timeline">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" '
        f'stroke="#888"/>',
        f'<text x="{left - 6}" y="{top + 10}" text-anchor="end" font-size="11">{peak}</text>',
        f'<text x="{left - 6}" y="{top + plot_h}" text-anchor="end" font-size="11">0</text>',
    ]
    for i, (name, counts) in enumerate(series.items()):
        color = PALETTE[i % len(PALETTE)]
        points = []
        for j, month in enumerate(months):
            x = left + j * step
            y = top + plot_h - plot_h * counts.get(month, 0) / peak
            points.append((x, y, month, counts.get(month, 0)))
        # The legend, top left: the lines are named in the chart itself.
        parts.append(
            f'<rect x="{left + 10}" y="{top + 4 + 16 * i}" width="12" height="10" fill="{color}"/>'
            f'<text x="{left + 28}" y="{top + 13 + 16 * i}" font-size="12">{escape(name)}</text>'
        )
        line = " ".join(f"{x:.1f},{y:.1f}" for x, y, _, _ in points)
        parts.append(f'<polyline points="{line}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, month, n in points:
            tip = escape(f"{name} {month}: {n}")
            parts.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"><title>{tip}</title>'
                "</circle>"
            )
    every = max(1, len(months) // 12)
    for j, month in enumerate(months):
        if j % every == 0:
            parts.append(
                f'<text x="{left + j * step:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11">{escape(month)}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


def people_series(
    records: Sequence[AnalysisRecord], stats: CorpusStats, n: int = 6
) -> dict[str, dict[str, int]]:
    """Articles per month (``YYYY-MM``) of the ``n`` people mentioned in most articles, by
    display name (Latin name after the Arabic one when known); dated records only."""
    top = {(e.label, e.key): e for e in stats.top("PER", n)}
    series: dict[str, dict[str, int]] = {
        f"{e.name} ({e.latin})" if e.latin else e.name: {} for e in top.values()
    }
    names = dict(zip(top, series, strict=True))
    for record in records:
        month = (record.article.published or "")[:7]
        if not month:
            continue
        for s in record.analysis.summaries():
            name = names.get((s.label, s.kb_id or s.key))
            if name is not None:
                series[name][month] = series[name].get(month, 0) + 1
    return series
