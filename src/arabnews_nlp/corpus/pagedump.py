"""The plain-text dump of an Arabic news article page (``format="pagedump"``).

Shape, one item per line, blank lines anywhere::

    <section label>
    <title>
    <view count>
    <tags>
    <body paragraphs and sub-headings...>
    مقالات ذات صلة
    <title> [<title repeated>] <lede> <view count>   (one group per related article)

The page becomes one Article: ``section`` = label, ``tags``, ``body`` with sub-headings kept
as paragraphs (also listed in ``meta["subheadings"]``), ``meta["views"]``, and the related
block as ``meta["related"] = [{"title", "lede", "views"}, ...]`` (lines after the last
view count, such as an advert, go to ``meta["trailer"]``). A date line among the first lines
after the title (``نشر في: الخميس 20 مارس 2025``) becomes ``published`` and leaves the body.
Tags: the line is split on tab, ``،``, ``,``, ``|``, ``#`` or runs of 2+ spaces (or
``tag_separator=``); a dump without separators lost the tag boundaries, so it is split into
words and the line is kept verbatim in ``meta["tags_raw"]``.

Example:
    >>> import io
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> from arabnews_nlp.corpus.sources import Source
    >>> page = "\\n".join(["اقتصاد", "", "البنك المركزي يثبت سعر الفائدة", "1.204",
    ...     "بنوك، فائدة", "", "أبقى البنك المركزي سعر الفائدة دون تغيير.", "مقالات ذات صلة",
    ...     "تراجع التضخم", "تراجع التضخم", "انخفض التضخم للشهر الثالث.", "88"])
    >>> src = Source("page.txt", ".txt", ("page.txt",), None, None, None)
    >>> [rec] = read_pagedump(src, io.BytesIO(page.encode()), ReadOptions())
    >>> rec.data["section"], rec.data["tags"], rec.data["meta"]["views"]
    ('اقتصاد', ['بنوك', 'فائدة'], 1204)
    >>> rec.data["meta"]["related"]
    [{'title': 'تراجع التضخم', 'lede': 'انخفض التضخم للشهر الثالث.', 'views': 88}]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from arabnews_nlp._charmaps import SENTENCE_END
from arabnews_nlp.article import Article
from arabnews_nlp.corpus.errors import RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import decode_text, read_limited
from arabnews_nlp.dates.dateline import find_dateline

__all__ = ["RELATED_MARKERS", "parse_pagedump", "read_pagedump", "related_stubs_as_articles"]

RELATED_MARKERS = frozenset({"مقالات ذات صلة", "اقرأ أيضا", "اقرأ أيضاً", "أخبار ذات صلة"})
_COUNT = re.compile(r"^[\d٠-٩][\d٠-٩,.٬]*$")
_TAG_SPLIT = re.compile(r"\t|،|,|\||#| {2,}")
# A line ending like running text: a sentence end, or a colon, comma or closing quote.
_RUNNING_TEXT_END = (*sorted(SENTENCE_END), ":", "»", '"', "،")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789", ",.٬")
_MAX_HEADING_WORDS = 12


def _count(line: str) -> int | None:
    """A view count like ``295``, ``1.204`` or ``١٢٠٤``; None when the line is not one."""
    return int(line.translate(_DIGITS)) if _COUNT.match(line) else None


def _is_heading(line: str) -> bool:
    # Sub-headings are short and carry no sentence-final punctuation.
    return len(line.split()) <= _MAX_HEADING_WORDS and not line.endswith(_RUNNING_TEXT_END)


def _split_tags(line: str, separator: str | None) -> list[str]:
    if separator is not None:
        parts = line.split(separator)
    elif _TAG_SPLIT.search(line):
        parts = _TAG_SPLIT.split(line)
    else:
        parts = line.split()
    return [part.strip() for part in parts if part.strip()]


def _related(lines: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    """Stubs, each closed by its view count, and the trailing lines that close no stub
    (page furniture such as an advert line after the last count)."""
    stubs: list[dict[str, Any]] = []
    group: list[str] = []
    for line in lines:
        views = _count(line)
        if views is None:
            if not group or group[-1] != line:  # the title is printed twice (image + link)
                group.append(line)
            continue
        if group:
            stubs.append({"title": group[0], "lede": " ".join(group[1:]) or None, "views": views})
        group = []
    return stubs, group


def parse_pagedump(text: str, tag_separator: str | None = None) -> dict[str, Any]:
    """Parse a page dump into Article fields (see the module docstring for the shape)."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line]
    marker = next((i for i, line in enumerate(lines) if line in RELATED_MARKERS), len(lines))
    head, related = lines[:marker], lines[marker + 1 :]
    meta: dict[str, Any] = {}
    section = head[0] if head else None
    title = head[1] if len(head) > 1 else ""
    rest = head[2:]
    # A date line near the top (نشر في: الخميس 20 مارس 2025) is the publication date, not text.
    dateline = find_dateline(rest, limit=4)
    if dateline is not None:
        rest = rest[: dateline[0]] + rest[dateline[0] + 1 :]
    if rest and _count(rest[0]) is not None:
        meta["views"] = _count(rest[0])
        rest = rest[1:]
    tags: list[str] = []
    # A short unpunctuated line right after the counter is the tag line, not the lead.
    if len(rest) > 1 and _is_heading(rest[0]):
        tags = _split_tags(rest[0], tag_separator)
        if tag_separator is None and not _TAG_SPLIT.search(rest[0]):
            meta["tags_raw"] = rest[0]
        rest = rest[1:]
    subheadings = [line for line in rest if _is_heading(line)]
    if subheadings:
        meta["subheadings"] = subheadings
    meta["related"], trailer = _related(related)
    if trailer:
        meta["trailer"] = trailer
    fields = {
        "title": title,
        "body": "\n".join(rest),
        "section": section,
        "tags": tags,
        "meta": meta,
    }
    if dateline is not None:
        fields["published"] = dateline[1]
    return fields


def read_pagedump(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """One record per dump file (record number 1)."""
    text = decode_text(read_limited(stream, options.max_record_bytes), options.encoding)
    fields = parse_pagedump(text, options.tag_separator)
    fields["meta"]["file"] = source.name
    yield RawRecord(1, fields)


def related_stubs_as_articles(article: Article) -> list[Article]:
    """The page's related-article stubs as Articles (title, lede as body), in page order.

    Each stub gets ``source`` of the page, ``meta["views"]``, ``meta["position"]`` (1-based)
    and ``meta["related_to"]`` (the page article's id); ids are derived from source and title.
    Entries without a string title are skipped (positions stay the block's).

    >>> stub = {"title": "افتتاح مصنع جديد", "lede": "افتتح اليوم مصنع.", "views": 5}
    >>> page = Article(title="رئيس الوزراء يزور المصنع", body="...", source="demo",
    ...                meta={"related": [stub]})
    >>> [(a.title, a.body, a.meta["views"]) for a in related_stubs_as_articles(page)]
    [('افتتاح مصنع جديد', 'افتتح اليوم مصنع.', 5)]
    """
    stubs = article.meta.get("related")
    if not isinstance(stubs, list):
        return []
    out = []
    for position, stub in enumerate(stubs, start=1):
        # A block from another reader's ``meta`` may hold anything: a stub needs a title.
        if not isinstance(stub, dict) or not isinstance(stub.get("title"), str):
            continue
        lede = stub.get("lede") if isinstance(stub.get("lede"), str) else None
        out.append(
            Article(
                title=stub["title"],
                body=lede or "",
                lede=lede,
                source=article.source,
                meta={"views": stub.get("views"), "position": position, "related_to": article.id},
            )
        )
    return out
