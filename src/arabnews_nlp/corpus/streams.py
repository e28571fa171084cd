"""Bounded byte-stream helpers: a record can never make a reader load more than the limit.

Example:
    >>> import io
    >>> data = io.BytesIO(b"a\\n" + b"x" * 50 + b"\\nb\\n")
    >>> [(n, line) for n, line in iter_lines(data, limit=10)]
    [(1, b'a\\n'), (2, None), (3, b'b\\n')]
"""

from __future__ import annotations

import codecs
import io
from collections.abc import Iterator
from typing import IO

from arabnews_nlp.corpus.records import RecordProblem

__all__ = [
    "HEAD_BYTES",
    "decode_lines",
    "decode_text",
    "iter_lines",
    "read_limited",
    "source_encoding",
    "to_utf8",
    "with_head",
]

HEAD_BYTES = 8192
_CHUNK = 1 << 16
# Longest first: the UTF-32-LE mark starts with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Encodings a byte-order mark may override: the default, and the BOM-aware Unicode ones.
_BOM_AWARE = frozenset({"utf-8", "utf-16", "utf-32"})


def read_limited(stream: IO[bytes], limit: int | None) -> bytes:
    """Read a whole (one-record) stream, refusing to hold more than ``limit`` bytes."""
    if limit is None:
        return stream.read()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise RecordProblem("too_large", f"record larger than max_record_bytes={limit:,}")
    return data


def decode_text(data: bytes, encoding: str) -> str:
    """Decode strictly (BOM tolerated) and say where the first bad byte is."""
    if encoding.lower().replace("-", "").replace("_", "") in ("utf8", "utf8sig"):
        encoding = "utf-8-sig"
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RecordProblem(
            "decode",
            f"invalid {encoding.removesuffix('-sig')} at byte offset {exc.start}: {exc.reason}",
        ) from None


def iter_lines(stream: IO[bytes], limit: int | None) -> Iterator[tuple[int, bytes | None]]:
    """Yield ``(line_number, line)``; a line over ``limit`` bytes yields ``None`` and is
    skipped in chunks, never held in memory whole."""
    number = 0
    while True:
        line = stream.readline() if limit is None else stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if limit is not None and len(line) > limit:
            while not line.endswith(b"\n"):
                line = stream.readline(_CHUNK)
                if not line:
                    break
            yield number, None
            continue
        yield number, line


class _Replay(io.RawIOBase):
    """A raw stream that first returns the already-read head, then the rest."""

    def __init__(self, head: bytes, rest: IO[bytes]) -> None:
        self._head = memoryview(head)
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        view = memoryview(buffer).cast("B")
        if self._head:
            n = min(len(view), len(self._head))
            view[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(view))
        view[: len(data)] = data
        return len(data)


def with_head(stream: IO[bytes], size: int = HEAD_BYTES) -> tuple[bytes, IO[bytes]]:
    """Read the first ``size`` bytes for format sniffing and return a stream that still
    starts at byte 0 (works on pipes and archive members, which cannot seek)."""
    head = stream.read(size)
    return head, io.BufferedReader(_Replay(head, stream), buffer_size=_CHUNK)


def source_encoding(head: bytes, declared: str) -> str:
    """The encoding to read a file with: a byte-order mark decides (UTF-8, UTF-16, UTF-32)
    unless the user declared a non-Unicode encoding such as ``cp1256``.

    >>> source_encoding("خبر".encode("utf-16"), "utf-8"), source_encoding(b"{}", "utf-8")
    ('utf-16', 'utf-8')
    """
    if codecs.lookup(declared).name in _BOM_AWARE:
        for bom, name in _BOMS:
            if head.startswith(bom):
                return name
    return declared


def _ascii_compatible(encoding: str) -> bool:
    # Line splitting and format sniffing work on bytes; UTF-16/32 need decoding first.
    return "\n{[<,\t".encode(encoding, errors="ignore").removeprefix(codecs.BOM_UTF8) == b"\n{[<,\t"


def _mark_undecodable(exc: UnicodeError) -> tuple[str, int]:
    # Each bad byte becomes a lone surrogate; it turns into invalid UTF-8 below, so the
    # record holding it is reported by the UTF-8 reader instead of the file failing.
    assert isinstance(exc, UnicodeDecodeError)
    return "\udcff" * (exc.end - exc.start), exc.end


codecs.register_error("arabnews.mark", _mark_undecodable)


class _Transcoded(io.RawIOBase):
    """A byte stream in ``encoding`` read as UTF-8 (for UTF-16/32 input)."""

    def __init__(self, stream: IO[bytes], encoding: str) -> None:
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="arabnews.mark")
        self._pending = b""
        self._eof = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        while not self._pending and not self._eof:
            chunk = self._stream.read(_CHUNK)
            self._eof = not chunk
            text = self._decoder.decode(chunk, final=self._eof)
            self._pending = text.encode("utf-8", errors="surrogateescape")
        view = memoryview(buffer).cast("B")
        n = min(len(view), len(self._pending))
        view[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def to_utf8(stream: IO[bytes], encoding: str) -> tuple[IO[bytes], str]:
    """``(stream, encoding)`` for the readers: UTF-16/32 input is transcoded to UTF-8 on the
    fly (the byte-order mark dropped), anything else is returned as it is.

    >>> stream, name = to_utf8(io.BytesIO("خبر\\n".encode("utf-16")), "utf-16")
    >>> stream.read().decode(name), name
    ('خبر\\n', 'utf-8')
    """
    if _ascii_compatible(encoding):
        return stream, encoding
    return io.BufferedReader(_Transcoded(stream, encoding), buffer_size=_CHUNK), "utf-8"


def decode_lines(stream: IO[bytes], encoding: str = "utf-8") -> Iterator[tuple[int, str | None]]:
    """``(number, line)`` for each line of a byte stream, line break removed, decoded one
    line at a time: a line that is not valid ``encoding`` comes as None and the next line is
    read normally. A byte-order mark decides the encoding, as for the corpus readers.

    >>> list(decode_lines(io.BytesIO("خبر\\n".encode() + b"\\xff\\n" + "نص".encode())))
    [(1, 'خبر'), (2, None), (3, 'نص')]
    """
    head, stream = with_head(stream)
    stream, encoding = to_utf8(stream, source_encoding(head, encoding))
    for number, line in enumerate(stream, start=1):
        try:
            yield number, line.decode(encoding).rstrip("\r\n")
        except UnicodeDecodeError:
            yield number, None
