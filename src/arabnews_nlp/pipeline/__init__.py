"""The end-to-end analysis of a corpus: sections, entities and related articles per article.

Two stages:

1. per article (parallel, checkpointable): entities at original offsets and the section with
   its probability — :func:`~arabnews_nlp.pipeline.stage.analyze_chunk`;
2. per corpus: a related-articles index over every analysed article, all-pairs top-k with
   near-duplicates reported apart — :func:`~arabnews_nlp.pipeline.linking.link_related`.

:func:`analyze` runs both in memory and yields :class:`AnalysisRecord` objects;
:func:`run_analysis` is the file-to-file job behind ``arabnews analyze`` (checkpoint and resume,
errors file, summary, report).

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.pipeline import analyze
    >>> articles = [
    ...     Article(id="1", title="الهلال يفوز على النصر", body="فاز الهلال على النصر بهدفين."),
    ...     Article(id="2", title="الهلال يتصدر الدوري", body="تصدر الهلال الدوري بعد فوزه."),
    ... ]
    >>> records = list(analyze(articles, related_k=1))  # doctest: +SKIP
    >>> records[0].analysis.section, records[0].related[0].id  # doctest: +SKIP
    ('sports', '2')
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.linking import IndexBuilder, link_related
from arabnews_nlp.pipeline.parallel import DEFAULT_CHUNK_SIZE, iter_stage1
from arabnews_nlp.pipeline.record import (
    AnalysisRecord,
    ArticleAnalysis,
    ProcessingError,
    RelatedLink,
)
from arabnews_nlp.pipeline.runner import AnalysisInterrupted, RunPaths, run_analysis
from arabnews_nlp.pipeline.stage import AnalysisConfig, analyze_chunk, get_models
from arabnews_nlp.pipeline.summary import RunSummary

__all__ = [
    "AnalysisConfig",
    "AnalysisInterrupted",
    "AnalysisRecord",
    "ArticleAnalysis",
    "ProcessingError",
    "RelatedLink",
    "RunPaths",
    "RunSummary",
    "analyze",
    "analyze_chunk",
    "get_models",
    "link_related",
    "run_analysis",
]

logger = logging.getLogger("arabnews_nlp.pipeline")


def analyze(
    articles: Iterable[Article],
    *,
    n_jobs: int = 1,
    related_k: int = 5,
    sections_model: str | None = None,
    ner_model: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    errors: list[ProcessingError] | None = None,
) -> Iterator[AnalysisRecord]:
    """Analyse articles in memory: section, entities, related articles and duplicates.

    Stage 1 streams; stage 2 needs every article, so the records are yielded once all
    articles are analysed. For files, checkpoints and reports use :func:`run_analysis`.

    Args:
        articles: The articles (ids must be unique).
        n_jobs: Processes for stage 1 and the related-articles queries; the output is
            identical for any value. Workers are *spawned*, so a script that uses
            ``n_jobs > 1`` must guard its entry point with ``if __name__ == "__main__":``.
        related_k: Related articles per article.
        sections_model: Directory of a section model (default: the shipped one).
        ner_model: Directory of a NER pipeline (default: the shipped one).
        chunk_size: Articles per stage-1 chunk.
        errors: If given, articles that could not be analysed are appended to it as
            :class:`ProcessingError`; otherwise they are logged as warnings.

    Yields:
        One :class:`AnalysisRecord` per analysed article, in input order.
    """
    config = AnalysisConfig(sections_model=sections_model, ner_model=ner_model)
    done: list[ArticleAnalysis] = []
    # The related index is fitted as stage 1 goes, from rows the workers vectorize.
    builder = IndexBuilder() if related_k > 0 else None
    for out in iter_stage1(
        articles,
        config,
        n_jobs=n_jobs,
        chunk_size=chunk_size,
        index=builder.template if builder is not None else None,
    ):
        finished = out.analyses
        done += finished
        if builder is not None:
            builder.add(finished, out.counts)
        for result in out.results:
            if isinstance(result, ProcessingError):
                if errors is not None:
                    errors.append(result)
                else:
                    logger.warning("article %s not analysed: %s", result.id, result.reason)
    index = builder.finish() if builder is not None else None
    yield from link_related(done, k=related_k, n_jobs=n_jobs, index=index)
