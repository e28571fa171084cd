"""Articles into Dask: Dask's readers for JSON Lines and Parquet, corpus readers for the rest.

Every route ends in the corpus package's record rules (:func:`~arabnews_nlp.corpus.records.
build_article`: aliases, lenient dates, required fields, undecodable bytes), so a record is
accepted or rejected exactly as :func:`~arabnews_nlp.corpus.read_articles` would on one machine:

* JSON Lines (``.jsonl``/``.ndjson``, optionally compressed): :func:`dask.bytes.read_bytes`
  cuts files into line-aligned blocks (any fsspec URL: ``s3://``, ``gs://``, HDFS...), and
  each block is parsed on a worker by the corpus JSON Lines reader;
* Parquet (``.parquet``/``.pq`` files or dataset folders): :func:`dask.dataframe.read_parquet`,
  one partition per row-group batch;
* anything else (ANT archives, CSV, HTML, page dumps): the corpus reader runs on a worker,
  one task per file group. Archives cannot be split, so convert big ones to JSON Lines or
  Parquet first (see ``docs/dask.md``).

Items of the returned bag are :class:`~arabnews_nlp.Article` objects and, for rejected records,
:class:`~arabnews_nlp.corpus.RecordError` objects. :func:`drop_duplicate_ids` then keeps the
first article of each id across all partitions, as the local reader does within one stream.

Example:
    >>> import json, os, tempfile, dask
    >>> news = tempfile.TemporaryDirectory()  # a folder of daily files
    >>> lines = [{"id": "a", "title": "خبر", "body": "نص."},
    ...          {"id": "a", "title": "مكرر", "body": "نص."},
    ...          {"id": "b", "title": "خبر بلا نص"}]
    >>> with open(os.path.join(news.name, "day1.jsonl"), "w", encoding="utf-8") as f:
    ...     f.writelines(json.dumps(x, ensure_ascii=False) + "\\n" for x in lines)
    >>> pattern = os.path.join(news.name, "*.jsonl")
    >>> bag = drop_duplicate_ids(read_articles_dask(pattern, blocksize="64MiB"))
    >>> with dask.config.set(scheduler="synchronous"):
    ...     items = bag.compute()
    >>> news.cleanup()
    >>> [x.id if isinstance(x, Article) else x.reason for x in items]
    ['a', "duplicate id 'a'", 'missing body']
"""

from __future__ import annotations

import glob
import io
import math
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import dask
import dask.bag as db
from dask.delayed import Delayed

from arabnews_nlp.article import Article
from arabnews_nlp.corpus import RecordError, read_articles
from arabnews_nlp.corpus.jsonfmt import read_jsonl
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.records import RawRecord, RecordProblem, build_article
from arabnews_nlp.corpus.sources import Source, split_suffix, walk_folder

__all__ = ["InputItem", "as_article_bag", "drop_duplicate_ids", "read_articles_dask"]

#: What an input bag holds: an accepted article or a rejected record.
InputItem = Article | RecordError

_JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".jsonlines"})
_PARQUET_SUFFIXES = frozenset({".parquet", ".pq", ".parq"})
#: Files read by one corpus-reader task (small files such as ANT's one-article files).
FILES_PER_TASK = 256


def _route(path: str, input_format: str | None) -> str:
    if input_format in ("jsonl", "parquet"):
        return input_format
    if input_format is not None:
        return "reader"
    suffix, _ = split_suffix(path.rstrip("/"))
    if suffix in _JSONL_SUFFIXES:
        return "jsonl"
    if suffix in _PARQUET_SUFFIXES:
        return "parquet"
    return "reader"


def _accept(raw: RawRecord, name: str, options: ReadOptions) -> InputItem:
    """A raw record as the local reader would take it (duplicates are handled globally)."""
    try:
        article, _warning = build_article(raw.data, options)
    except RecordProblem as problem:
        return RecordError(name, raw.record, problem.reason, problem.kind)
    return article


def _parse_jsonl_block(block: bytes, name: str, options: ReadOptions) -> list[InputItem]:
    source = Source(name, ".jsonl", (), len(block), None, lambda: io.BytesIO(block))
    return [
        item if isinstance(item, RecordError) else _accept(item, name, options)
        for item in read_jsonl(source, io.BytesIO(block), options)
    ]


def _jsonl_parts(
    paths: list[str], blocksize: int | str | None, options: ReadOptions, storage: dict[str, Any]
) -> list[Delayed]:
    from dask.bytes import read_bytes

    parts: list[Delayed] = []
    for path in paths:
        _, compression = split_suffix(path)
        # Compressed streams cannot be cut at byte offsets: one block per file.
        size = None if compression else blocksize
        _, blocks, names = read_bytes(
            path,
            delimiter=b"\n",
            blocksize=size,
            compression="infer",
            include_path=True,
            **storage,
        )
        for file_blocks, file_name in zip(blocks, names, strict=True):
            for number, block in enumerate(file_blocks):
                # Line numbers restart in every block; name the block so errors stay findable.
                name = file_name if number == 0 else f"{file_name} (block {number + 1})"
                parts.append(dask.delayed(_parse_jsonl_block)(block, name, options))
    return parts


def _parse_frame(frame: Any, name: str, options: ReadOptions) -> list[InputItem]:
    records = frame.to_dict("records")
    return [
        _accept(RawRecord(None, {k: _plain(v) for k, v in row.items()}), name, options)
        for row in records
    ]


def _plain(value: Any) -> Any:
    """A pandas cell as the Python value the corpus rules expect (NaN/NA -> None)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if hasattr(value, "tolist"):  # numpy arrays of a list column
        return value.tolist()
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return None
    except ImportError:  # pragma: no cover - dask.dataframe needs pandas
        pass
    return value


def _parquet_parts(
    paths: list[str], storage: dict[str, Any], options: ReadOptions
) -> list[Delayed]:
    import dask.dataframe as dd

    frame = dd.read_parquet(paths if len(paths) > 1 else paths[0], **storage)
    name = paths[0] if len(paths) == 1 else f"{paths[0]} (+{len(paths) - 1})"
    return [dask.delayed(_parse_frame)(part, name, options) for part in frame.to_delayed()]


def _read_files(paths: list[str], input_format: str | None, options: dict[str, Any]) -> list[Any]:
    reader = read_articles(paths, input_format, errors="collect", **options)
    articles: list[Any] = list(reader)
    return articles + list(reader.report.errors)


def _folder_files(paths: Sequence[str], follow_symlinks: bool) -> list[str | RecordError]:
    """Local folders replaced by the data files the corpus readers would walk in them
    (:func:`~arabnews_nlp.corpus.sources.walk_folder`: links out of the folder are errors),
    so each file takes the route of its format; other paths and URLs are kept as given."""
    out: list[str | RecordError] = []
    for path in paths:
        if "://" in path or not os.path.isdir(path):
            out.append(path)
            continue
        for item in walk_folder(Path(path), follow_symlinks):
            out.append(item if isinstance(item, RecordError) else str(item))
    return out


def _expand(paths: Sequence[str]) -> list[str]:
    out: list[str] = []
    for path in paths:
        matches = sorted(glob.glob(path, recursive=True)) if glob.has_magic(path) else []
        # An unmatched pattern stays: the reader reports it as "missing", as locally.
        out.extend(matches or [path])
    return out


def _reader_parts(
    paths: list[str], input_format: str | None, options: dict[str, Any]
) -> list[Delayed]:
    files = _expand(paths)
    return [
        dask.delayed(_read_files)(files[i : i + FILES_PER_TASK], input_format, options)
        for i in range(0, len(files), FILES_PER_TASK)
    ]


def read_articles_dask(
    paths: str | os.PathLike[str] | Iterable[str | os.PathLike[str]],
    input_format: str | None = None,
    *,
    blocksize: int | str | None = "64MiB",
    npartitions: int | None = None,
    storage_options: dict[str, Any] | None = None,
    **options: Any,
) -> db.Bag:
    """A Dask bag of the articles (and rejected records) in ``paths``.

    Args:
        paths: Paths, folders, globs or URLs (JSON Lines and Parquet accept any fsspec URL;
            the files of a local folder are each read by the route of their format).
        input_format: Force a format (as for :func:`~arabnews_nlp.corpus.read_articles`);
            by default chosen from each path's suffix.
        blocksize: Bytes per JSON Lines partition (None: one partition per file).
        npartitions: Repartition the result to this many partitions.
        storage_options: Passed to fsspec (credentials, endpoints) for JSON Lines/Parquet.
        **options: Reader options (:class:`~arabnews_nlp.corpus.ReadOptions`).

    Returns:
        A bag of :class:`~arabnews_nlp.Article` and :class:`~arabnews_nlp.corpus.RecordError`
        items, partitions in input order. Duplicate ids are not removed yet (see
        :func:`drop_duplicate_ids`).
    """
    items = [os.fspath(paths)] if isinstance(paths, (str, os.PathLike)) else list(paths)
    read_options = ReadOptions.from_kwargs(**options)
    found = _folder_files([os.fspath(p) for p in items], read_options.follow_symlinks)
    names = [name for name in found if isinstance(name, str)]
    refused = [error for error in found if isinstance(error, RecordError)]
    storage = {"storage_options": storage_options} if storage_options else {}
    parts: list[Delayed] = []
    # Keep input order: consecutive paths of the same route are read together.
    groups: list[tuple[str, list[str]]] = []
    for name in names:
        route = _route(name, input_format)
        if groups and groups[-1][0] == route:
            groups[-1][1].append(name)
        else:
            groups.append((route, [name]))
    for route, group in groups:
        if route == "jsonl":
            parts.extend(_jsonl_parts(group, blocksize, read_options, storage))
        elif route == "parquet":
            parts.extend(_parquet_parts(group, storage, read_options))
        else:
            fmt = None if input_format in (None, "jsonl", "parquet") else input_format
            parts.extend(_reader_parts(group, fmt, options))
    if refused:
        parts.append(dask.delayed(list)(refused))
    bag = db.from_delayed(parts)
    return bag.repartition(npartitions=npartitions) if npartitions else bag


def as_article_bag(collection: Any, *, npartitions: int | None = None) -> db.Bag:
    """Turn what a user hands :func:`~arabnews_nlp.dask_engine.analyze_dask` into an input bag.

    Accepts a bag of :class:`~arabnews_nlp.Article` objects, of article dicts (any keys the
    corpus readers accept: ``headline``, ``text``, ``date``...), of
    :class:`~arabnews_nlp.corpus.RecordError` (passed through), or a Dask DataFrame with
    article columns.
    """
    import dask.dataframe as dd

    if isinstance(collection, dd.DataFrame):
        bag = db.from_delayed(
            [
                dask.delayed(_parse_frame)(part, "<dataframe>", ReadOptions())
                for part in collection.to_delayed()
            ]
        )
    elif isinstance(collection, db.Bag):
        bag = collection.map_partitions(_coerce_items)
    else:
        raise TypeError(
            f"expected a dask Bag or DataFrame of articles, got {type(collection).__name__}"
        )
    return bag.repartition(npartitions=npartitions) if npartitions else bag


def _coerce_items(items: Iterable[Any]) -> list[InputItem]:
    options = ReadOptions()
    out: list[InputItem] = []
    for number, item in enumerate(items, 1):
        if isinstance(item, (Article, RecordError)):
            out.append(item)
        elif isinstance(item, dict):
            out.append(_accept(RawRecord(number, item), "<bag>", options))
        else:
            reason = f"expected an Article or a dict, got {type(item).__name__}"
            out.append(RecordError("<bag>", number, reason, "type"))
    return out


# --------------------------------------------------------------------------- duplicate ids
def _first_seen(
    items: Iterable[InputItem], partition: int
) -> tuple[dict[str, tuple[int, int]], set[str]]:
    """Id -> (partition, position) of its first article here, and the ids seen twice here."""
    first: dict[str, tuple[int, int]] = {}
    repeated: set[str] = set()
    for position, item in enumerate(items):
        if isinstance(item, Article):
            if item.id in first:
                repeated.add(item.id)
            else:
                first[item.id] = (partition, position)
    return first, repeated


def _merge_seen(
    *parts: tuple[dict[str, tuple[int, int]], set[str]],
) -> tuple[dict[str, tuple[int, int]], set[str]]:
    first: dict[str, tuple[int, int]] = {}
    repeated: set[str] = set()
    for seen, again in parts:
        repeated |= again
        for key, where in seen.items():
            known = first.get(key)
            if known is None:
                first[key] = where
            else:
                repeated.add(key)
                first[key] = min(known, where)
    return first, repeated


def _winners(seen: tuple[dict[str, tuple[int, int]], set[str]]) -> dict[str, tuple[int, int]]:
    """Only the ids that occur more than once, with the position of the copy that is kept."""
    first, repeated = seen
    return {key: first[key] for key in repeated}


def _drop_later(
    items: Iterable[InputItem], partition: int, winners: dict[str, tuple[int, int]]
) -> list[InputItem]:
    out: list[InputItem] = []
    for position, item in enumerate(items):
        keep = winners.get(item.id) if isinstance(item, Article) else None
        if isinstance(item, Article) and keep is not None and keep != (partition, position):
            out.append(
                RecordError(
                    item.source or "<input>", None, f"duplicate id {item.id!r}", "duplicate"
                )
            )
        else:
            out.append(item)
    return out


def _tree(values: list[Delayed], split_every: int = 8) -> Delayed:
    """Combine delayed partial results with :func:`_merge_seen`, ``split_every`` at a time."""
    while len(values) > 1:
        values = [
            dask.delayed(_merge_seen)(*values[i : i + split_every])
            for i in range(0, len(values), split_every)
        ]
    return values[0] if values else dask.delayed(_merge_seen)()


def drop_duplicate_ids(bag: db.Bag) -> db.Bag:
    """Keep the first article of every id (in partition order); later copies become
    ``duplicate`` :class:`~arabnews_nlp.corpus.RecordError` items, as the local reader reports.

    Only the duplicated ids reach the final task, with the position of the copy to keep; the
    per-partition id tables are merged in a tree on the workers.
    """
    parts = bag.to_delayed()
    seen = [dask.delayed(_first_seen)(part, i) for i, part in enumerate(parts)]
    winners = dask.delayed(_winners)(_tree(seen))
    return db.from_delayed(
        [dask.delayed(_drop_later)(part, i, winners) for i, part in enumerate(parts)]
    )
