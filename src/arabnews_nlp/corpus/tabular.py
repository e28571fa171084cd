"""CSV/TSV and Parquet readers.

CSV cells are all text: empty optional cells mean "absent", and ``tags``/``meta`` cells
holding JSON (as :func:`~arabnews_nlp.corpus.write_articles` writes them) are decoded.
Parquet is read in row batches; columns our writer stored as JSON text (nested values)
are listed in the file's schema metadata and decoded back.

Example:
    >>> import io
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> from arabnews_nlp.corpus.sources import Source
    >>> src = Source("demo.tsv", ".tsv", (), None, None, None)
    >>> data = "headline\\tbody\\nسوق الذهب\\tارتفعت أسعار الذهب.\\n".encode()
    >>> [r.data for r in read_tsv(src, io.BytesIO(data), ReadOptions())]
    [{'headline': 'سوق الذهب', 'body': 'ارتفعت أسعار الذهب.'}]
"""

from __future__ import annotations

import codecs
import csv
import io
from collections import deque
from collections.abc import Iterator
from typing import IO, Any

from arabnews_nlp.corpus.errors import RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord, RecordProblem
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import read_limited
from arabnews_nlp.corpus.values import parse_json

__all__ = ["JSON_COLUMNS_KEY", "read_csv", "read_parquet", "read_tsv"]

# Schema-metadata key naming the Parquet columns that hold JSON text.
JSON_COLUMNS_KEY = b"arabnews:json_columns"
_CSV_FIELD_CAP = 2**31 - 1


class _Runaway(Exception):
    """A record grew past ``max_record_lines``: almost surely an unterminated quote."""


class _Lines:
    """The lines handed to :func:`csv.reader`, numbered, keeping those of the record being
    read: when a quote is never closed, the record is reported and its lines after the
    first are read again, instead of the quote swallowing the rest of the file."""

    def __init__(self, text: IO[str], max_lines: int | None) -> None:
        self._text = text
        self._max_lines = max_lines
        self._replay: deque[str] = deque()
        self._record: list[str] = []
        self.number = 0  # lines handed out so far
        self.start = 1  # first line of the current record
        self.eof = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self._replay.popleft() if self._replay else self._text.readline()
        if not line:
            self.eof = True
            raise StopIteration
        self.number += 1
        self._record.append(line)
        if self._max_lines is not None and len(self._record) > self._max_lines:
            raise _Runaway
        return line

    def begin(self) -> None:
        """The next line starts a new record."""
        self._record.clear()
        self.start = self.number + 1
        self.eof = False

    def reread(self) -> None:
        """Hand out the current record's lines again, from its second one."""
        self._replay.extendleft(reversed(self._record[1:]))
        self.number = self.start
        self._record.clear()


def _rows(
    source: Source, stream: IO[bytes], options: ReadOptions, delimiter: str
) -> Iterator[RawRecord | RecordError]:
    encoding = "utf-8-sig" if codecs.lookup(options.encoding).name == "utf-8" else options.encoding
    # surrogateescape keeps undecodable bytes visible as lone surrogates, so one bad row
    # is reported (by build_article) instead of the whole file failing to decode.
    text = io.TextIOWrapper(stream, encoding=encoding, errors="surrogateescape", newline="")
    limit = options.max_record_bytes
    # The field limit is process-wide in the csv module; it is only ever raised, never lowered.
    csv.field_size_limit(max(csv.field_size_limit(), limit or _CSV_FIELD_CAP))
    lines = _Lines(text, options.max_record_lines)
    reader = csv.reader(lines, delimiter=delimiter)
    header: list[str] | None = None
    while True:
        lines.begin()
        try:
            row = next(reader)
            if lines.eof:  # the file ended inside a quoted cell
                raise _Runaway
        except StopIteration:
            return
        except csv.Error as exc:
            kind = "too_large" if "field limit" in str(exc) else "parse"
            yield RecordError(source.name, lines.start, f"bad CSV row: {exc}", kind)
            continue
        except _Runaway:
            spans = "runs to the end of the file" if lines.eof else "spans too many lines"
            reason = (
                f"quoted cell never closed: the record {spans} "
                f"(max_record_lines={options.max_record_lines}); the lines after it are read again"
            )
            yield RecordError(source.name, lines.start, reason, "parse")
            lines.reread()
            reader = csv.reader(lines, delimiter=delimiter)  # a fresh parser state
            continue
        start = lines.start
        if not any(cell.strip() for cell in row):
            continue
        if header is None:
            header = [name.strip() for name in row]
            continue
        if len(row) > len(header):
            yield RecordError(
                source.name, start, f"row has {len(row)} cells, header has {len(header)}", "parse"
            )
            continue
        if limit is not None and sum(len(cell) for cell in row) > limit:
            yield RecordError(
                source.name, start, f"row larger than max_record_bytes={limit:,}", "too_large"
            )
            continue
        yield RawRecord(
            start, {name: cell for name, cell in zip(header, row, strict=False) if name}
        )


def read_csv(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """Comma-separated values with a header row (``delimiter=`` to override)."""
    return _rows(source, stream, options, options.delimiter or ",")


def read_tsv(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """Tab-separated values with a header row."""
    return _rows(source, stream, options, options.delimiter or "\t")


def _json_columns(metadata: dict[bytes, bytes]) -> set[str]:
    # Written by our writer as a JSON list of names; anything else is a damaged file.
    try:
        names = parse_json(metadata.get(JSON_COLUMNS_KEY, b"[]").decode("utf-8", "replace"))
    except RecordProblem as problem:
        names = problem
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise RecordProblem(
            "format",
            f"schema metadata {JSON_COLUMNS_KEY.decode()} must be a JSON list of column names",
        )
    return set(names)


def read_parquet(
    source: Source, stream: IO[bytes], options: ReadOptions
) -> Iterator[RawRecord | RecordError]:
    """Rows of a Parquet file, ``batch_size`` at a time; records numbered from 1.

    Parquet keeps its index at the end of the file, so a member of an archive or stdin is
    first read into memory (bounded by nothing but the file); files on disk are streamed.
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        handle: Any = (
            source.path if source.path is not None else io.BytesIO(read_limited(stream, None))
        )
        parquet = pq.ParquetFile(handle)
        json_columns = _json_columns(parquet.schema_arrow.metadata or {})
        batches = parquet.iter_batches(batch_size=options.batch_size)
        index = 0
        for batch in batches:
            for row in batch.to_pylist():
                index += 1
                try:
                    for name in json_columns & row.keys():
                        if isinstance(row[name], str):
                            row[name] = parse_json(row[name])
                except RecordProblem as problem:
                    reason = f"column {name} is not valid JSON: {problem.reason}"
                    yield RecordError(source.name, index, reason, problem.kind)
                    continue
                yield RawRecord(index, row)
    except (pa.ArrowException, ValueError) as exc:
        raise RecordProblem("format", f"unreadable Parquet file: {exc}") from None
