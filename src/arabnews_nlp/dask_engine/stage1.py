"""Stage 1 on Dask: the local engine's per-article function, one partition at a time.

A partition is cut into the same fixed-size chunks the local runner uses and each chunk goes
through :func:`arabnews_nlp.pipeline.analyze_chunk` with the models of the worker's process
(:func:`arabnews_nlp.pipeline.get_models`, loaded once per process). Nothing here analyses
an article itself, so both engines give the same section and entities for an article.

Example:
    >>> from arabnews_nlp import Article
    >>> arts = [Article(id="t1", title="الهلال يفوز", body="فاز الهلال على النصر.")]
    >>> [r.section for r in analyze_partition(arts, AnalysisConfig())]
    ['sports']
"""

from __future__ import annotations

from collections.abc import Iterable

import dask.bag as db

from arabnews_nlp.analysis.record import ArticleAnalysis, ProcessingError
from arabnews_nlp.article import Article
from arabnews_nlp.corpus import RecordError
from arabnews_nlp.pipeline.parallel import DEFAULT_CHUNK_SIZE, iter_chunks
from arabnews_nlp.pipeline.stage import AnalysisConfig, analyze_chunk, get_models

__all__ = ["Stage1Item", "analyze_partition", "stage1_bag"]

#: What a stage-1 bag holds: a finished article, one that failed, or a rejected input record.
Stage1Item = ArticleAnalysis | ProcessingError | RecordError


def analyze_partition(
    items: Iterable[Article | RecordError],
    config: AnalysisConfig,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
) -> list[Stage1Item]:
    """Analyse the articles of one partition; rejected input records pass through unchanged.

    Args:
        items: Articles (and :class:`~arabnews_nlp.corpus.RecordError` items from reading).
        config: Models and options of stage 1.
        chunk_size: Articles per :func:`~arabnews_nlp.pipeline.analyze_chunk` call.

    Returns:
        One item per input item: articles become :class:`ArticleAnalysis` (or
        :class:`ProcessingError` when they cannot be analysed); articles keep their order.
    """
    items = list(items)
    articles = [x for x in items if isinstance(x, Article)]
    out: list[Stage1Item] = [x for x in items if isinstance(x, RecordError)]
    if articles:
        models = get_models(config)
        for chunk in iter_chunks(articles, chunk_size):
            out.extend(analyze_chunk(chunk, models, config))
    return out


def stage1_bag(
    articles: db.Bag, config: AnalysisConfig, chunk_size: int = DEFAULT_CHUNK_SIZE
) -> db.Bag:
    """Stage 1 of every partition of an input bag (see :func:`analyze_partition`)."""
    return articles.map_partitions(analyze_partition, config, chunk_size)
