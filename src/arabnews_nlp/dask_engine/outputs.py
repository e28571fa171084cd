"""Analysis records out of Dask: a folder of JSON Lines or Parquet parts, written by the workers.

A corpus analysed on a cluster is written where it was read — shared storage — one part per
partition, by Dask's own writers (:meth:`dask.bag.Bag.to_textfiles`,
:meth:`dask.dataframe.DataFrame.to_parquet`), so any fsspec URL works and nothing funnels
through the client. Records are the same dicts the local engine writes
(:meth:`~arabnews_nlp.pipeline.AnalysisRecord.to_dict`), encoded the same way: JSON Lines by
the corpus encoder, Parquet with the local writer's nested schema. Parts are numbered in
input order, so reading the folder back gives the records in input order.

Example:
    >>> import os, tempfile, dask
    >>> import dask.bag as db
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.pipeline import analyze
    >>> articles = [Article(id=str(i), title=f"خبر رقم {i}", body="نص الخبر.") for i in range(3)]
    >>> records = db.from_sequence(analyze(articles, related_k=0), npartitions=2)
    >>> out = tempfile.TemporaryDirectory()
    >>> folder = os.path.join(out.name, "analysis")
    >>> with dask.config.set(scheduler="synchronous"):
    ...     paths = write_records_dask(records.map(lambda r: r.to_dict()), folder)
    >>> [p.rsplit("/", 1)[-1] for p in paths]
    ['part-00000.jsonl', 'part-00001.jsonl']
    >>> out.cleanup()
"""

from __future__ import annotations

import os
import shutil
from typing import Any

import dask.bag as db

from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis
from arabnews_nlp.article import Article
from arabnews_nlp.corpus.encoders import to_json

__all__ = [
    "DASK_OUTPUT_FORMATS",
    "join_parts",
    "record_columns",
    "wants_parts",
    "write_records_dask",
]

#: Formats the Dask engine writes (CSV is a single-file format: use the local engine).
DASK_OUTPUT_FORMATS = ("jsonl", "parquet")


def record_columns(include_text: bool = False) -> list[str]:
    """The keys of an output record, in order (the Parquet columns)."""
    template = AnalysisRecord(ArticleAnalysis(Article(id="-"), "", "", 0.0))
    return list(template.to_dict(include_text=include_text))


def _part_name(number: int) -> str:
    return f"{number:05d}"


#: The files an earlier run may have left in an output folder, per format.
_PARTS = {
    "jsonl": ("part-*.jsonl",),
    "parquet": ("part.*.parquet", "_metadata", "_common_metadata"),
}


def _clear_parts(target: str, fmt: str, storage_options: dict[str, Any] | None) -> None:
    """Remove the parts of an earlier run, so a run with fewer partitions leaves no stale ones
    (nothing else in the folder is touched)."""
    from fsspec.core import url_to_fs

    fs, root = url_to_fs(target, **(storage_options or {}))
    stale = [path for pattern in _PARTS[fmt] for path in fs.glob(f"{root.rstrip('/')}/{pattern}")]
    if stale:
        fs.rm(stale)


def write_records_dask(
    records: db.Bag,
    output: str | os.PathLike[str],
    fmt: str = "jsonl",
    *,
    include_text: bool = False,
    storage_options: dict[str, Any] | None = None,
) -> list[str]:
    """Write a bag of output records into the folder ``output``, one part per partition.

    Args:
        records: Dicts from :meth:`~arabnews_nlp.pipeline.AnalysisRecord.to_dict`.
        output: The folder (created; the parts of an earlier run in it are removed first).
        fmt: ``"jsonl"`` (``part-00000.jsonl``...) or ``"parquet"`` (``part.0.parquet``...).
        include_text: The records carry ``lede`` and ``body`` (Parquet needs the columns).
        storage_options: Passed to fsspec.

    Returns:
        The paths written.
    """
    if fmt not in DASK_OUTPUT_FORMATS:
        raise ValueError(f"the Dask engine writes {DASK_OUTPUT_FORMATS}, not {fmt!r}")
    target = os.fspath(output)
    options = {"storage_options": storage_options} if storage_options else {}
    _clear_parts(target, fmt, storage_options)
    if fmt == "jsonl":
        written: list[str] = records.map(to_json).to_textfiles(
            f"{target.rstrip('/')}/part-*.jsonl",
            name_function=_part_name,
            last_endline=True,
            **options,
        )
        return written
    import pandas as pd

    from arabnews_nlp.pipeline.output import parquet_schema

    columns = record_columns(include_text)
    meta = pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    frame = records.to_dataframe(meta=meta)
    frame.to_parquet(
        target, schema=parquet_schema(columns), write_index=False, overwrite=False, **options
    )
    return [f"{target.rstrip('/')}/part.{i}.parquet" for i in range(frame.npartitions)]


def wants_parts(
    output: str | os.PathLike[str], storage_options: dict[str, Any] | None = None
) -> bool:
    """Whether ``output`` names a folder of parts: it ends with ``/`` or is a folder already.

    Anything else is one file, as the local engine writes it.
    """
    from fsspec.core import url_to_fs

    target = os.fspath(output)
    if target.endswith(("/", os.sep)):
        return True
    fs, root = url_to_fs(target, **(storage_options or {}))
    return bool(fs.isdir(root))


def _part_number(path: str) -> int:
    digits = "".join(c for c in path.rsplit("/", 1)[-1] if c.isdigit())
    return int(digits or 0)


def join_parts(
    folder: str,
    output: str,
    fmt: str,
    *,
    include_text: bool = False,
    storage_options: dict[str, Any] | None = None,
) -> None:
    """Concatenate the parts in ``folder`` (in input order) into the one file ``output``.

    The file is written under a temporary name next to ``output`` and moved into place when
    complete; one part at a time is held in memory. ``folder`` is removed afterwards.
    """
    import secrets

    from fsspec.core import url_to_fs

    fs, root = url_to_fs(output, **(storage_options or {}))
    parts = sorted(fs.glob(f"{folder.rstrip('/')}/{_PARTS[fmt][0]}"), key=_part_number)
    parent, name = root.rsplit("/", 1) if "/" in root else ("", root)
    tmp = f"{parent}/.{name}.{secrets.token_hex(4)}.tmp" if parent else f".{name}.tmp"
    try:
        with fs.open(tmp, "wb") as out:
            if fmt == "jsonl":
                for part in parts:
                    with fs.open(part, "rb") as src:
                        shutil.copyfileobj(src, out, 1 << 20)
            else:
                _join_parquet(fs, parts, out, include_text)
        fs.mv(tmp, root)
    finally:
        if fs.exists(tmp):
            fs.rm(tmp)
        fs.rm(folder, recursive=True)


def _join_parquet(fs: Any, parts: list[str], out: Any, include_text: bool) -> None:
    import pyarrow.parquet as pq

    from arabnews_nlp.pipeline.output import parquet_schema

    schema = parquet_schema(record_columns(include_text))
    with pq.ParquetWriter(out, schema) as writer:
        for part in parts:
            with fs.open(part, "rb") as src:
                writer.write_table(pq.read_table(src, schema=schema))
