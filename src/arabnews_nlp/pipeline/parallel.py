"""Run stage 1 over a stream of articles, in-process or in a pool of worker processes.

The stream is cut into fixed-size chunks that are analysed independently and yielded back in
input order. The chunk boundaries do not depend on the number of processes, so ``n_jobs=1``
and ``n_jobs=4`` compute exactly the same batches and give identical output.

Workers are started with ``spawn`` (no forked copy of the parent's threads or open files),
load the models once in their initializer, and ignore SIGINT: Ctrl-C is handled by the parent
alone, which stops submitting work and lets the pool wind down cleanly.

Example:
    >>> from arabnews_nlp import Article
    >>> arts = [Article(title=f"خبر {i}", body="نص الخبر.") for i in range(5)]
    >>> [len(c) for c in iter_chunks(arts, 2)]
    [2, 2, 1]
"""

from __future__ import annotations

import multiprocessing
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import Any, Literal, overload

from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.checkpoint import encode
from arabnews_nlp.pipeline.record import ArticleAnalysis
from arabnews_nlp.pipeline.stage import AnalysisConfig, StageResult, analyze_chunk, get_models

__all__ = ["DEFAULT_CHUNK_SIZE", "iter_chunks", "iter_stage1", "spawn_pool"]

#: Articles per chunk: big enough for efficient ``nlp.pipe`` batches, small enough that an
#: interrupted run loses little work and the progress bar moves smoothly.
DEFAULT_CHUNK_SIZE = 64

_worker_config: AnalysisConfig | None = None


def iter_chunks(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` articles (the last one may be shorter)."""
    if size <= 0:
        raise ValueError("chunk size must be positive")
    iterator = iter(articles)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _ignore_sigint_then(initializer: Callable[..., None], *args: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*args)


def spawn_pool(
    n_jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A pool of ``n_jobs`` spawned workers that ignore Ctrl-C and run ``initializer`` once.

    Ctrl-C reaches every process of the terminal's process group; only the parent acts on
    it, so the workers never die half-way through a task with a traceback of their own.
    """
    return ProcessPoolExecutor(
        n_jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_ignore_sigint_then,
        initargs=(initializer, *initargs),
    )


def _init_worker(config: AnalysisConfig) -> None:
    global _worker_config
    _worker_config = config
    get_models(config)  # load now, so the first chunk is not slower than the rest


def _encoded(results: list[StageResult]) -> list[StageResult | str]:
    return [encode(r) if isinstance(r, ArticleAnalysis) else r for r in results]


def _work(chunk: list[Article], as_lines: bool) -> list[StageResult | str]:
    assert _worker_config is not None, "worker used without its initializer"
    results = analyze_chunk(chunk, get_models(_worker_config), _worker_config)
    return _encoded(results) if as_lines else list(results)


@overload
def iter_stage1(
    articles: Iterable[Article],
    config: AnalysisConfig,
    *,
    n_jobs: int = ...,
    chunk_size: int = ...,
    as_lines: Literal[False] = ...,
) -> Iterator[list[StageResult]]: ...


@overload
def iter_stage1(
    articles: Iterable[Article],
    config: AnalysisConfig,
    *,
    n_jobs: int = ...,
    chunk_size: int = ...,
    as_lines: Literal[True],
) -> Iterator[list[StageResult | str]]: ...


def iter_stage1(
    articles: Iterable[Article],
    config: AnalysisConfig,
    *,
    n_jobs: int = 1,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    as_lines: bool = False,
) -> Iterator[list[StageResult]] | Iterator[list[StageResult | str]]:
    """Analyse a stream of articles chunk by chunk, yielding each chunk's results in order.

    Args:
        articles: The articles (consumed lazily: at most ``2 * n_jobs`` chunks are in flight).
        config: Models and options of stage 1.
        n_jobs: Processes; 1 runs in this process.
        chunk_size: Articles per chunk.
        as_lines: Yield each analysis already encoded as its checkpoint line (a ``str``),
            done in the workers so the parent does not serialize the whole corpus alone.

    Yields:
        For each chunk, one :class:`~arabnews_nlp.pipeline.record.ArticleAnalysis` (or its
        line) or :class:`~arabnews_nlp.pipeline.record.ProcessingError` per article, in
        input order.
    """
    if n_jobs < 1:
        raise ValueError("n_jobs must be at least 1")
    chunks = iter_chunks(articles, chunk_size)
    if n_jobs == 1:
        models = get_models(config)
        for chunk in chunks:
            results = analyze_chunk(chunk, models, config)
            yield _encoded(results) if as_lines else list(results)
        return
    with spawn_pool(n_jobs, _init_worker, (config,)) as pool:
        pending: deque[Future[list[StageResult | str]]] = deque()
        try:
            for chunk in chunks:
                pending.append(pool.submit(_work, chunk, as_lines))
                # Keep every worker busy with one chunk queued behind it, no more: the
                # reader must not run ahead of the analysis and fill memory.
                while len(pending) >= 2 * n_jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        except BaseException:
            # Ctrl-C or a consumer that stopped early: drop the queued chunks and let the
            # running ones finish, so no worker is killed half-way through a write.
            pool.shutdown(wait=True, cancel_futures=True)
            raise
