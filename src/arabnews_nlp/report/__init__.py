"""The HTML report of a corpus analysis: one self-contained, right-to-left page.

The page has the section distribution, the top people, places and organizations, an entity
co-occurrence heat map, a "who said what" table (each top person's quotes, with the cue and a
link to the article), sections over time (when articles have dates) and one anchored block
per article with its entities highlighted at their offsets and links to its related articles.
Everything is inline (CSS and SVG; no script, font or image is fetched), so the file can be
mailed or opened offline. All text is escaped by the template engine; text from the corpus
(titles, names, sources, ids) is isolated in ``<bdi>`` so a stray direction mark cannot reorder
what follows it; only http(s) URLs become links; and a Content-Security-Policy forbids loading
or running anything.

Example:
    >>> import os, tempfile
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.pipeline import analyze
    >>> from arabnews_nlp.report import write_report
    >>> articles = [
    ...     Article(id="1", title="الهلال يفوز على النصر", body="فاز الهلال على النصر بهدفين."),
    ...     Article(id="2", title="الهلال يتصدر الدوري", body="تصدر الهلال الدوري بعد فوزه."),
    ... ]
    >>> out = tempfile.TemporaryDirectory()
    >>> records = list(analyze(articles, related_k=1))
    >>> path = write_report(records, os.path.join(out.name, "report.html"))
    >>> path.name, 'dir="rtl"' in path.read_text(encoding="utf-8")
    ('report.html', True)
    >>> out.cleanup()
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from arabnews_nlp._lazy import lazy_attributes

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.report.layout import DEFAULT_ARTICLES
    from arabnews_nlp.report.render import render_report, web_link, write_report

# Rendering needs the analysis records (and so the entity code): imported on first use, so
# reading a constant stays cheap for the command line.
_LAZY = {
    "DEFAULT_ARTICLES": "arabnews_nlp.report.layout",
    "render_report": "arabnews_nlp.report.render",
    "web_link": "arabnews_nlp.report.render",
    "write_report": "arabnews_nlp.report.render",
}

__all__ = ["DEFAULT_ARTICLES", "render_report", "web_link", "write_report"]

__getattr__ = lazy_attributes(__name__, _LAZY, globals())
