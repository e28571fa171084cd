"""Record encoders behind :class:`~arabnews_nlp.corpus.writers.ArticleWriter`, one per format.

Each encoder writes to an open binary file and has ``write(record)``, ``flush()`` (push
whole records to the file) and ``finish()`` (write trailers: JSON ``]``, Parquet footer,
compression end-of-stream), after which the file is a valid, complete file of its format.
Nested values (``meta``, lists of dicts) become JSON text in CSV and Parquet; Parquet
records which columns those are in its schema metadata so readers decode them back.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import PurePath
from typing import IO, Any

from arabnews_nlp.article import Article
from arabnews_nlp.corpus.tabular import JSON_COLUMNS_KEY

__all__ = ["ARTICLE_COLUMNS", "Encoder", "as_record", "make_encoder", "to_json"]

ARTICLE_COLUMNS = tuple(f.name for f in dataclasses.fields(Article))
_FLUSH_BYTES = 1 << 16


def as_record(record: Any) -> dict[str, Any]:
    """A plain dict from an Article, a mapping, a dataclass or anything with ``to_dict()``."""
    if isinstance(record, dict):
        return record
    if hasattr(record, "to_dict"):
        return dict(record.to_dict())
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        return dataclasses.asdict(record)
    if hasattr(record, "keys"):
        return dict(record)
    raise TypeError(f"cannot write a {type(record).__name__}: expected an Article or a mapping")


def _json_default(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, PurePath):
        return str(value)
    if hasattr(value, "tolist"):  # numpy scalars and arrays
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def to_json(value: Any) -> str:
    """Compact JSON that keeps Arabic readable (no ``\\uXXXX`` escapes)."""
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _nested(value: Any) -> bool:
    return isinstance(value, dict) or (
        isinstance(value, (list, tuple)) and any(isinstance(v, (dict, list, tuple)) for v in value)
    )


class Encoder:
    """Base: subclasses implement ``write``; ``flush``/``finish`` default to flushing."""

    def __init__(self, file: IO[bytes], columns: Sequence[str] | None) -> None:
        self.file = file
        self.columns = list(columns) if columns else None

    def write(self, record: dict[str, Any]) -> None:
        raise NotImplementedError

    def flush(self) -> None:
        self.file.flush()

    def finish(self) -> None:
        self.flush()


class JsonLinesEncoder(Encoder):
    """One JSON object per line; lines are handed to the file whole, never split."""

    def __init__(self, file: IO[bytes], columns: Sequence[str] | None) -> None:
        super().__init__(file, columns)
        self._pending: list[bytes] = []
        self._size = 0

    def write(self, record: dict[str, Any]) -> None:
        self._append((to_json(self._select(record)) + "\n").encode("utf-8"))

    def _select(self, record: dict[str, Any]) -> dict[str, Any]:
        return {k: record.get(k) for k in self.columns} if self.columns else record

    def _append(self, data: bytes) -> None:
        self._pending.append(data)
        self._size += len(data)
        if self._size >= _FLUSH_BYTES:
            self.flush()

    def flush(self) -> None:
        if self._pending:
            self.file.write(b"".join(self._pending))
            self._pending, self._size = [], 0
        self.file.flush()


class JsonArrayEncoder(JsonLinesEncoder):
    """A JSON array, one record per line; ``finish`` closes the bracket."""

    def __init__(self, file: IO[bytes], columns: Sequence[str] | None) -> None:
        super().__init__(file, columns)
        self._first = True
        self._append(b"[")

    def write(self, record: dict[str, Any]) -> None:
        separator = b"\n" if self._first else b",\n"
        self._first = False
        self._append(separator + to_json(self._select(record)).encode("utf-8"))

    def finish(self) -> None:
        self._append(b"\n]\n")
        self.flush()


class CsvEncoder(Encoder):
    """A header row, then one row per record; nested values as JSON text."""

    def __init__(
        self, file: IO[bytes], columns: Sequence[str] | None, delimiter: str = ","
    ) -> None:
        super().__init__(file, columns)
        self._chosen = columns is not None  # chosen columns drop other fields silently
        self._text = io.TextIOWrapper(file, encoding="utf-8", newline="", write_through=True)
        self._writer = csv.writer(self._text, delimiter=delimiter)
        self._count = 0

    def write(self, record: dict[str, Any]) -> None:
        if self.columns is None:
            self.columns = list(record)
        if self._count == 0:
            self._writer.writerow(self.columns)
        extra = record.keys() - set(self.columns)
        if extra and not self._chosen:
            raise ValueError(
                f"record {self._count + 1} has fields not in the CSV header: {sorted(extra)}; "
                "pass columns= to choose the columns"
            )
        self._count += 1
        cells = (record.get(name) for name in self.columns)
        self._writer.writerow(
            "" if v is None else to_json(v) if isinstance(v, (dict, list, tuple)) else v
            for v in cells
        )

    def finish(self) -> None:
        if self._count == 0 and self.columns:
            self._writer.writerow(self.columns)
        self._text.flush()
        self._text.detach()  # leave the binary file open for the writer to close


class ParquetEncoder(Encoder):
    """Row groups of ``row_group_size`` records; the schema is fixed by the first group."""

    def __init__(
        self, file: IO[bytes], columns: Sequence[str] | None, row_group_size: int = 1024
    ) -> None:
        super().__init__(file, columns)
        self.row_group_size = row_group_size
        self._rows: list[dict[str, Any]] = []
        self._writer: Any = None
        self._schema: Any = None
        self._json_columns: list[str] = []

    def write(self, record: dict[str, Any]) -> None:
        self._rows.append(record)
        if len(self._rows) >= self.row_group_size:
            self.flush()

    def _infer_schema(self) -> Any:
        import pyarrow as pa

        names = self.columns or list(dict.fromkeys(k for row in self._rows for k in row))
        self._json_columns = [n for n in names if any(_nested(row.get(n)) for row in self._rows)]
        arrays = {}
        for name in names:
            if name in self._json_columns:
                arrays[name] = pa.array([], pa.string())
                continue
            try:
                inferred = pa.array([row.get(name) for row in self._rows]).type
            except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
                raise ValueError(f"column {name!r} cannot be stored in Parquet: {exc}") from None
            # An all-None first group says nothing about the type; text is the safe guess.
            arrays[name] = pa.array([], pa.string() if pa.types.is_null(inferred) else inferred)
        schema = pa.table(arrays).schema
        return schema.with_metadata({JSON_COLUMNS_KEY: json.dumps(self._json_columns)})

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self._rows:
            return
        if self._schema is None:
            self._schema = self._infer_schema()
            self._writer = pq.ParquetWriter(self.file, self._schema)
        rows = [
            {
                n: (
                    to_json(row.get(n))
                    if n in self._json_columns and row.get(n) is not None
                    else row.get(n)
                )
                for n in self._schema.names
            }
            for row in self._rows
        ]
        extra = {k for row in self._rows for k in row} - set(self._schema.names)
        # A group that cannot be stored is dropped before raising, so finish() can still
        # close the file with the groups written so far.
        self._rows = []
        if extra:
            raise ValueError(f"records have fields not in the Parquet schema: {sorted(extra)}")
        try:
            table = pa.Table.from_pylist(rows, schema=self._schema)
        except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
            raise ValueError(
                f"records do not fit the Parquet schema of the first row group: {exc}"
            ) from None
        self._writer.write_table(table)

    def finish(self) -> None:
        import pyarrow.parquet as pq

        try:
            self.flush()
        finally:  # the footer is written even when the last group failed: earlier ones stay
            if self._writer is None:  # no group written: a valid empty file, Article columns
                self._rows = []
                self.columns = self.columns or list(ARTICLE_COLUMNS)
                self._schema = self._infer_schema()
                self._writer = pq.ParquetWriter(self.file, self._schema)
            self._writer.close()
            self.file.flush()


def make_encoder(
    format: str, file: IO[bytes], columns: Sequence[str] | None, row_group_size: int
) -> Encoder:
    """The encoder for ``format`` (``jsonl``, ``json``, ``csv``, ``tsv``, ``parquet``)."""
    if format == "jsonl":
        return JsonLinesEncoder(file, columns)
    if format == "json":
        return JsonArrayEncoder(file, columns)
    if format in ("csv", "tsv"):
        return CsvEncoder(file, columns, delimiter="\t" if format == "tsv" else ",")
    if format == "parquet":
        return ParquetEncoder(file, columns, row_group_size)
    raise ValueError(f"cannot write format {format!r}")
