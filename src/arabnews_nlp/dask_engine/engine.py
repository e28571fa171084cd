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
from dataclasses import dataclass, field
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
from arabnews_nlp.dask_engine.inputs import as_article_bag, drop_duplicate_ids, read_articles_dask
from arabnews_nlp.dask_engine.outputs import join_parts, wants_parts, write_records_dask
from arabnews_nlp.dask_engine.related import DEFAULT_ROWS_PER_TASK, link_related_dask
from arabnews_nlp.dask_engine.stage1 import Stage1Item, stage1_bag
from arabnews_nlp.files import atomic_file
from arabnews_nlp.pipeline.entity_table import entity_table, write_entity_table
from arabnews_nlp.pipeline.options import RunOptions
from arabnews_nlp.pipeline.output import format_for, write_jsonl
from arabnews_nlp.pipeline.parallel import DEFAULT_CHUNK_SIZE
from arabnews_nlp.pipeline.paths import check_run_paths
from arabnews_nlp.pipeline.runner import RunPaths
from arabnews_nlp.pipeline.stage import AnalysisConfig

__all__ = ["Stage1Result", "analyze_dask", "run_analysis_dask", "run_stage1"]


@dataclass
class Stage1Result:
    """Stage 1 of a corpus, held in cluster memory.

    Attributes:
        analyses: Bag of :class:`~arabnews_nlp.pipeline.ArticleAnalysis` (held in cluster
            memory).
        lengths: Analysed articles per partition.
        errors: Rejected input records and articles that could not be analysed.
        read: Articles the readers accepted (analysed or failed), as the local summary counts.
    """

    analyses: db.Bag
    lengths: list[int]
    errors: list[RecordError | ProcessingError] = field(default_factory=list)
    read: int = 0


def _is_analysis(item: Stage1Item) -> bool:
    return isinstance(item, ArticleAnalysis)


def _tally(items: list[Stage1Item]) -> list[tuple[int, list[Any]]]:
    errors = [x for x in items if not isinstance(x, ArticleAnalysis)]
    return [(len(items) - len(errors), errors)]


def _same(items: list[Any]) -> list[Any]:
    return items


def _held(bag: db.Bag) -> db.Bag:
    """``bag`` computed and kept in cluster memory for as long as its result is referenced.

    On a ``distributed`` cluster the partitions become futures, each passed as an argument
    to a task of the new bag: its graph then holds the futures, so the data lives as long as
    anything built on it (a bare ``persist`` is released once the persisted bag object is
    gone), and a partition lost with a worker is recomputed from the futures' tasks.
    """
    try:
        from distributed import default_client

        client = default_client()
    except (ImportError, ValueError):
        return bag.persist()  # local schedulers: results are held in the graph itself
    futures = client.compute(bag.to_delayed())
    return db.from_delayed([dask.delayed(_same)(future) for future in futures])


def run_stage1(
    articles: db.Bag, config: AnalysisConfig | None = None, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> Stage1Result:
    """Run stage 1 on every partition and keep the results on the cluster.

    Blocks until stage 1 is done: the related index is cut by article counts, which are
    only known then.
    """
    items = _held(stage1_bag(drop_duplicate_ids(articles), config or AnalysisConfig(), chunk_size))
    tallies = items.map_partitions(_tally).compute()
    lengths = [n for n, _ in tallies]
    errors = [e for _, errs in tallies for e in errs]
    # As locally, "read" counts the articles the readers accepted (analysed or failed).
    read = sum(lengths) + sum(isinstance(e, ProcessingError) for e in errors)
    return Stage1Result(items.filter(_is_analysis), lengths, errors, read)


def analyze_dask(
    articles: Any,
    *,
    related_k: int = 5,
    config: AnalysisConfig | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    index_params: Mapping[str, Any] | None = None,
    rows_per_task: int = DEFAULT_ROWS_PER_TASK,
    errors: list[RecordError | ProcessingError] | None = None,
) -> db.Bag:
    """Analyse a Dask collection of articles: sections, entities, related articles.

    Runs on the current Dask scheduler (a ``distributed.Client`` if one is active). Stage 1
    is computed (and kept in cluster memory) before this returns; the related articles are lazy.

    Args:
        articles: A :class:`dask.bag.Bag` of :class:`~arabnews_nlp.Article` (or article
            dicts, or the output of :func:`~arabnews_nlp.dask_engine.read_articles_dask`),
            or a :class:`dask.dataframe.DataFrame` with article columns.
        related_k: Related articles per article.
        config: Models and stage-1 options.
        chunk_size: Articles per stage-1 batch within a partition.
        index_params: :class:`~arabnews_nlp.related.RelatedIndex` parameters.
        rows_per_task: Rows per block of the all-pairs top-k.
        errors: If given, rejected records and failed articles are appended to it.

    Returns:
        A bag of :class:`~arabnews_nlp.pipeline.AnalysisRecord`, in input order.
    """
    stage1 = run_stage1(as_article_bag(articles), config, chunk_size)
    if errors is not None:
        errors.extend(stage1.errors)
    return link_related_dask(
        stage1.analyses,
        related_k,
        index_params=index_params,
        rows_per_task=rows_per_task,
        lengths=stage1.lengths,
    )


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
        stage1 = run_stage1(articles, config, opts.chunk_size)
        stage1_done = time.perf_counter()
        records = link_related_dask(
            stage1.analyses, opts.related_k, index_params=index_params, lengths=stage1.lengths
        )
        # Records feed both the writer and the figures: computed once, kept until both ran.
        records = _held(records)
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
