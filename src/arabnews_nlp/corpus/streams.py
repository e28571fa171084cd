"""Bounded byte-stream helpers: a record can never make a reader load more than the limit.

Example:
    >>> import io
    >>> data = io.BytesIO(b"a\\n" + b"x" * 50 + b"\\nb\\n")
    >>> [(n, line) for n, line in iter_lines(data, limit=10)]
    [(1, b'a\\n'), (2, None), (3, b'b\\n')]
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO

from arabnews_nlp.corpus.records import RecordProblem

__all__ = ["HEAD_BYTES", "decode_text", "iter_lines", "read_limited", "with_head"]

HEAD_BYTES = 8192
_CHUNK = 1 << 16


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
