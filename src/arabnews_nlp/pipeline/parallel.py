"""Run stage 1 over a stream of articles, in-process or in a pool of worker processes.

The stream is cut into fixed-size chunks that are analysed independently and yielded back in
input order. The chunk boundaries do not depend on the number of processes, so ``n_jobs=1``
and ``n_jobs=4`` compute exactly the same batches and give identical output.

Workers (:mod:`~arabnews_nlp.pipeline.pool`) get the models once, before their first chunk:
forked workers inherit the ones the parent loaded just before starting them (one copy of the
models' pages for the whole pool, until a worker writes to a page), spawned workers load their
own. The parent lets go of its copy when the pool is done. On Ctrl-C the parent stops
submitting work and lets the pool wind down cleanly.

Example:
    >>> from arabnews_nlp import Article
    >>> arts = [Article(title=f"خبر {i}", body="نص الخبر.") for i in range(5)]
    >>> [len(c) for c in iter_chunks(arts, 2)]
    [2, 2, 1]
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, TypeVar

from arabnews_nlp.analysis.record import ArticleAnalysis
from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.checkpoint import encode
from arabnews_nlp.pipeline.options import DEFAULT_CHUNK_SIZE
from arabnews_nlp.pipeline.pool import start_method, trim_heap, worker_pool
from arabnews_nlp.pipeline.stage import (
    AnalysisConfig,
    Models,
    StageResult,
    analyze_chunk,
    get_models,
)

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

    from arabnews_nlp.related import RelatedIndex

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ChunkOutput",
    "iter_chunks",
    "iter_stage1",
]


_worker_config: AnalysisConfig | None = None
_worker_models: Models | None = None
#: Models the parent loaded for workers it is about to fork (empty the rest of the time).
_for_fork: dict[AnalysisConfig, Models] = {}
T = TypeVar("T")


def iter_chunks(articles: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of ``size`` articles (or other items; the last one may be shorter)."""
    if size <= 0:
        raise ValueError("chunk size must be positive")
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _LinkingTables:
    """The tables entity linking loads on first use (the knowledge table, ~30 MB, and the
    transliterator, ~50 MB of Python objects), loaded before workers are forked so that they
    share them, and let go of afterwards if the parent had not loaded them itself."""

    def __init__(self) -> None:
        from arabnews_nlp.entities.kb import load_kb
        from arabnews_nlp.entities.translit import load_transliterator

        self.loaders = [f for f in (load_kb, load_transliterator) if not f.cache_info().currsize]
        for load in self.loaders:
            load()

    def release(self) -> None:
        """Drop the parent's reference to the tables it loaded for the workers."""
        for load in self.loaders:
            load.cache_clear()


def _init_worker(config: AnalysisConfig) -> None:
    global _worker_config, _worker_models
    _worker_config = config
    # A forked worker has the parent's models already; a spawned one loads them now, so
    # that its first chunk is not slower than the rest.
    _worker_models = _for_fork.get(config) or get_models(config)


@dataclass
class ChunkOutput:
    """One chunk of stage 1, with what the corpus job needs beyond the results.

    Attributes:
        results: An :class:`ArticleAnalysis` or :class:`ProcessingError` per article, in order.
        lines: The checkpoint line of each analysis, in order, when asked for (encoded where
            it was made, so the parent of a parallel run does not serialize the whole corpus
            alone).
        counts: The analyses' related-index rows (:meth:`RelatedIndex.vectorize`), when an
            index was given.
    """

    results: list[StageResult]
    lines: list[str]
    counts: sp.csr_matrix | None = None

    @property
    def analyses(self) -> list[ArticleAnalysis]:
        """The analysed articles (errors left out), in order."""
        return [r for r in self.results if isinstance(r, ArticleAnalysis)]


def _chunk_output(
    chunk: list[Article],
    models: Models,
    config: AnalysisConfig,
    index: RelatedIndex | None,
    lines: bool,
) -> ChunkOutput:
    out = ChunkOutput(analyze_chunk(chunk, models, config), [])
    done = out.analyses
    if lines:
        out.lines = [encode(a) for a in done]
    if index is not None and done:
        from arabnews_nlp.pipeline.linking import indexed_article

        out.counts = index.vectorize([indexed_article(a) for a in done])
    return out


def _work(chunk: list[Article], index: RelatedIndex | None, lines: bool) -> ChunkOutput:
    assert _worker_config is not None and _worker_models is not None, "worker not initialized"
    try:
        return _chunk_output(chunk, _worker_models, _worker_config, index, lines)
    finally:
        trim_heap()


def iter_stage1(
    articles: Iterable[Article],
    config: AnalysisConfig,
    *,
    n_jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    index: RelatedIndex | None = None,
    lines: bool = False,
) -> Iterator[ChunkOutput]:
    """Analyse a stream of articles chunk by chunk, yielding each chunk's output in order.

    Args:
        articles: The articles (consumed lazily: at most ``2 * n_jobs`` chunks are in flight).
        config: Models and options of stage 1.
        n_jobs: Processes; 1 runs in this process.
        chunk_size: Articles per chunk.
        index: An unfitted :class:`~arabnews_nlp.related.RelatedIndex`: the workers also
            vectorize the analysed articles for it (``ChunkOutput.counts``).
        lines: The workers also encode the checkpoint lines (``ChunkOutput.lines``).

    Yields:
        One :class:`ChunkOutput` per chunk: an
        :class:`~arabnews_nlp.analysis.record.ArticleAnalysis` or
        :class:`~arabnews_nlp.analysis.record.ProcessingError` per article, in input order.
    """
    if n_jobs < 1:
        raise ValueError("n_jobs must be at least 1")
    chunks = iter_chunks(articles, chunk_size)
    if n_jobs == 1:
        models = get_models(config)
        for chunk in chunks:
            yield _chunk_output(chunk, models, config, index, lines)
        return
    tables = None
    if start_method() == "fork":
        _for_fork[config] = Models.load(config)
        tables = _LinkingTables()
    try:
        # Ctrl-C or a consumer that stopped early: the pool drops the queued chunks and lets
        # the running ones finish, so no worker is killed half-way through a write.
        with worker_pool(n_jobs, _init_worker, (config,)) as pool:
            _for_fork.clear()  # the workers have their copy; the parent needs none
            if tables is not None:
                tables.release()
            pending: deque[Future[ChunkOutput]] = deque()
            for chunk in chunks:
                pending.append(pool.submit(_work, chunk, index, lines))
                # Keep every worker busy with one chunk queued behind it, no more: the
                # reader must not run ahead of the analysis and fill memory.
                while len(pending) >= 2 * n_jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
    finally:
        _for_fork.clear()
