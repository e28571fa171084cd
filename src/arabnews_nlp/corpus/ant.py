"""The ANT news corpus pseudo-XML (``<DOC><DOCNO>…</DOCNO><TITLE>…</TITLE><TEXT>…</TEXT></DOC>``).

The files are not XML (bare ``<`` and ``&`` occur in the text), so elements are matched by
name, not parsed by an XML library. A file may hold one or many ``<DOC>`` elements; each
is read line by line, so a huge concatenated file streams too. The ANT v2.1 archive lays
files out as ``<Outlet>/<category>/<DOCNO>.txt``; the outlet is taken from that folder when
the layout matches the ``<CAT>`` element, else from ``<SRC>``.

Example:
    >>> import io
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> from arabnews_nlp.corpus.sources import Source
    >>> doc = (
    ...     "<DOC>\\n<DOCNO>SK-sport-1-20180101</DOCNO>\\n<SRC>skynews</SRC>\\n<CAT>sport</CAT>\\n"
    ...     "<TITLE>فوز كبير للفريق</TITLE>\\n<TIME>Mon, 01 Jan 2018 10:00:00 GMT</TIME>\\n"
    ...     "<TEXT>\\nفاز الفريق بثلاثة أهداف.\\n</TEXT>\\n</DOC>\\n"
    ... )
    >>> src = Source("SkyNews/sport/SK-sport-1-20180101.txt", ".txt",
    ...              ("SkyNews", "sport", "SK-sport-1-20180101.txt"), None, None, None)
    >>> [rec] = read_ant(src, io.BytesIO(doc.encode()), ReadOptions())
    >>> rec.data["id"], rec.data["source"], rec.data["section"], rec.data["published"]
    ('SK-sport-1-20180101', 'SkyNews', 'sport', '2018-01-01T10:00:00+00:00')
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import IO, Any

from arabnews_nlp.corpus.errors import RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord, coerce_date
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import iter_lines
from arabnews_nlp.dates.dateline import find_dateline

__all__ = ["ANT_CATEGORIES", "read_ant"]

ANT_CATEGORIES = ("culture", "economy", "internationalNews", "middleEast", "sport", "technology")
_ELEMENT = re.compile(r"<(DOCNO|URL|SRC|CAT|TITLE|TIME|AUTHOR|ABSTRACT|TEXT)>(.*?)</\1>", re.DOTALL)


def _paragraphs(text: str) -> str:
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def _doc_to_dict(doc: str, source: Source) -> dict[str, Any]:
    elements = {name: value.strip() for name, value in _ELEMENT.findall(doc)}
    category = elements.get("CAT") or None
    parts = source.parts
    # Outlet from the folder only when the path really is <Outlet>/<category>/<file>.
    from_folders = len(parts) >= 3 and category is not None and parts[-2] == category
    outlet = parts[-3] if from_folders else elements.get("SRC") or None
    meta: dict[str, Any] = {"outlet": outlet, "category": category, "docno": elements.get("DOCNO")}
    for name, key in (("SRC", "src"), ("AUTHOR", "author")):
        if elements.get(name):
            meta[key] = elements[name]
    published = None
    raw_time = elements.get("TIME")
    if raw_time:
        try:
            published = coerce_date(raw_time)
        except ValueError:
            # An odd date is not a lost record: keep it verbatim, report nothing.
            meta["time_raw"] = raw_time
    body = _paragraphs(elements.get("TEXT", ""))
    if published is None:
        # No usable <TIME>: some outlets open the text with a date line instead.
        found = find_dateline(body.split("\n", 2)[:2], limit=2)
        if found is not None:
            published = found[1]
    return {
        "id": elements.get("DOCNO") or "",
        "title": " ".join(elements.get("TITLE", "").split()),
        "body": body,
        "lede": _paragraphs(elements.get("ABSTRACT", "")) or None,
        "section": category,
        "source": outlet,
        "url": elements.get("URL") or None,
        "published": published,
        "meta": meta,
    }


def read_ant(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """Yield one record per ``<DOC>``, numbered by the line the ``<DOC>`` starts on."""
    limit = options.max_record_bytes
    lines: list[bytes] = []
    size = 0
    start: int | None = None
    oversized = False
    found = False
    for number, line in iter_lines(stream, limit):
        stripped = b"" if line is None else line.strip().removeprefix(b"\xef\xbb\xbf")
        if start is None:
            if stripped.startswith(b"<DOC>"):
                start, lines, size, oversized, found = number, [], 0, False, True
            else:
                continue  # text between documents carries nothing
        if line is None or (limit is not None and size + len(line) > limit):
            oversized = True
        elif not oversized:
            lines.append(line)
            size += len(line)
        if not stripped.endswith(b"</DOC>"):
            continue
        if oversized:
            yield RecordError(
                source.name, start, f"document larger than max_record_bytes={limit:,}", "too_large"
            )
        else:
            try:
                text = b"".join(lines).decode(options.encoding)
            except UnicodeDecodeError as exc:
                yield RecordError(
                    source.name,
                    start,
                    f"invalid {options.encoding} at byte offset {exc.start} of the document",
                    "decode",
                )
            else:
                yield RawRecord(start, _doc_to_dict(text, source))
        start = None
    if start is not None:
        yield RecordError(source.name, start, "unterminated <DOC> (truncated file?)", "parse")
    elif not found:
        yield RecordError(source.name, None, "no <DOC> element: not an ANT file", "format")
