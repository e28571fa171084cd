"""Write analysis records as JSON Lines, CSV or Parquet, atomically.

A file is written under a temporary name in the same folder and renamed into place only
when complete, so an interrupted run never leaves a truncated file that looks finished.

* JSON Lines and CSV go through the corpus writers
  (:func:`arabnews_nlp.corpus.write_articles`): one object per line, or one row per article
  with the nested columns (``entities``, ``top_entities``, ``quotes``, ``dates``, ``related``,
  ``duplicates``) as
  JSON text — so the output reads back with :func:`~arabnews_nlp.corpus.read_articles`.
* Parquet is written here with a fixed schema of nested types (lists of structs), so the
  columns are typed even when, say, no article of the first row group has a duplicate, and
  pandas/Arrow users get real nested columns instead of JSON text.

Example:
    >>> import json, tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> write_records([{"id": "a1", "related": [{"id": "a2", "score": 0.5}]}], path)
    1
    >>> json.loads(path.read_text(encoding="utf-8"))["related"][0]["id"]
    'a2'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from arabnews_nlp.files import atomic_file

__all__ = [
    "OUTPUT_FORMATS",
    "format_for",
    "parquet_schema",
    "write_jsonl",
    "write_records",
]

OUTPUT_FORMATS = ("jsonl", "parquet", "csv")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}
NESTED = ("entities", "top_entities", "quotes", "dates", "related", "duplicates")


def format_for(path: Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the file suffix, else JSON Lines."""
    if fmt is not None:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; expected one of {OUTPUT_FORMATS}")
        return fmt
    return _SUFFIXES.get(path.suffix.lower(), "jsonl")


def write_jsonl(rows: Iterable[dict[str, Any]], path: Path) -> int:
    """Write rows as JSON Lines (UTF-8, Arabic kept readable), atomically."""
    from arabnews_nlp.corpus.writers import write_articles

    return write_articles(rows, path, "jsonl")


def parquet_schema(columns: Sequence[str]) -> Any:
    """The Arrow schema of output records with these columns (nested types fixed)."""
    import pyarrow as pa

    link = pa.struct(
        [
            ("id", pa.string()),
            ("score", pa.float64()),
            ("title", pa.string()),
            ("shared_entities", pa.list_(pa.string())),
        ]
    )
    entity = pa.struct(
        [
            ("label", pa.string()),
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("canonical", pa.string()),
            ("score", pa.float64()),
            ("field", pa.string()),
            ("field_start", pa.int64()),
            ("field_end", pa.int64()),
            ("key", pa.string()),
            ("kb_id", pa.string()),
            ("latin", pa.string()),
            ("country", pa.string()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("kind", pa.string()),
        ]
    )
    top = pa.struct(
        [
            ("canonical", pa.string()),
            ("label", pa.string()),
            ("count", pa.int64()),
            ("salience", pa.float64()),
            ("kb_id", pa.string()),
            ("latin", pa.string()),
            ("country", pa.string()),
        ]
    )
    span = pa.struct([("text", pa.string()), ("start", pa.int64()), ("end", pa.int64())])
    quote = pa.struct(
        [
            ("speaker", span),
            ("speaker_label", pa.string()),
            ("speaker_entity", pa.string()),
            ("resolved", pa.string()),
            ("cue", span),
            ("content", span),
            ("kind", pa.string()),
            ("negated", pa.bool_()),
            ("sources", pa.list_(span)),
        ]
    )
    date = pa.struct(
        [
            ("text", pa.string()),
            ("start", pa.int64()),
            ("end", pa.int64()),
            ("value", pa.string()),
            ("granularity", pa.string()),
            ("calendar", pa.string()),
            ("month_set", pa.string()),
            ("relative", pa.bool_()),
            ("interval", pa.list_(pa.string())),
            ("hijri", pa.string()),
            ("bounds", pa.list_(pa.string())),
        ]
    )
    types = {
        "section_score": pa.float64(),
        "quotes": pa.list_(quote),
        "dates": pa.list_(date),
        "entities": pa.list_(entity),
        "top_entities": pa.list_(top),
        "related": pa.list_(link),
        "duplicates": pa.list_(link),
    }
    # Every other column is text; a fixed schema keeps an all-empty column typed.
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def _write_parquet(rows: Sequence[dict[str, Any]], path: Path) -> int:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(dict.fromkeys(k for row in rows for k in row)) or ["id"]
    table = pa.Table.from_pylist(list(rows), schema=parquet_schema(columns))
    with atomic_file(path, binary=True) as f:
        pq.write_table(table, f)
    return len(rows)


def write_records(rows: Iterable[dict[str, Any]], path: Path, fmt: str | None = None) -> int:
    """Write output records (dicts from :meth:`AnalysisRecord.to_dict`) atomically.

    Args:
        rows: The records.
        path: The output file.
        fmt: ``"jsonl"``, ``"parquet"`` or ``"csv"``; from the suffix when None.

    Returns:
        The number of records written.
    """
    from arabnews_nlp.corpus.writers import write_articles

    fmt = format_for(path, fmt)
    if fmt == "parquet":
        return _write_parquet(list(rows), path)
    return write_articles(rows, path, fmt)
