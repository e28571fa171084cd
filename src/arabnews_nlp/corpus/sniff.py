"""Decide a file's format from its extension, and from its first bytes when that is not enough.

Example:
    >>> sniff_format(".txt", "<DOC>\\n<DOCNO>X-1</DOCNO>".encode())
    'ant'
    >>> sniff_format("", '{"title": "خبر"}\\n'.encode())
    'jsonl'
    >>> sniff_format(".dat", bytes(range(256)))
    Traceback (most recent call last):
    ...
    arabnews_nlp.corpus.errors.RecordProblem: binary content, not a text or Parquet file
"""

from __future__ import annotations

import re

from arabnews_nlp.corpus.records import RecordProblem

__all__ = ["EXTENSIONS", "FORMATS", "is_binary", "sniff_format"]

FORMATS = ("jsonl", "json", "csv", "tsv", "parquet", "text", "html", "ant", "pagedump")
EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
_CONTROL_BYTES = bytes([*range(0, 9), 11, *range(14, 32), 127])
_HTML = re.compile(rb"<(!doctype\s+html|html|head|body|article)\b", re.IGNORECASE)
_VIEWS = re.compile(r"^[\d٠-٩,.]+$")


def is_binary(head: bytes, encoding: str = "utf-8") -> bool:
    """True when the first bytes are not text: over 5% C0 control bytes (NUL, ...) besides
    tab/newline/form feed. Text never has them; random or compressed bytes are ~11%. A
    ratio, not "any NUL", so one junk line in a JSON Lines file rejects only that line."""
    if not head or encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        return False
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.05


def _sniffable(head: bytes, encoding: str) -> str:
    # Only the shape matters here: a bad byte is the reader's business (it rejects just the
    # record holding it), so it must not decide the format of the whole file.
    return head.decode(encoding, errors="replace")


def _looks_like_pagedump(text: str) -> bool:
    # Section label, title, view count: the first three non-empty lines of a page dump.
    lines = [line.strip() for line in text.splitlines() if line.strip()][:3]
    return (
        len(lines) == 3
        and len(lines[0].split()) <= 4
        and len(lines[1].split()) >= 3
        and bool(_VIEWS.match(lines[2]))
    )


def sniff_format(suffix: str, head: bytes, encoding: str = "utf-8") -> str:
    """The reader name for a file with this (compression-free) suffix and first bytes.

    Known data extensions win; ``.txt``, ``.xml`` and unknown extensions are decided by
    content: ``<DOC>`` is ANT, HTML tags are HTML, ``[``/``{`` are JSON, a short label /
    title / number opening is a page dump, other text is a plain ``.txt`` article.

    Raises:
        RecordProblem: ``empty`` for an empty file, ``format`` for binary content.
    """
    by_extension = EXTENSIONS.get(suffix)
    if by_extension:
        return by_extension
    if head.startswith(b"PAR1"):
        return "parquet"
    stripped = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if not stripped:
        raise RecordProblem("empty", "empty file")
    if is_binary(head, encoding):
        raise RecordProblem("format", "binary content, not a text or Parquet file")
    text = _sniffable(head.removeprefix(b"\xef\xbb\xbf"), encoding)
    start = text.lstrip()
    if start.startswith("<DOC>"):
        return "ant"
    if _HTML.search(head[:2048]):
        return "html"
    if start.startswith("["):
        return "json"
    if start.startswith("{"):
        first_line = start.split("\n", 1)[0].rstrip()
        return "jsonl" if first_line.endswith("}") else "json"
    if _looks_like_pagedump(text):
        return "pagedump"
    return "text"
