"""The corpus analysis on Dask: :func:`analyze_dask` (collections in and out) and
:func:`run_analysis_dask` (files in, files out — what ``arabnews analyze --engine dask`` runs).

Both run the local engine's two stages on the workers: stage 1 per partition
(:mod:`~arabnews_nlp.dask_engine.stage1`), kept in cluster memory, then the
related-articles index block by block (:mod:`~arabnews_nlp.dask_engine.related`). The records
equal those of :func:`arabnews_nlp.pipeline.analyze` for the same articles in the same order.

A worker that dies mid-run costs only time: its nanny starts a new one (which loads the
models again) and the scheduler recomputes the lost partitions from their lineage. Every
record is computed by a task keyed by its partition, so nothing is lost or written twice.

On a cluster (not a doctest: it needs a scheduler and shared storage; the package's own
example, in-process, runs in :mod:`arabnews_nlp.dask_engine`)::

    client = Client("tcp://scheduler:8786")
    records = analyze_dask(read_articles_dask("s3://news/2024/*.jsonl"))
    write_records_dask(records.map(lambda r: r.to_dict()), "s3://out/analysis", "parquet")
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import dask
import dask.bag as db

from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis, ProcessingError
from arabnews_nlp.analysis.stats import StatsCollector
from arabnews_nlp.analysis.summary import RunSummary
from arabnews_nlp.corpus import RecordError
from arabnews_nlp.dask_engine.cluster import dask_client
from arabnews_nlp.dask_engine.figures import Figures
from arabnews_nlp.dask_engine.index_feed import IndexFeed, in_order, link_partition
from arabnews_nlp.dask_engine.inputs import as_article_bag, drop_duplicate_ids, read_articles_dask
from arabnews_nlp.dask_engine.outputs import join_parts, wants_parts, write_records_dask
from arabnews_nlp.dask_engine.stage1 import Stage1Item, stage1_bag
from arabnews_nlp.files import atomic_file
from arabnews_nlp.pipeline.entity_table import entity_table, write_entity_table
from arabnews_nlp.pipeline.index_part import index_part
from arabnews_nlp.pipeline.options import RunOptions
from arabnews_nlp.pipeline.output import format_for, write_jsonl
from arabnews_nlp.pipeline.parallel import DEFAULT_CHUNK_SIZE
from arabnews_nlp.pipeline.paths import check_run_paths
from arabnews_nlp.pipeline.runner import RunPaths
from arabnews_nlp.pipeline.stage import AnalysisConfig

__all__ = ["Stage1Result", "analyze_dask", "link_stage1", "run_analysis_dask", "run_stage1"]


@dataclass
class Stage1Result:
    """Stage 1 of a corpus, held in cluster memory, and the related index fitted from it.

    Attributes:
        parts: The stage-1 partitions (analyses, failed articles, rejected records), held in
            cluster memory (futures on a ``distributed`` cluster).
        feed: The index fitted on the client as the partitions completed, with the tally.
        read: Articles the readers accepted (analysed or failed), as the local summary counts.
    """

    parts: list[Any]
    feed: IndexFeed
    read: int = 0

    @property
    def lengths(self) -> list[int]:
        """Analysed articles per partition."""
        return self.feed.lengths

    @property
    def errors(self) -> list[RecordError | ProcessingError]:
        """Rejected input records and articles that could not be analysed."""
        return self.feed.errors

    @property
    def analyses(self) -> db.Bag:
        """The :class:`~arabnews_nlp.pipeline.ArticleAnalysis` results, partition by partition."""
        return db.from_delayed([dask.delayed(_analyses)(part) for part in self.parts])


def _analyses(items: list[Stage1Item]) -> list[ArticleAnalysis]:
    return [x for x in items if isinstance(x, ArticleAnalysis)]


def _same(items: list[Any]) -> list[Any]:
    return items


def _distributed() -> Any:
    """The active ``distributed`` client, or None (Dask's local schedulers)."""
    try:
        from distributed import default_client

        return default_client()
    except (ImportError, ValueError):
        return None


def run_stage1(
    articles: db.Bag,
    config: AnalysisConfig | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    *,
    related_k: int = 0,
    index_params: Mapping[str, Any] | None = None,
) -> Stage1Result:
    """Run stage 1 on every partition, keep the results on the cluster, and fit the related
    index (``related_k > 0``) on the client from each partition's rows as it completes.

    The rows are vectorized by a task on the worker that holds the partition
    (:func:`~arabnews_nlp.pipeline.index_part.index_part`) and added in partition order,
    so the index is the one the local engine fits, whatever order the partitions finish in.
    Blocks until stage 1 is done.
    """
    bag = stage1_bag(drop_duplicate_ids(articles), config or AnalysisConfig(), chunk_size)
    feed = IndexFeed(related_k, index_params)
    client = _distributed()
    if client is None:  # no futures to wait on: stage 1, then the parts
        parts = bag.persist().to_delayed()
        found = dask.compute(*[dask.delayed(index_part)(p, feed.template) for p in parts])
        for part in found:
            feed.add(part)
    else:
        from distributed import as_completed

        parts = client.compute(bag.to_delayed())
        # pure=False: task keys without tokenizing the arguments (the futures, the template).
        tallies = client.map(index_part, parts, template=feed.template, pure=False)
        position = {future.key: p for p, future in enumerate(tallies)}
        done = ((position[f.key], part) for f, part in as_completed(tallies, with_results=True))
        for part in in_order(done):
            feed.add(part)
        for future in tallies:
            future.release()  # the rows are in the index now
    # As locally, "read" counts the articles the readers accepted (analysed or failed).
    read = sum(feed.lengths) + sum(isinstance(e, ProcessingError) for e in feed.errors)
    return Stage1Result(parts, feed, read)


def link_stage1(
    stage1: Stage1Result,
    *,
    exact: bool = False,
    n_jobs: int | None = None,
    within_days: float | None = None,
) -> db.Bag:
    """The records of a corpus from its stage 1: the client searches the index it fitted
    (the candidate search, or the exact one), the workers make each partition's records.

    Args:
        stage1: From :func:`run_stage1`.
        exact: Exact related search (as ``arabnews analyze --exact-related``).
        n_jobs: Threads of the client's search (default: one per worker, at most one per
            core of this machine); the records do not depend on it.
        within_days: Relate only articles published within this many days of each other
            (as ``arabnews analyze --related-within-days``).

    Returns:
        A bag of :class:`~arabnews_nlp.pipeline.AnalysisRecord`, in input order, held in
        cluster memory on a ``distributed`` cluster.
    """
    client = _distributed()
    if n_jobs is None:
        workers = len(client.scheduler_info()["workers"]) if client is not None else 1
        n_jobs = max(1, min(workers, os.cpu_count() or 1))
    answers = stage1.feed.answers(n_jobs, exact, within_days)
    per_part = [next(answers, None) for _ in stage1.parts]
    if client is None:
        return db.from_delayed(
            [
                dask.delayed(link_partition)(p, a)
                for p, a in zip(stage1.parts, per_part, strict=True)
            ]
        )
    # The answers travel inside the tasks, so a partition lost with a worker is linked again;
    # pure=False spares tokenizing them (0.7 ms an article on the client).
    linked = [
        client.submit(link_partition, part, answer, pure=False)
        for part, answer in zip(stage1.parts, per_part, strict=True)
    ]
    return db.from_delayed([dask.delayed(_same)(future) for future in linked])


def analyze_dask(
    articles: Any,
    *,
    related_k: int = 5,
    config: AnalysisConfig | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    index_params: Mapping[str, Any] | None = None,
    exact: bool = False,
    errors: list[RecordError | ProcessingError] | None = None,
    within_days: float | None = None,
) -> db.Bag:
    """Analyse a Dask collection of articles: sections, entities, related articles.

    Runs on the current Dask scheduler (a ``distributed.Client`` if one is active). Stage 1
    runs, and the related index is fitted from it, before this returns.

    Args:
        articles: A :class:`dask.bag.Bag` of :class:`~arabnews_nlp.Article` (or article
            dicts, or the output of :func:`~arabnews_nlp.dask_engine.read_articles_dask`),
            or a :class:`dask.dataframe.DataFrame` with article columns.
        related_k: Related articles per article.
        config: Models and stage-1 options.
        chunk_size: Articles per stage-1 batch within a partition.
        index_params: :class:`~arabnews_nlp.related.RelatedIndex` parameters.
        exact: Exact related search over the whole index instead of its candidate search
            (the same answers on small corpora, where that search is exhaustive).
        errors: If given, rejected records and failed articles are appended to it.
        within_days: Relate only articles published within this many days of each other.

    Returns:
        A bag of :class:`~arabnews_nlp.pipeline.AnalysisRecord`, in input order: the
        records of :func:`arabnews_nlp.pipeline.analyze` with the same options.
    """
    stage1 = run_stage1(
        as_article_bag(articles), config, chunk_size, related_k=related_k, index_params=index_params
    )
    if errors is not None:
        errors.extend(stage1.errors)
    return link_stage1(stage1, exact=exact, within_days=within_days)


def _as_dict(record: AnalysisRecord, include_text: bool) -> dict[str, Any]:
    return record.to_dict(include_text=include_text)


def _figures(records: list[AnalysisRecord]) -> list[Figures]:
    return [Figures.of(records)]


def _collect(records: list[AnalysisRecord]) -> list[StatsCollector]:
    collector = StatsCollector()
    for record in records:
        collector.add(record)
    return [collector]


def _merge_stats(parts: Sequence[StatsCollector]) -> StatsCollector:
    total = StatsCollector()
    for part in parts:  # in partition (= input) order: "first seen" matches the local run
        total.merge(part)
    return total


def _merge_figures(parts: Sequence[Figures]) -> Figures:
    total = Figures()
    for part in parts:
        total.merge(part)
    return total


def run_analysis_dask(
    inputs: str | os.PathLike[str] | Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    options: RunOptions | None = None,
    *,
    scheduler: str | None = None,
    n_workers: int | None = None,
    blocksize: int | str | None = "64MiB",
    npartitions: int | None = None,
    index_params: Mapping[str, Any] | None = None,
    parts: bool | None = None,
) -> RunSummary:
    """Analyse files on a Dask cluster and write the records, errors and summary.

    ``output`` is one file, as written by the local
    :func:`~arabnews_nlp.pipeline.run_analysis` (the workers write parts next to it, which
    are then joined in input order); with ``parts`` it is a folder of the workers' parts
    (``part-00000.jsonl``... or ``part.0.parquet``...). ``STEM.errors.jsonl``,
    ``STEM.summary.json`` and the corpus entity table ``STEM.entities.parquet`` /
    ``STEM.entities.csv`` (:func:`~arabnews_nlp.pipeline.entity_table.entity_table`) are
    written next to it.

    Args:
        inputs: Paths, globs or URLs (see :func:`read_articles_dask`).
        output: The output file or folder (its suffix picks the format unless ``fmt`` is
            given).
        options: Formats, models, ``related_k``, ``chunk_size``, ``include_text`` (as for the
            local run; its local-only options are not used).
        scheduler: Address of a running scheduler; default: a local cluster.
        n_workers: Worker processes of the local cluster.
        blocksize: Bytes per JSON Lines input partition.
        npartitions: Repartition the input to this many partitions (e.g. for an archive,
            which is read by one task).
        index_params: :class:`~arabnews_nlp.related.RelatedIndex` parameters.
        parts: Write a folder of part files; default: when ``output`` ends with ``/`` or is
            a folder already.

    Returns:
        The run summary.
    """
    started = time.perf_counter()
    opts = options or RunOptions()
    config, include_text = opts.config or AnalysisConfig(), opts.include_text
    paths = RunPaths(Path(output))
    fmt = format_for(paths.output, opts.fmt)
    if fmt == "csv":
        raise ValueError("the Dask engine writes jsonl or parquet (CSV is a single-file format)")
    named = paths.named()
    del named["the work folder"]  # no checkpoint: lost partitions are recomputed
    check_run_paths([inputs] if isinstance(inputs, (str, os.PathLike)) else inputs, named)
    if parts is None:
        parts = wants_parts(output)
    with dask_client(scheduler, n_workers, config=config) as client:
        n_workers_used = len(client.scheduler_info()["workers"])
        articles = read_articles_dask(
            inputs, opts.input_format, blocksize=blocksize, npartitions=npartitions
        )
        stage1 = run_stage1(
            articles, config, opts.chunk_size, related_k=opts.related_k, index_params=index_params
        )
        stage1_done = time.perf_counter()
        # Held in cluster memory: the records feed both the writer and the figures.
        records = link_stage1(
            stage1, exact=opts.related_exact, within_days=opts.related_within_days
        )
        searched = time.perf_counter()  # the client's search is done; the workers link
        folder = os.fspath(output) if parts else _parts_folder(paths.output)
        write_records_dask(
            records.map(partial(_as_dict, include_text=include_text)),
            folder,
            fmt,
            include_text=include_text,
        )
        if not parts:
            join_parts(folder, os.fspath(paths.output), fmt, include_text=include_text)
        figures, collectors = dask.compute(
            records.map_partitions(_figures), records.map_partitions(_collect)
        )
        related_done = time.perf_counter()
    write_jsonl([e.to_dict() for e in stage1.errors], paths.errors)
    summary = _summary(stage1, _merge_figures(figures), n_workers_used, paths)
    # The corpus entity table, as the local run writes it (per-partition counts, merged).
    write_entity_table(entity_table(_merge_stats(collectors).stats()), *paths.entities)
    summary.outputs["entities"] = str(paths.entities[0])
    summary.outputs["entities_csv"] = str(paths.entities[1])
    summary.timings = {
        "stage1": round(stage1_done - started, 2),
        "related_search": round(searched - stage1_done, 2),
        "related_and_write": round(related_done - stage1_done, 2),
        "total": round(time.perf_counter() - started, 2),
    }
    with atomic_file(paths.summary) as f:
        json.dump(summary.to_dict(), f, ensure_ascii=False, indent=2)
    return summary


def _parts_folder(output: Path) -> str:
    """Where the workers write the parts of a one-file output: a hidden folder beside it."""
    return os.fspath(output.with_name(f".{output.name}.parts"))


def _summary(stage1: Stage1Result, figures: Figures, n_workers: int, paths: RunPaths) -> RunSummary:
    kinds: dict[str, int] = {}
    failed = 0
    for error in stage1.errors:
        kind = error.kind if isinstance(error, RecordError) else "processing"
        kinds[kind] = kinds.get(kind, 0) + 1
        failed += kind == "processing"
    summary = RunSummary(
        read=stage1.read,
        reader_errors=len(stage1.errors) - failed,
        error_kinds=kinds,
        analysed=sum(stage1.lengths),
        failed=failed,
        n_jobs=n_workers,
        outputs={
            "output": str(paths.output),
            "errors": str(paths.errors),
            "summary": str(paths.summary),
        },
    )
    figures.fill(summary)
    return summary
