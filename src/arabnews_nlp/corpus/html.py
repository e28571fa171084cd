"""Saved HTML article pages, extracted with trafilatura (main text, title, date, section).

trafilatura removes navigation, footers and comments, decodes the page's declared
charset, and reads Open Graph / ``article:*`` / JSON-LD metadata; the section comes from
``article:section`` (its ``categories``), tags from ``article:tag``/keywords. Dates are taken
only from metadata and markup, never guessed from the running text.

Example:
    >>> import io
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> from arabnews_nlp.corpus.sources import Source
    >>> page = '''<html><head><meta property="article:section" content="رياضة">
    ... <meta property="og:title" content="المنتخب يتأهل إلى النهائي"></head><body><article>
    ... <h1>المنتخب يتأهل إلى النهائي</h1><p>تأهل المنتخب الوطني إلى المباراة النهائية بعد
    ... فوزه في نصف النهائي بهدفين نظيفين أمام جمهور غفير ملأ مدرجات الملعب.</p>
    ... </article></body></html>'''
    >>> src = Source("page.html", ".html", ("page.html",), None, None, None)
    >>> [rec] = read_html(src, io.BytesIO(page.encode()), ReadOptions())
    >>> rec.data["title"], rec.data["section"], rec.data["body"][:20]
    ('المنتخب يتأهل إلى النهائي', 'رياضة', 'تأهل المنتخب الوطني ')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Any

from arabnews_nlp.corpus.errors import RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord, RecordProblem
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import read_limited

__all__ = ["read_html"]

# ISO with time and offset when the page has it; trafilatura's default keeps only the day.
_DATE_PARAMS = {
    "outputformat": "%Y-%m-%dT%H:%M:%S%z",
    "original_date": True,
    "extensive_search": False,
}
_META_KEYS = ("author", "sitename", "hostname", "language", "image")


def _without_title(text: str, title: str) -> str:
    # The <h1> usually opens the extracted text; the title is already its own field.
    lines = text.splitlines()
    if lines and title and lines[0].strip() == title.strip():
        lines = lines[1:]
    return "\n".join(line.strip() for line in lines if line.strip())


def read_html(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """One record per page (record number 1); missing main text is reported as ``missing body``."""
    import trafilatura

    page = read_limited(stream, options.max_record_bytes)
    document = trafilatura.bare_extraction(
        page, with_metadata=True, include_comments=False, date_extraction_params=_DATE_PARAMS
    )
    if document is None:
        raise RecordProblem("parse", "no extractable HTML content")
    found: dict[str, Any] = document.as_dict() if hasattr(document, "as_dict") else dict(document)
    title = (found.get("title") or "").strip()
    categories = [c for c in found.get("categories") or [] if c]
    meta = {key: found[key] for key in _META_KEYS if found.get(key)}
    meta["file"] = source.name
    if len(categories) > 1:
        meta["categories"] = categories
    yield RawRecord(
        1,
        {
            "title": title,
            "body": _without_title(found.get("text") or "", title),
            "section": categories[0] if categories else None,
            "tags": [t for t in found.get("tags") or [] if t],
            "published": found.get("date"),
            "url": found.get("url"),
            "lede": found.get("description") or None,
            "meta": meta,
        },
    )
