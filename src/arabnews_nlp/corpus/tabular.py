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
import json
from collections.abc import Iterator
from typing import IO, Any

from arabnews_nlp.corpus.errors import RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord, RecordProblem
from arabnews_nlp.corpus.sources import Source
from arabnews_nlp.corpus.streams import read_limited

__all__ = ["JSON_COLUMNS_KEY", "read_csv", "read_parquet", "read_tsv"]

# Schema-metadata key naming the Parquet columns that hold JSON text.
JSON_COLUMNS_KEY = b"arabnews:json_columns"
_CSV_FIELD_CAP = 2**31 - 1


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
    reader = csv.reader(text, delimiter=delimiter)
    header: list[str] | None = None
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            kind = "too_large" if "field limit" in str(exc) else "parse"
            yield RecordError(source.name, line, f"bad CSV row: {exc}", kind)
            line = reader.line_num + 1
            continue
        start, line = line, reader.line_num + 1
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
        metadata = parquet.schema_arrow.metadata or {}
        json_columns = set(json.loads(metadata.get(JSON_COLUMNS_KEY, b"[]")))
        batches = parquet.iter_batches(batch_size=options.batch_size)
        index = 0
        for batch in batches:
            for row in batch.to_pylist():
                index += 1
                try:
                    for name in json_columns & row.keys():
                        if isinstance(row[name], str):
                            row[name] = json.loads(row[name])
                except json.JSONDecodeError as exc:
                    yield RecordError(
                        source.name, index, f"column {name} is not valid JSON: {exc}", "parse"
                    )
                    continue
                yield RawRecord(index, row)
    except (pa.ArrowException, ValueError) as exc:
        raise RecordProblem("format", f"unreadable Parquet file: {exc}") from None
