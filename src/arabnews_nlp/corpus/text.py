"""A plain-text article per file: the title on the first non-empty line, then the body.

Example:
    >>> import io
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> from arabnews_nlp.corpus.sources import Source
    >>> src = Source("news/a.txt", ".txt", ("news", "a.txt"), None, None, None)
    >>> text = "\\nموسم زراعي واعد\\n\\nتوقع المزارعون محصولا وفيرا.\\n\\nوهطلت الأمطار مبكرا.\\n"
    >>> [rec] = read_text(src, io.BytesIO(text.encode()), ReadOptions())
    >>> rec.data["title"], rec.data["body"]
    ('موسم زراعي واعد', 'توقع المزارعون محصولا وفيرا.\\nوهطلت الأمطار مبكرا.')
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from arabnews_nlp.corpus.errors import RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import decode_text, read_limited

__all__ = ["paragraphs", "read_text"]


def paragraphs(lines: list[str]) -> str:
    """Non-blank lines, stripped (no-break spaces included), one paragraph per line."""
    return "\n".join(line.strip() for line in lines if line.strip())


def read_text(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """One record per file (record number 1); ``meta["file"]`` names the file."""
    text = decode_text(read_limited(stream, options.max_record_bytes), options.encoding)
    lines = text.splitlines()
    first = next((i for i, line in enumerate(lines) if line.strip()), len(lines))
    title = lines[first].strip() if first < len(lines) else ""
    yield RawRecord(
        1, {"title": title, "body": paragraphs(lines[first + 1 :]), "meta": {"file": source.name}}
    )
