"""Write analysis records as JSON Lines, CSV or Parquet, atomically.

The file is written under a temporary name in the same folder and renamed into place only
when complete, so an interrupted run never leaves a truncated file that looks finished.

* JSON Lines: one object per line, nested lists as JSON.
* Parquet: nested columns with a fixed schema (lists of structs), readable by pandas/Arrow.
* CSV: one row per article; the nested columns (``entities``, ``top_entities``, ``related``,
  ``duplicates``) hold JSON text.

Example:
    >>> import tempfile, json
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "out.jsonl"
    >>> write_records([{"id": "a1", "related": [{"id": "a2", "score": 0.5}]}], path)
    1
    >>> json.loads(path.read_text(encoding="utf-8"))["related"][0]["id"]
    'a2'
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO, Any

__all__ = ["OUTPUT_FORMATS", "atomic_file", "format_for", "write_jsonl", "write_records"]

OUTPUT_FORMATS = ("jsonl", "parquet", "csv")
_SUFFIXES = {".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet", ".csv": "csv"}
NESTED = ("entities", "top_entities", "related", "duplicates")


def format_for(path: Path, fmt: str | None = None) -> str:
    """The output format: ``fmt`` if given, else from the file suffix, else JSON Lines."""
    if fmt is not None:
        if fmt not in OUTPUT_FORMATS:
            raise ValueError(f"unknown output format {fmt!r}; expected one of {OUTPUT_FORMATS}")
        return fmt
    return _SUFFIXES.get(path.suffix.lower(), "jsonl")


@contextlib.contextmanager
def atomic_file(path: Path, mode: str = "w") -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path``; rename it onto ``path`` only on success."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        binary = "b" in mode
        with os.fdopen(fd, mode, **({} if binary else {"encoding": "utf-8", "newline": ""})) as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_jsonl(rows: Sequence[dict[str, Any]], path: Path) -> int:
    """Write rows as JSON Lines (UTF-8, Arabic kept readable), atomically."""
    with atomic_file(path) as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    return len(rows)


def _write_csv(rows: Sequence[dict[str, Any]], path: Path) -> None:
    columns = list(dict.fromkeys(k for row in rows for k in row))
    with atomic_file(path) as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow(
                {
                    k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v
                    for k, v in row.items()
                }
            )


def _parquet_schema(columns: Sequence[str]) -> Any:
    import pyarrow as pa

    link = pa.struct(
        [
            ("id", pa.string()),
            ("score", pa.float64()),
            ("title", pa.string()),
            ("shared_entities", pa.list_(pa.string())),
            ("shared_terms", pa.list_(pa.string())),
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
        ]
    )
    top = pa.struct(
        [
            ("canonical", pa.string()),
            ("label", pa.string()),
            ("count", pa.int64()),
            ("salience", pa.float64()),
        ]
    )
    types = {
        "section_score": pa.float64(),
        "entities": pa.list_(entity),
        "top_entities": pa.list_(top),
        "related": pa.list_(link),
        "duplicates": pa.list_(link),
    }
    # Every other column is text; a fixed schema keeps an all-empty column typed.
    return pa.schema([(c, types.get(c, pa.string())) for c in columns])


def _write_parquet(rows: Sequence[dict[str, Any]], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    columns = list(dict.fromkeys(k for row in rows for k in row)) or ["id"]
    table = pa.Table.from_pylist(list(rows), schema=_parquet_schema(columns))
    with atomic_file(path, "wb") as f:
        pq.write_table(table, f)


def write_records(rows: Sequence[dict[str, Any]], path: Path, fmt: str | None = None) -> int:
    """Write output records (dicts from :meth:`AnalysisRecord.to_dict`) atomically.

    Args:
        rows: The records.
        path: The output file.
        fmt: ``"jsonl"``, ``"parquet"`` or ``"csv"``; from the suffix when None.

    Returns:
        The number of records written.
    """
    fmt = format_for(path, fmt)
    if fmt == "jsonl":
        return write_jsonl(rows, path)
    if fmt == "csv":
        _write_csv(rows, path)
    else:
        _write_parquet(rows, path)
    return len(rows)
