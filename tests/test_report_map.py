"""The report's map of places and timeline of people (offline SVG; Chromium check skipped
without a browser)."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from arabnews_nlp import Article
from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis
from arabnews_nlp.entities import Entity, canonical_name
from arabnews_nlp.entities.linking import link_entities
from arabnews_nlp.report import render_report

CHROMIUM = next(
    (shutil.which(n) for n in ("chromium", "chromium-browser") if shutil.which(n)), None
)

PEOPLE = {"فلاديمير بوتين", "أحمد الشرع"}
ARTICLES = [
    (
        "1",
        "2025-01-10",
        "التقى فلاديمير بوتين في موسكو وفدا من دمشق",
        ["فلاديمير بوتين", "موسكو", "دمشق"],
    ),
    (
        "2",
        "2025-02-03",
        "وصل أحمد الشرع إلى موسكو بعد زيارة القاهرة",
        ["أحمد الشرع", "موسكو", "القاهرة"],
    ),
    ("3", "2025-03-21", "أمطار غزيرة في القاهرة والإسكندرية", ["القاهرة", "الإسكندرية"]),
]


def _records() -> list[AnalysisRecord]:
    out = []
    for i, day, body, names in ARTICLES:
        spans, pos = [], 0
        for name in names:
            start = body.index(name, pos)
            pos = start + len(name)
            label = "PER" if name in PEOPLE else "LOC"
            spans.append(Entity(label, name, start, pos, canonical_name(name, label)))
        art = Article(id=i, title="", body=body, published=day)
        ents = link_entities(spans, art.text)
        out.append(AnalysisRecord(ArticleAnalysis(art, "politics", "سياسة", 0.9, ents)))
    return out


def test_report_has_a_map_and_a_people_timeline() -> None:
    html = render_report(_records())
    start = html.index('<section id="map">')
    map_html = html[start : html.index("</section>", start)]
    # Moscow and Cairo (two articles each) and Damascus, Alexandria: four points, the two
    # busiest drawn larger.
    assert map_html.count("<circle") == 4
    assert "Moscow" in map_html and "Cairo" in map_html
    people = html[html.index('<section id="people">') :]
    assert "Vladimir Putin" in people and "Ahmed al-Sharaa" in people
    assert "<polyline" in people


def test_report_without_linked_places_has_no_map() -> None:
    art = Article(id="1", title="خبر", body="نص بلا أسماء")
    html = render_report([AnalysisRecord(ArticleAnalysis(art, "politics", "سياسة", 0.9, []))])
    assert '<section id="map">' not in html


@pytest.mark.browser
@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed")
def test_map_renders_in_chromium(tmp_path) -> None:
    Image = pytest.importorskip("PIL.Image")
    html = render_report(_records())
    start = html.index('<section id="map">')
    section = html[start : html.index("</section>", start) + len("</section>")]
    page = tmp_path / "map.html"
    page.write_text(
        '<!doctype html><html><head><meta charset="utf-8"></head>'
        f'<body style="margin:0;width:960px">{section}</body></html>',
        encoding="utf-8",
    )
    png = tmp_path / "map.png"
    command = [
        str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--disable-background-networking", f"--user-data-dir={tmp_path / 'profile'}",
        f"--screenshot={png}", "--window-size=960,600", page.as_uri(),
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert png.exists(), result.stderr[-2000:]
    image = Image.open(png).convert("RGB")
    colors = {rgb for _, rgb in image.getcolors(maxcolors=1 << 16) or []}
    # Land grey of the outlines and the orange of the place circles are both drawn.
    assert (228, 231, 235) in colors
    assert any(r > 180 and 60 < g < 140 and b < 90 for r, g, b in colors)
