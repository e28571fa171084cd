"""Render the HTML report (see :mod:`arabnews_nlp.report`): template context, escaping, writing."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from arabnews_nlp._version import __version__
from arabnews_nlp.analysis import AnalysisRecord, CorpusStats, RunSummary
from arabnews_nlp.files import atomic_file
from arabnews_nlp.report.charts import heat_color, section_colors, timeline_svg
from arabnews_nlp.report.highlight import highlight_fields
from arabnews_nlp.report.layout import COOCCURRENCE_N, DEFAULT_ARTICLES, LABEL_NAMES, TOP_N
from arabnews_nlp.report.maps import people_series, people_timeline_svg, places_map_svg
from arabnews_nlp.report.quotes import statement_timeline, who_said_what

__all__ = ["render_report", "web_link", "write_report"]


def web_link(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) address, else None (shown as text, not a link).

    Only these two schemes can be followed without running anything: ``javascript:`` or
    ``data:`` from a hostile corpus must never become a clickable link. Whitespace and
    control characters are refused too, as browsers strip them (a tab inside ``javascript:``).

    Example:
        >>> web_link("https://example.com/news/1"), web_link("javascript:alert(1)")
        ('https://example.com/news/1', None)
    """
    if not url or any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in url):
        return None
    return url if url.lower().startswith(("http://", "https://")) else None


def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("arabnews_nlp.report", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=jinja2.StrictUndefined,
    )


def _article_view(
    record: AnalysisRecord,
    anchors: dict[str, str],
    colors: dict[str, str],
    headlines: dict[str, str],
) -> dict[str, Any]:
    import markupsafe

    art = record.article
    fields = highlight_fields(art, record.analysis.entities)

    def link(r: Any) -> dict[str, Any]:
        return {
            "title": r.title or headlines.get(r.id) or r.id,
            "score": r.score,
            "href": anchors.get(r.id),
            "shared": list(r.shared_entities)[:5],
        }

    return {
        "anchor": anchors[art.id],
        "id": art.id,
        # An untitled article (a social post, a wire snippet) is shown by its first words.
        "title_html": markupsafe.Markup(fields.get("title") or markupsafe.escape(art.headline)),
        "lede_html": markupsafe.Markup(fields.get("lede", "")),
        "body_html": markupsafe.Markup(fields.get("body", "")),
        "source": art.source,
        "published": (art.published or "")[:16].replace("T", " "),
        "url": art.url,
        "link": web_link(art.url),
        "section": record.analysis.section,
        "section_name": record.analysis.section_name,
        "section_score": record.analysis.section_score,
        "given_section": art.section,
        "color": colors.get(record.analysis.section, "#999"),
        "top": [
            {"name": s.canonical, "label": s.label, "count": s.count}
            for s in record.analysis.summaries()[:8]
        ],
        "related": [link(r) for r in record.related],
        "duplicates": [link(d) for d in record.duplicates],
        "site_block": _site_block(art),
    }


def _site_block(article: Any) -> list[dict[str, Any]]:
    """A page dump's own related block in the site's order, with our rank and score beside each
    stub (:func:`~arabnews_nlp.related.pages.rank_page_block`); empty for other articles."""
    if not article.meta.get("related"):
        return []
    from arabnews_nlp.related.pages import rank_page_block

    ranked = sorted(rank_page_block(article), key=lambda r: r.meta_position)
    return [
        {"position": r.meta_position, "title": r.title, "rank": r.rank, "score": r.score}
        for r in ranked
    ]


def _context(
    records: Sequence[AnalysisRecord],
    stats: CorpusStats,
    summary: RunSummary | None,
    max_articles: int,
    title: str,
) -> dict[str, Any]:
    colors = section_colors(stats.sections)
    shown = records[:max_articles]
    anchors = {r.id: f"art-{i}" for i, r in enumerate(shown)}
    # A related article without a title is listed by its first words, as its own block is.
    headlines = {r.id: r.article.headline for r in records if not r.article.title}
    peak = max(stats.sections.values(), default=1)
    entities, matrix = stats.cooccurrence(n=COOCCURRENCE_N)
    off_diagonal = max(
        (v for i, row in enumerate(matrix) for j, v in enumerate(row) if i != j), default=0
    )
    return {
        "title": title,
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "version": __version__,
        "total": stats.total,
        "summary": summary.to_dict() if summary else None,
        "sections": [
            {
                "label": label,
                "name": stats.section_names.get(label, label),
                "count": n,
                "share": 100 * n / max(stats.total, 1),
                "width": 100 * n / peak,
                "color": colors[label],
            }
            for label, n in stats.sections.items()
        ],
        "labels": [
            {
                "label": label,
                "name": name,
                "entities": [
                    {
                        "name": e.name,
                        "articles": e.articles,
                        "mentions": e.mentions,
                        "width": 100 * e.articles / max(stats.top(label, 1)[0].articles, 1),
                    }
                    for e in stats.top(label, TOP_N)
                ],
            }
            for label, name in LABEL_NAMES.items()
        ],
        "cooc_entities": [{"name": e.name, "label": e.label} for e in entities],
        "cooc_rows": [
            [
                {
                    "value": v,
                    "color": "#eeeeee" if i == j else heat_color(v, off_diagonal),
                    # White digits on the darkest blues, so every count stays legible.
                    "ink": "#ffffff" if i != j and v > 0.6 * off_diagonal else "#1f2328",
                }
                for j, v in enumerate(row)
            ]
            for i, row in enumerate(matrix)
        ],
        "timeline_svg": _markup(timeline_svg(stats.timeline(), colors)),
        **_map_context(records, stats),
        "dated": sum(sum(c.values()) for _, c in stats.timeline()),
        "colors": [
            {"label": s, "name": stats.section_names.get(s, s), "color": c}
            for s, c in colors.items()
        ],
        **_quote_context(records, stats, anchors),
        "articles": [_article_view(r, anchors, colors, headlines) for r in shown],
        "shown": len(shown),
    }


def _quote_context(
    records: Sequence[AnalysisRecord], stats: CorpusStats, anchors: dict[str, str]
) -> dict[str, Any]:
    """Who said what, and the same statements by their dates (:mod:`~.quotes`)."""
    rows = who_said_what(records, stats, anchors)
    return {"who_said_what": rows, "statement_timeline": statement_timeline(rows)}


def _map_context(records: Sequence[AnalysisRecord], stats: CorpusStats) -> dict[str, Any]:
    """The places map and the people timeline (see :mod:`arabnews_nlp.report.maps`)."""
    places = [e for e in stats.entities.values() if e.label == "LOC" and e.lat is not None]
    months = [month for month, _ in stats.timeline()]
    people = people_timeline_svg(people_series(records, stats), months)
    return {
        "map_svg": _markup(places_map_svg(places)) if places else "",
        "mapped": len(places),
        "people_svg": _markup(people),
    }


def _markup(html: str) -> Any:
    import markupsafe

    return markupsafe.Markup(html)


def render_report(
    records: Sequence[AnalysisRecord],
    *,
    stats: CorpusStats | None = None,
    summary: RunSummary | None = None,
    max_articles: int | None = None,
    title: str = "تقرير تحليل الأخبار",
) -> str:
    """The report as an HTML string (see :func:`write_report`)."""
    stats = stats if stats is not None else CorpusStats.from_records(records)
    limit = DEFAULT_ARTICLES if max_articles is None else max_articles
    context = _context(records, stats, summary, limit, title)
    html: str = _environment().get_template("report.html.j2").render(**context)
    return html


def write_report(
    records: Sequence[AnalysisRecord],
    path: str | os.PathLike[str],
    *,
    stats: CorpusStats | None = None,
    summary: RunSummary | None = None,
    max_articles: int | None = None,
    title: str = "تقرير تحليل الأخبار",
) -> Path:
    """Write the self-contained HTML report of analysed articles (atomically).

    Args:
        records: The analysis records (e.g. from :func:`arabnews_nlp.pipeline.analyze`).
        path: The ``.html`` file to write.
        stats: Precomputed corpus figures (computed from ``records`` when None).
        summary: The run summary, shown in the header when given.
        max_articles: Articles that get a full block (the first ones); default
            :data:`DEFAULT_ARTICLES`. Corpus figures always cover every record.
        title: The page title.

    Returns:
        The path written.
    """
    html = render_report(
        records, stats=stats, summary=summary, max_articles=max_articles, title=title
    )
    target = Path(path)
    with atomic_file(target) as f:
        f.write(html)
    return target
