"""The options of a corpus run, shared by the local job and the Dask engine.

Example:
    >>> options = RunOptions(n_jobs=2, related_k=3)
    >>> options.related_k, options.chunk_size, options.n_jobs
    (3, 64, 2)
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.pipeline.stage import AnalysisConfig

__all__ = ["DEFAULT_CHUNK_SIZE", "DEFAULT_RELATED_K", "RunOptions"]

#: Articles per stage-1 chunk: big enough for efficient ``nlp.pipe`` batches, small enough that
#: an interrupted run loses little work and the progress bar moves smoothly.
DEFAULT_CHUNK_SIZE = 64
#: Related articles listed per article.
DEFAULT_RELATED_K = 5


@dataclass(frozen=True)
class RunOptions:
    """How :func:`~arabnews_nlp.pipeline.run_analysis` (and the Dask engine) run a corpus.

    Attributes:
        fmt: ``"jsonl"``, ``"parquet"`` or ``"csv"``; from the output's suffix when None.
        input_format: Force the input format (sniffed per file when None).
        config: Models and stage-1 options (default: ``AnalysisConfig()``).
        related_k: Related articles per article (0: none).
        related_exact: Exact related search over the whole corpus instead of the index's
            candidate search (the same answers on small corpora, where it is exhaustive).
        related_within_days: Relate only articles published within this many days of each
            other (None: any date; undated articles are then related to none). Bounds the
            search of an archive by its date window.
        chunk_size: Articles per stage-1 chunk (the unit of checkpointing).
        include_text: Add ``lede`` and ``body`` to the output records.
        n_jobs: Processes for stage 1 and the related-articles queries (the output is
            identical for any value; see :func:`~arabnews_nlp.pipeline.analyze` about
            ``__main__`` guards). Local runs only.
        resume: Continue the interrupted run whose checkpoint is next to the output (the
            inputs must be that run's).
        resume_different_input: Resume even from other inputs: the checkpoint's analyses of
            articles (by id) still in the inputs are reused, the others left out.
        report: Also write the HTML report here.
        report_articles: Articles given a full page section in the report (default: all up
            to :data:`arabnews_nlp.report.DEFAULT_ARTICLES`).
        keep_work: Keep the checkpoint after success (a later ``resume`` then only redoes
            stage 2).
        progress: Show a progress bar; default: when stderr is a terminal.
        read_options: Keyword arguments for :func:`~arabnews_nlp.corpus.read_articles`
            (``encoding``, ``follow_symlinks``, ``require``...) when the inputs are paths.
    """

    fmt: str | None = None
    input_format: str | None = None
    config: AnalysisConfig | None = None
    related_k: int = DEFAULT_RELATED_K
    related_exact: bool = False
    related_within_days: float | None = None
    chunk_size: int = DEFAULT_CHUNK_SIZE
    include_text: bool = False
    n_jobs: int = 1
    resume: bool = False
    resume_different_input: bool = False
    report: str | os.PathLike[str] | None = None
    report_articles: int | None = None
    keep_work: bool = False
    progress: bool | None = None
    read_options: Mapping[str, Any] = field(default_factory=dict)
