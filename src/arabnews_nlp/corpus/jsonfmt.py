"""JSON Lines and JSON (array or concatenated objects), streamed.

JSON Lines is the robust choice for big corpora: a bad line is reported and the next
line is read normally. A JSON array is parsed value by value from a bounded buffer (no
whole-file ``json.load``), but after a syntax error it cannot be resynchronised, so the
rest of that file is reported as skipped. In both, a record with undecodable bytes, a
duplicate key or nesting deeper than :data:`~arabnews_nlp.corpus.values.MAX_DEPTH` is
reported alone and the records after it are read.

Example:
    >>> import io
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> from arabnews_nlp.corpus.sources import Source
    >>> src = Source("demo.jsonl", ".jsonl", (), None, None, None)
    >>> data = '{"title": "خبر"}\\n{bad\\n'.encode()
    >>> for item in read_jsonl(src, io.BytesIO(data), ReadOptions()):
    ...     print(item.data if isinstance(item, RawRecord) else item)
    {'title': 'خبر'}
    demo.jsonl:2: malformed JSON: Expecting property name enclosed in double quotes (column 2)
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import IO, Any

from arabnews_nlp.corpus.errors import RecordError, RecordProblem
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import iter_lines
from arabnews_nlp.corpus.values import SURROGATE, JsonParser

__all__ = ["read_json", "read_jsonl"]

_CHUNK = 1 << 20
_WS = re.compile(r"[ \t\n\r]*")


def _as_record(
    source: Source, number: int, value: Any, problem: RecordProblem | None = None
) -> RawRecord | RecordError:
    if problem is not None:
        return RecordError(source.name, number, problem.reason, problem.kind)
    if isinstance(value, dict):
        return RawRecord(number, value)
    return RecordError(
        source.name, number, f"expected a JSON object, got {type(value).__name__}", "type"
    )


def read_jsonl(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """One JSON object per line; blank lines are ignored; records are numbered by line."""
    limit = options.max_record_bytes
    parser = JsonParser()
    for number, line in iter_lines(stream, limit):
        if line is None:
            yield RecordError(
                source.name, number, f"line longer than max_record_bytes={limit:,}", "too_large"
            )
            continue
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        if not line.strip():
            continue
        try:
            text = line.decode(options.encoding).rstrip("\r\n")  # columns count on this line
        except UnicodeDecodeError as exc:
            yield RecordError(
                source.name,
                number,
                f"invalid {options.encoding} at byte offset {exc.start} of the line",
                "decode",
            )
            continue
        try:
            # json.loads' own rules, with duplicate keys and depth reported.
            value, end, problem = parser.raw_decode(text, _WS.match(text).end())  # type: ignore[union-attr]
            end = _WS.match(text, end).end()  # type: ignore[union-attr]
            if end != len(text):
                raise json.JSONDecodeError("Extra data", text, end)
        except json.JSONDecodeError as exc:
            yield RecordError(
                source.name, number, f"malformed JSON: {exc.msg} (column {exc.colno})", "parse"
            )
            continue
        except ValueError as exc:  # a too-deep value cut short: still bad syntax
            yield RecordError(source.name, number, f"malformed JSON: {exc}", "parse")
            continue
        yield _as_record(source, number, value, problem)


class _Buffer:
    """Decoded text of a stream, read in chunks; ``pos`` is the parse position."""

    def __init__(self, stream: IO[bytes], encoding: str) -> None:
        self.stream = stream
        # utf-8-sig drops a leading byte-order mark, which json would reject.
        utf8 = codecs.lookup(encoding).name == "utf-8"
        # Undecodable bytes become lone surrogates: only the record holding them is rejected.
        self.decoder = codecs.getincrementaldecoder("utf-8-sig" if utf8 else encoding)(
            errors="surrogateescape"
        )
        self.text = ""
        self.pos = 0
        self.eof = False

    def more(self) -> None:
        chunk = self.stream.read(_CHUNK)
        self.eof = not chunk
        decoded = self.decoder.decode(chunk, final=self.eof)
        self.text = self.text[self.pos :] + decoded
        self.pos = 0

    def skip_ws(self) -> bool:
        """Skip whitespace, reading more as needed; False at end of input."""
        while True:
            self.pos = _WS.match(self.text, self.pos).end()  # type: ignore[union-attr]
            if self.pos < len(self.text):
                return True
            if self.eof:
                return False
            self.more()


def _truncated(exc: json.JSONDecodeError, buf: _Buffer) -> bool:
    # A value cut by the chunk boundary fails near the end of the buffer, or inside a
    # string that has not been closed yet; anything else is a real syntax error.
    return not buf.eof and (
        len(buf.text) - exc.pos < 8 or exc.msg.startswith("Unterminated string")
    )


def _unparsable(
    exc: ValueError, buf: _Buffer, source: Source, number: int, limit: int | None
) -> RecordError | None:
    """Why the value at ``buf.pos`` ends the read, or None when the buffer may just have cut
    it short (read more and parse again)."""
    syntax = exc if isinstance(exc, json.JSONDecodeError) else None
    if buf.eof or (syntax is not None and not _truncated(syntax, buf)):
        reason = str(exc) if syntax is None else syntax.msg
        return RecordError(
            source.name, number, f"malformed JSON: {reason}; rest of file skipped", "parse"
        )
    if limit is not None and len(buf.text) - buf.pos > limit:
        return RecordError(
            source.name,
            number,
            f"record larger than max_record_bytes={limit:,}; rest of file skipped",
            "too_large",
        )
    return None


def _checked_record(
    source: Source,
    number: int,
    value: Any,
    problem: RecordProblem | None,
    span: tuple[str, int, int],
    options: ReadOptions,
) -> RawRecord | RecordError:
    """The record parsed from ``text[start:end]`` (``span``), or why it is rejected: too large,
    or bytes the encoding could not decode."""
    text, start, end = span
    limit = options.max_record_bytes
    if limit is not None and end - start > limit:
        return RecordError(
            source.name, number, f"record larger than max_record_bytes={limit:,}", "too_large"
        )
    if problem is None and SURROGATE.search(text, start, end):
        return RecordError(
            source.name, number, f"invalid {options.encoding} in the record", "decode"
        )
    return _as_record(source, number, value, problem)


def read_json(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """A JSON array of objects, or objects one after another; records are numbered from 1."""
    parser = JsonParser()
    buf = _Buffer(stream, options.encoding)
    limit = options.max_record_bytes
    index = 0
    in_array = need_separator = False
    try:
        if not buf.skip_ws():
            return
        if buf.text[buf.pos] == "[":
            in_array = True
            buf.pos += 1
        while buf.skip_ws():
            char = buf.text[buf.pos]
            if in_array and char == "]" and (need_separator or index == 0):
                buf.pos += 1
                if buf.skip_ws():
                    yield RecordError(source.name, None, "data after the closing ']'", "parse")
                return
            if in_array and need_separator:
                if char != ",":
                    yield RecordError(
                        source.name, index, f"expected ',' or ']' after record {index}", "parse"
                    )
                    return
                buf.pos += 1
                need_separator = False
                continue
            try:
                value, end, problem = parser.raw_decode(buf.text, buf.pos)
            except ValueError as exc:  # bad syntax, or a too-deep value not complete yet
                error = _unparsable(exc, buf, source, index + 1, limit)
                if error is not None:
                    yield error
                    return
                buf.more()
                continue
            index += 1
            start, buf.pos = buf.pos, end
            need_separator = in_array
            yield _checked_record(source, index, value, problem, (buf.text, start, end), options)
        if in_array:
            yield RecordError(
                source.name, None, "unterminated JSON array (truncated file?)", "parse"
            )
    except UnicodeDecodeError as exc:
        yield RecordError(
            source.name,
            index + 1,
            f"invalid {options.encoding} ({exc.reason}); rest of file skipped",
            "decode",
        )
