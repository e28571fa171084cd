"""The checkpointed corpus job behind ``arabnews analyze``: files in, analysis files out.

:func:`run_analysis` reads the inputs, runs stage 1 (:mod:`~arabnews_nlp.pipeline.parallel`)
appending each finished chunk to the checkpoint, then stage 2 (related articles) over every
checkpointed article, and writes four files next to ``OUTPUT``:

* ``OUTPUT`` — one record per article (JSON Lines, Parquet or CSV), written atomically;
* ``STEM.errors.jsonl`` — one line per rejected input record or failed article, with the reason;
* ``STEM.summary.json`` — the :class:`~arabnews_nlp.analysis.summary.RunSummary`;
* ``STEM.work/`` — the stage-1 checkpoint, removed after success unless ``keep_work``.

On Ctrl-C the checkpoint holds every finished article; :class:`AnalysisInterrupted` says how
many, and ``resume=True`` continues from there without redoing or duplicating any of them.

Example (the bundled sample corpus):
    >>> import os, tempfile
    >>> from importlib import resources
    >>> sample = resources.files("arabnews_nlp") / "data" / "sample_articles.jsonl"
    >>> out = tempfile.TemporaryDirectory()
    >>> summary = run_analysis([str(sample)], os.path.join(out.name, "analysis.jsonl"))
    >>> summary.exit_code, summary.sections
    (0, {'economy': 17, 'sports': 8, 'politics': 7, 'culture': 6, 'technology': 6})
    >>> out.cleanup()
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from arabnews_nlp.analysis import ProcessingError, RunSummary
from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.stats import StatsCollector
from arabnews_nlp.analysis.summary import RelatedPairs
from arabnews_nlp.article import Article
from arabnews_nlp.corpus import ReadReport, read_articles
from arabnews_nlp.files import atomic_file
from arabnews_nlp.pipeline.checkpoint import Checkpoint, CheckpointMismatch
from arabnews_nlp.pipeline.entity_table import entity_table, write_entity_table
from arabnews_nlp.pipeline.identity import input_identity
from arabnews_nlp.pipeline.options import RunOptions
from arabnews_nlp.pipeline.output import format_for, write_jsonl, write_records
from arabnews_nlp.pipeline.paths import check_run_paths
from arabnews_nlp.pipeline.progress import Progress
from arabnews_nlp.pipeline.stage import AnalysisConfig
from arabnews_nlp.pipeline.stages import Stage1Consumer

__all__ = ["AnalysisInterrupted", "RunPaths", "run_analysis"]

#: Failed articles kept in memory for the errors file (the count stays exact beyond it).
MAX_KEPT_ERRORS = 10_000


class AnalysisInterrupted(Exception):
    """Ctrl-C during a run; the checkpoint is valid and ``resume=True`` continues it.

    Attributes:
        done: Articles safely in the checkpoint.
        checkpoint: The checkpoint folder.
    """

    def __init__(self, done: int, checkpoint: Path) -> None:
        super().__init__(f"interrupted with {done} articles analysed (checkpoint: {checkpoint})")
        self.done = done
        self.checkpoint = checkpoint


@dataclass(frozen=True)
class RunPaths:
    """Where a run writes, all derived from the output path ``analysis.jsonl``:
    ``analysis.errors.jsonl``, ``analysis.summary.json``, the entity table
    ``analysis.entities.parquet`` and ``analysis.entities.csv``, and ``analysis.work/``."""

    output: Path

    def _sibling(self, suffix: str) -> Path:
        return self.output.with_name(self.output.stem + suffix)

    @property
    def errors(self) -> Path:
        """The errors file."""
        return self._sibling(".errors.jsonl")

    @property
    def summary(self) -> Path:
        """The summary file."""
        return self._sibling(".summary.json")

    @property
    def entities(self) -> tuple[Path, Path]:
        """The corpus entity table, as Parquet and as CSV."""
        return self._sibling(".entities.parquet"), self._sibling(".entities.csv")

    @property
    def work(self) -> Path:
        """The checkpoint folder."""
        return self._sibling(".work")

    def named(self, report: str | os.PathLike[str] | None = None) -> dict[str, Path | None]:
        """Every path the run writes, by the name an error message gives it."""
        return {
            "-o": self.output,
            "the errors file": self.errors,
            "the summary file": self.summary,
            "the entity table": self.entities[0],
            "the entity table (CSV)": self.entities[1],
            "the work folder": self.work,
            "--report": Path(report) if report is not None else None,
        }


class _Stage1:
    """Feeds stage 1, skipping checkpointed ids, and tallies what happened."""

    def __init__(self, done_ids: set[str]) -> None:
        self.done_ids = done_ids
        self.reused: set[str] = set()  # checkpointed ids met again in this input
        self.read = 0
        self.failed: list[ProcessingError] = []
        self.n_failed = 0
        self.analysed = 0
        self.seen: set[str] = set()

    def feed(self, articles: Iterable[Article], progress: Progress) -> Iterator[Article]:
        for article in articles:
            self.read += 1
            if article.id in self.done_ids:
                self.reused.add(article.id)
                progress.advance()  # done in an earlier run: counts towards the total
                continue
            if article.id in self.seen:
                # Readers drop duplicate ids themselves; this guards articles given directly.
                self.fail(ProcessingError(article.id, article.source, "duplicate id"), progress)
                continue
            self.seen.add(article.id)
            yield article

    def fail(self, error: ProcessingError, progress: Progress) -> None:
        self.n_failed += 1
        if len(self.failed) < MAX_KEPT_ERRORS:
            self.failed.append(error)
        progress.advance()


class _Stage2:
    """Stage 2 as a stream of output rows, collecting the corpus figures on the way.

    Attributes:
        seconds: Time spent making the records (reading the checkpoint back, the search,
            the links), apart from writing them out.
        kept: Every record, when asked for (the HTML report still needs them all).
    """

    def __init__(self, *, keep_records: bool, include_text: bool) -> None:
        self.collector = StatsCollector()
        self.pairs = RelatedPairs()
        self.kept: list[AnalysisRecord] | None = [] if keep_records else None
        self.include_text = include_text
        self.seconds = 0.0

    def rows(self, records: Iterator[AnalysisRecord]) -> Iterator[dict[str, Any]]:
        """The output row of each record, in order."""
        while True:
            start = time.perf_counter()
            record = next(records, None)
            self.seconds += time.perf_counter() - start
            if record is None:
                return
            self.collector.add(record)
            self.pairs.add(record)
            if self.kept is not None:
                self.kept.append(record)
            yield record.to_dict(include_text=self.include_text)


def _articles_from(
    inputs: Sequence[str | os.PathLike[str]] | Iterable[Article],
    input_format: str | None,
    report: ReadReport,
    read_options: Mapping[str, Any],
) -> tuple[Iterable[Article], list[str | os.PathLike[str]] | None]:
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]
    items = list(inputs) if not isinstance(inputs, Iterator) else None
    if items is not None and all(isinstance(x, (str, os.PathLike)) for x in items):
        paths: list[str | os.PathLike[str]] = list(items)  # type: ignore[arg-type]
        reader = read_articles(
            paths, format=input_format, errors="collect", report=report, **read_options
        )
        return reader, paths
    return (items if items is not None else inputs), None  # type: ignore[return-value]


def _input_paths(inputs: object) -> list[str | os.PathLike[str]]:
    """The paths among ``inputs`` (none for a stream of articles, which is not consumed)."""
    if isinstance(inputs, (str, os.PathLike)):
        return [inputs]
    if isinstance(inputs, Iterator) or not isinstance(inputs, Iterable):
        return []
    return [i for i in inputs if isinstance(i, (str, os.PathLike))]


def _error_lines(report: ReadReport, failed: list[ProcessingError]) -> list[dict[str, object]]:
    lines: list[dict[str, object]] = [e.to_dict() for e in report.errors]
    lines.extend(e.to_dict() for e in failed)
    return lines


def _run_stage1(
    consumer: Stage1Consumer,
    articles: Iterable[Article],
    config: AnalysisConfig,
    opts: RunOptions,
    checkpoint: Checkpoint,
    tally: _Stage1,
    bar: Progress,
) -> None:
    """Stage 1 over ``articles``: each finished chunk goes to the checkpoint before the next."""
    for out in consumer.consume(
        articles, config, n_jobs=opts.n_jobs, chunk_size=opts.chunk_size, lines=True
    ):
        checkpoint.append_lines(out.lines)
        tally.analysed += out.part.analysed
        for error in out.errors:
            tally.fail(error, bar)
        bar.advance(out.part.analysed)


def _drop_stale(
    consumer: Stage1Consumer, stale: set[str], checkpoint: Checkpoint, different_input: bool
) -> None:
    """Leave out the checkpointed articles this input does not have, if the user said so."""
    if not stale:
        return
    if not different_input:
        raise CheckpointMismatch(
            f"cannot resume: {len(stale)} articles of the checkpoint in {checkpoint.folder} are "
            f"not in this input (e.g. id {min(stale)!r}); run without --resume to start "
            f"over, or with --resume-different-input to leave them out"
        )
    consumer.drop(stale, checkpoint.scan())


def run_analysis(
    inputs: Sequence[str | os.PathLike[str]] | Iterable[Article],
    output: str | os.PathLike[str],
    options: RunOptions | None = None,
) -> RunSummary:
    """Analyse a corpus end to end with a checkpoint, an errors file and a summary.

    Args:
        inputs: Paths, globs, folders or ``"-"`` (read with :func:`read_articles`), or
            :class:`Article` objects.
        output: The output file.
        options: How to run (formats, models, ``n_jobs``, ``related_k``, resume, report,
            reader options...); default: ``RunOptions()``. With ``resume`` the inputs must be
            those of the interrupted run (same files, sizes and ends; for stdin, the same
            article ids), else :class:`CheckpointMismatch`, unless ``resume_different_input``.

    Returns:
        The run summary (also written to ``STEM.summary.json``).

    Raises:
        AnalysisInterrupted: on Ctrl-C, after the checkpoint is made consistent.
        CheckpointMismatch: ``resume`` with settings that differ from the checkpoint's.
        PathConflict: two of the run's paths coincide or nest (e.g. ``output`` is an input).
        NotACheckpoint: the work folder's path holds something this library did not make.
    """
    started = time.perf_counter()
    opts = options or RunOptions()
    paths = RunPaths(Path(output))
    fmt = format_for(paths.output, opts.fmt)
    given = _input_paths(inputs)
    check_run_paths(given, paths.named(opts.report))
    checkpoint = Checkpoint(paths.work)
    config = opts.config or AnalysisConfig()
    checkpoint.start(
        config.to_dict(),
        resume=opts.resume,
        inputs=input_identity(given) if given else None,
        other_input=opts.resume_different_input,
        load=False,
    )
    # The checkpoint is read one article at a time, here and in stage 2: the parent keeps
    # ids, index rows and entity keys, never the corpus's analyses.
    consumer = Stage1Consumer(
        opts.related_k,
        checkpoint.scan(),
        exact=opts.related_exact,
        within_days=opts.related_within_days,
    )
    done_ids = set(consumer.ids)
    read_report = ReadReport()
    articles, input_paths = _articles_from(
        inputs, opts.input_format, read_report, opts.read_options
    )
    tally = _Stage1(done_ids)

    with Progress(enabled=opts.progress, inputs=input_paths) as bar:
        try:
            _run_stage1(consumer, tally.feed(articles, bar), config, opts, checkpoint, tally, bar)
        except KeyboardInterrupt:
            raise AnalysisInterrupted(len(done_ids) + tally.analysed, paths.work) from None
    stage1_done = time.perf_counter()
    stale = done_ids - tally.reused
    _drop_stale(consumer, stale, checkpoint, opts.resume_different_input)

    stage2 = _Stage2(keep_records=opts.report is not None, include_text=opts.include_text)
    try:
        records = consumer.link(checkpoint.scan(skip=stale), opts.n_jobs)
        write_records(stage2.rows(records), paths.output, fmt)
        write_jsonl(_error_lines(read_report, tally.failed), paths.errors)
        written = time.perf_counter()
    except KeyboardInterrupt:
        raise AnalysisInterrupted(len(done_ids) + tally.analysed, paths.work) from None
    related_done = stage1_done + stage2.seconds

    summary = RunSummary(
        read=tally.read,
        reader_errors=read_report.bad,
        error_kinds={
            **dict(read_report.kinds),
            **({"processing": tally.n_failed} if tally.n_failed else {}),
        },
        resumed=len(tally.reused),
        analysed=tally.analysed,
        failed=tally.n_failed,
        n_jobs=opts.n_jobs,
        outputs={
            "output": str(paths.output),
            "errors": str(paths.errors),
            "summary": str(paths.summary),
        },
    )
    # Date warnings are kept records, not errors: they stay out of the error tally.
    summary.error_kinds.pop("date", None)
    stats = stage2.collector.stats()
    summary.add_figures(stats, stage2.pairs)
    write_entity_table(entity_table(stats), *paths.entities)
    summary.outputs["entities"] = str(paths.entities[0])
    summary.outputs["entities_csv"] = str(paths.entities[1])
    summary.timings = {
        "stage1": round(stage1_done - started, 2),
        "related": round(related_done - stage1_done, 2),
        "write": round(written - related_done, 2),
    }
    if opts.report is not None:
        from arabnews_nlp.report import write_report

        write_report(
            stage2.kept or [],
            opts.report,
            stats=stats,
            summary=summary,
            max_articles=opts.report_articles,
        )
        summary.outputs["report"] = str(opts.report)
        summary.timings["report"] = round(time.perf_counter() - written, 2)
    summary.timings["total"] = round(time.perf_counter() - started, 2)
    with atomic_file(paths.summary) as f:
        json.dump(summary.to_dict(), f, ensure_ascii=False, indent=2)
    if not opts.keep_work:
        checkpoint.remove()
    return summary
