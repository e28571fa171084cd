"""Run stage 1 over a stream of articles, in-process or in a pool of worker processes.

The stream is cut into fixed-size chunks that are analysed independently and yielded back in
input order. The chunk boundaries do not depend on the number of processes, so ``n_jobs=1``
and ``n_jobs=4`` compute exactly the same batches and give identical output.

With ``n_jobs = N > 1`` the parent is one of the N: it runs ``N - 1`` workers
(:mod:`~arabnews_nlp.pipeline.pool`) and analyses a chunk itself whenever each worker has its
queue full, so ``-j 2`` keeps two cores busy with one interpreter fewer than a pool of two
(its imports and caches: ~0.3 GB). Workers get the models once, before their first chunk:
forked workers inherit the ones the parent loaded just before starting them (one copy of the
models' pages for the parent and the pool, until a process writes to a page), spawned workers
load their own. The parent lets go of its models when stage 1 is done. On Ctrl-C the parent
stops submitting work and lets the pool wind down cleanly.

Example:
    >>> from arabnews_nlp import Article
    >>> arts = [Article(title=f"خبر {i}", body="نص الخبر.") for i in range(5)]
    >>> [len(c) for c in iter_chunks(arts, 2)]
    [2, 2, 1]
"""

from __future__ import annotations

import gc
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

from arabnews_nlp.analysis.record import ArticleAnalysis, ProcessingError
from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.checkpoint import encode
from arabnews_nlp.pipeline.index_part import IndexPart, index_part
from arabnews_nlp.pipeline.options import DEFAULT_CHUNK_SIZE
from arabnews_nlp.pipeline.pool import start_method, trim_heap, worker_pool
from arabnews_nlp.pipeline.stage import (
    AnalysisConfig,
    Models,
    analyze_chunk,
    get_models,
)

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.related import RelatedIndex

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "ChunkOutput",
    "iter_chunks",
    "iter_stage1",
]


_worker_config: AnalysisConfig | None = None
_worker_models: Models | None = None
#: Models the parent loaded for itself and the workers it is about to fork (empty the rest of
#: the time).
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
    share them with the parent, and let go of after stage 1 if the parent had not loaded them
    before it."""

    def __init__(self) -> None:
        from arabnews_nlp.entities.kb import load_kb
        from arabnews_nlp.entities.translit import load_transliterator

        self.loaders = [f for f in (load_kb, load_transliterator) if not f.cache_info().currsize]
        for load in self.loaders:
            load()

    def release(self) -> None:
        """Drop the parent's reference to the tables it loaded for stage 1."""
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
        analyses: The analysed articles, in order (empty with ``lines``: they are in the lines).
        lines: The checkpoint line of each analysis, in order, when asked for (encoded where
            it was made, so the parent of a parallel run does not serialize the whole corpus
            alone, nor unpickle analyses it only writes out).
        part: What stage 2 needs besides the lines: the tally, the errors (failed articles,
            in order), the ids, the index rows (when an index was given) and the entity keys.
    """

    analyses: list[ArticleAnalysis]
    lines: list[str]
    part: IndexPart

    @property
    def errors(self) -> list[ProcessingError]:
        """The chunk's articles that could not be analysed, in order."""
        return self.part.errors


def _chunk_output(
    chunk: list[Article],
    models: Models,
    config: AnalysisConfig,
    index: RelatedIndex | None,
    lines: bool,
) -> ChunkOutput:
    results = analyze_chunk(chunk, models, config)
    part = index_part(results, index)
    done = [r for r in results if isinstance(r, ArticleAnalysis)]
    if lines:
        return ChunkOutput([], [encode(a) for a in done], part)
    return ChunkOutput(done, [], part)


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
        articles: The articles (consumed lazily: at most ``3 * n_jobs`` chunks are in flight).
        config: Models and options of stage 1.
        n_jobs: Processes, this one included (it analyses chunks too); 1 runs in this
            process alone.
        chunk_size: Articles per chunk.
        index: An unfitted :class:`~arabnews_nlp.related.RelatedIndex`: the workers also
            vectorize the analysed articles for it (``ChunkOutput.part.counts``).
        lines: The workers encode the checkpoint lines (``ChunkOutput.lines``) and send them
            instead of the analyses.

    Yields:
        One :class:`ChunkOutput` per chunk, in input order: its analyses (or their lines)
        and, in its ``part``, the articles that could not be analysed.
    """
    if n_jobs < 1:
        raise ValueError("n_jobs must be at least 1")
    chunks = iter_chunks(articles, chunk_size)
    first = next(chunks, None)
    if first is None:  # nothing to analyse (a resumed run that was complete): no models
        return
    if n_jobs == 1:
        models = get_models(config)
        for chunk in chain([first], chunks):
            yield _chunk_output(chunk, models, config, index, lines)
        return
    yield from _shared_stage1(chain([first], chunks), config, n_jobs, index, lines)


def _shared_stage1(
    chunks: Iterator[list[Article]],
    config: AnalysisConfig,
    n_jobs: int,
    index: RelatedIndex | None,
    lines: bool,
) -> Iterator[ChunkOutput]:
    """Stage 1 in this process and ``n_jobs - 1`` workers, chunks yielded in input order.

    This process analyses a chunk itself whenever every worker has its queue full, so ``-j 2``
    keeps two cores busy with one worker: one interpreter, its imports and its caches fewer
    than a pool of two. Its models (and the linking tables) are loaded for this run only and
    let go of at the end.
    """
    models = Models.load(config)
    if start_method() == "fork":
        _for_fork[config] = models
    tables = _LinkingTables()
    queued = 2 * (n_jobs - 1)  # chunks waiting for or running in the workers
    try:
        # Ctrl-C or a consumer that stopped early: the pool drops the queued chunks and lets
        # the running ones finish, so no worker is killed half-way through a write.
        with worker_pool(n_jobs - 1, _init_worker, (config,)) as pool:
            _for_fork.clear()  # forked workers have the models; spawned ones load their own
            pending: deque[Future[ChunkOutput] | ChunkOutput] = deque()
            for chunk in chunks:
                if sum(isinstance(p, Future) and not p.done() for p in pending) < queued:
                    pending.append(pool.submit(_work, chunk, index, lines))
                else:
                    pending.append(_chunk_output(chunk, models, config, index, lines))
                    trim_heap()
                while pending and _ready(pending[0]):
                    yield _take(pending)
                # The reader must not run ahead of the analysis and fill memory.
                while len(pending) > queued + n_jobs:
                    yield _take(pending)
            while pending:
                yield _take(pending)
    finally:
        _for_fork.clear()
        tables.release()
        # Stage 2 needs none of it: give the models' memory back before it starts (a spaCy
        # pipeline holds reference cycles, hence the collection).
        del models
        gc.collect()
        trim_heap()


def _ready(item: Future[ChunkOutput] | ChunkOutput) -> bool:
    return not isinstance(item, Future) or item.done()


def _take(pending: deque[Future[ChunkOutput] | ChunkOutput]) -> ChunkOutput:
    """The first chunk's output (waiting for its worker if need be)."""
    item = pending.popleft()
    return item.result() if isinstance(item, Future) else item
