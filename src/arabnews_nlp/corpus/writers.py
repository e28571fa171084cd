"""Writers that never leave a truncated file that looks complete.

Output goes to ``<path>.partial`` and is renamed to ``<path>`` (``os.replace``, atomic on
one file system) only when the writer closes normally, so **``<path>`` exists only when
complete**. If the code writing raises, the encoder is still finished (JSON ``]``, Parquet
footer, gzip trailer) and the file stays at ``<path>.partial``: a valid file holding every
record written so far, which a resumed run can pick up. After a hard kill (SIGKILL, power
loss) ``.partial`` may end in a torn JSON line; ``append=True`` repairs that tail first.

Resuming a JSON Lines run (``append=True``): the writer continues ``<path>.partial`` (or
moves a finished ``<path>`` there first), only ever adds whole lines after the last
complete one, and renames back to ``<path>`` on close. :func:`completed_ids` tells which
records are already done.

Example:
    >>> import tempfile, pathlib
    >>> from arabnews_nlp.article import Article
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> write_articles([Article(title="سد النهضة", body="عادت المفاوضات.", source="demo")], out)
    1
    >>> with ArticleWriter(out, append=True) as writer:
    ...     writer.write({"id": "x2", "title": "جولة جديدة", "body": "تبدأ غدا."})
    >>> sorted(completed_ids(out))
    ['a-c5863ee47bcf5c26', 'x2']
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import json
import logging
import lzma
import os
import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from arabnews_nlp.corpus.encoders import Encoder, as_record, make_encoder
from arabnews_nlp.corpus.sources import PARTIAL_SUFFIX, split_suffix

__all__ = ["WRITE_FORMATS", "ArticleWriter", "completed_ids", "write_articles"]

logger = logging.getLogger("arabnews_nlp.corpus")

WRITE_FORMATS = ("jsonl", "json", "csv", "tsv", "parquet")
_BY_SUFFIX = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".json": "json",
    ".csv": "csv",
    ".tsv": "tsv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
_COMPRESSORS: dict[str, Any] = {
    ".gz": lambda raw: gzip.GzipFile(fileobj=raw, mode="wb"),
    ".bz2": lambda raw: bz2.BZ2File(raw, "wb"),
    ".xz": lambda raw: lzma.LZMAFile(raw, "wb"),  # noqa: SIM115
}


def _fsync_dir(directory: Path) -> None:
    # Makes the rename itself durable; not possible (nor needed) on every platform.
    with contextlib.suppress(OSError, AttributeError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _repair_tail(handle: IO[bytes]) -> int:
    """Cut a torn last line (no trailing newline) left by a hard kill; returns bytes cut."""
    end = handle.seek(0, os.SEEK_END)
    position = end
    while position > 0:
        step = min(position, 1 << 16)
        handle.seek(position - step)
        chunk = handle.read(step)
        if position == end and chunk.endswith(b"\n"):
            return 0
        newline = chunk.rfind(b"\n")
        if newline >= 0:
            position = position - step + newline + 1
            break
        position -= step
    handle.truncate(position)
    handle.seek(position)
    return end - position


class ArticleWriter:
    """Stream records (Articles or dicts) to a file, finished atomically.

    Args:
        path: Output file; the format comes from its extension (``.jsonl``, ``.json``,
            ``.csv``, ``.tsv``, ``.parquet``, optionally ``.gz``/``.bz2``/``.xz`` for the
            text formats) unless ``format`` is given. ``"-"`` writes JSON Lines to stdout.
        format: ``jsonl``, ``json``, ``csv``, ``tsv`` or ``parquet``.
        append: JSON Lines only: continue ``<path>.partial`` or ``<path>`` instead of
            starting over (for ``--resume``).
        columns: Fields to write, in order (CSV header, Parquet columns, JSON keys).
        row_group_size: Records per Parquet row group.

    Use it as a context manager: normal exit calls :meth:`close` (rename to ``path``), an
    exception calls :meth:`abort` (keep ``<path>.partial``) and propagates.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        format: str | None = None,
        *,
        append: bool = False,
        columns: Sequence[str] | None = None,
        row_group_size: int = 1024,
    ) -> None:
        self.count = 0
        self.closed = False
        self.repaired_bytes = 0
        text = os.fspath(path)
        suffix, compression = split_suffix(text) if text != "-" else (".jsonl", None)
        self.format = format or _BY_SUFFIX.get(suffix) or ""
        if self.format not in WRITE_FORMATS:
            raise ValueError(
                f"cannot tell the output format of {text!r}; "
                f"pass format= one of {list(WRITE_FORMATS)}"
            )
        if compression and self.format == "parquet":
            raise ValueError("Parquet compresses internally; do not add .gz/.bz2/.xz")
        if append and (self.format != "jsonl" or compression):
            raise ValueError("append=True is only supported for uncompressed JSON Lines")
        self._raw: IO[bytes]
        self._stream: IO[bytes]
        if text == "-":
            self.path = self.partial_path = None
            self._raw = self._stream = sys.stdout.buffer
        else:
            self.path = Path(text)
            self.partial_path = self.path.with_name(self.path.name + PARTIAL_SUFFIX)
            self._raw = self._open_working_file(append)
            self._stream = _COMPRESSORS[compression](self._raw) if compression else self._raw
        self._encoder: Encoder = make_encoder(self.format, self._stream, columns, row_group_size)

    def _open_working_file(self, append: bool) -> IO[bytes]:
        assert self.path is not None and self.partial_path is not None
        if not append:
            return self.partial_path.open("wb")
        if self.path.exists():
            if self.partial_path.exists():
                raise FileExistsError(
                    f"both {self.path} and {self.partial_path} exist; remove the one not to resume"
                )
            os.replace(self.path, self.partial_path)
        handle = self.partial_path.open("a+b")
        self.repaired_bytes = _repair_tail(handle)
        if self.repaired_bytes:
            logger.warning(
                "%s: cut a torn last line (%d bytes)", self.partial_path, self.repaired_bytes
            )
        return handle

    def write(self, record: Any) -> None:
        """Write one Article or mapping."""
        if self.closed:
            raise ValueError("write to a closed ArticleWriter")
        self._encoder.write(as_record(record))
        self.count += 1

    def write_many(self, records: Iterable[Any]) -> int:
        """Write every record of an iterable (streamed); returns how many were written."""
        before = self.count
        for record in records:
            self.write(record)
        return self.count - before

    def flush(self) -> None:
        """Push the records written so far to the operating system (whole records only)."""
        self._encoder.flush()

    def _finish(self) -> None:
        try:
            self._encoder.finish()
        finally:
            if self._stream is not self._raw:
                self._stream.close()
            if self.path is not None:
                self._raw.flush()
                os.fsync(self._raw.fileno())
                self._raw.close()
            self.closed = True

    def close(self) -> Path | None:
        """Finish the file and rename it to ``path``; returns ``path`` (None for stdout)."""
        if self.closed:
            return self.path
        self._finish()
        if self.path is not None and self.partial_path is not None:
            os.replace(self.partial_path, self.path)
            _fsync_dir(self.path.parent)
        return self.path

    def abort(self) -> Path | None:
        """Finish the file but leave it at ``<path>.partial``; returns that path."""
        if not self.closed:
            self._finish()
        return self.partial_path

    def __enter__(self) -> ArticleWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.close()
        else:
            try:
                kept = self.abort()
            except Exception as error:  # never mask the exception that stopped the writing
                logger.warning("could not finish %s: %s", self.partial_path, error)
            else:
                logger.warning("write interrupted after %d records; kept %s", self.count, kept)


def write_articles(
    records: Iterable[Any],
    path: str | os.PathLike[str],
    format: str | None = None,
    **options: Any,
) -> int:
    """Write Articles or dicts to ``path`` atomically; returns the number written.

    Accepts the same keyword options as :class:`ArticleWriter` (``append``, ``columns``,
    ``row_group_size``). If ``records`` raises part-way (for example a reader under
    ``errors="raise"``), ``<path>.partial`` keeps what was written and the error propagates.
    """
    with ArticleWriter(path, format, **options) as writer:
        writer.write_many(records)
    return writer.count


def completed_ids(path: str | os.PathLike[str], key: str = "id") -> set[str]:
    """Ids already present in a JSON Lines output ``path`` and/or its ``.partial`` file.

    Torn or malformed lines are ignored, so the result is exactly the set of records a
    resumed run does not need to redo.
    """
    target = Path(path)
    found: set[str] = set()
    for candidate in (target, target.with_name(target.name + PARTIAL_SUFFIX)):
        if not candidate.exists():
            continue
        with candidate.open("rb") as handle:
            for line in handle:
                if not line.endswith(b"\n"):
                    continue  # torn by a hard kill; append mode will cut it
                try:
                    value = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError):
                    continue
                if isinstance(value, dict) and value.get(key) is not None:
                    found.add(str(value[key]))
    return found
