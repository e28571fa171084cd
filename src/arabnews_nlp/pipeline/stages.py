"""Both stages over a stream of articles: the stage-1 consumer, and :func:`analyze`.

:class:`Stage1Consumer` is the one loop over stage-1 output that :func:`analyze` (in memory)
and :func:`~arabnews_nlp.pipeline.runner.run_analysis` (files, checkpoint) share: it keeps
the analysed articles, fits the related index as chunks arrive (from rows the stage-1 workers
vectorized), and hands every chunk on to the caller for its own bookkeeping.

Example:
    >>> from arabnews_nlp import Article
    >>> articles = [
    ...     Article(id="1", title="الهلال يفوز على النصر", body="فاز الهلال على النصر بهدفين."),
    ...     Article(id="2", title="الهلال يتصدر الدوري", body="تصدر الهلال الدوري بعد فوزه."),
    ... ]
    >>> records = list(analyze(articles, related_k=1))
    >>> records[0].analysis.section, records[0].related[0].id
    ('sports', '2')
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator

from arabnews_nlp.analysis import AnalysisRecord, ArticleAnalysis, ProcessingError
from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.linking import IndexBuilder, link_related
from arabnews_nlp.pipeline.parallel import DEFAULT_CHUNK_SIZE, ChunkOutput, iter_stage1
from arabnews_nlp.pipeline.stage import AnalysisConfig

__all__ = ["Stage1Consumer", "analyze"]

logger = logging.getLogger("arabnews_nlp.pipeline")


class Stage1Consumer:
    """Collects stage-1 output for stage 2.

    Args:
        related_k: Related articles per article (0: no index is fitted).
        done: Analyses already made (a resumed run's checkpoint), indexed first.
    """

    def __init__(self, related_k: int, done: Iterable[ArticleAnalysis] = ()) -> None:
        self.related_k = related_k
        self.analyses: list[ArticleAnalysis] = list(done)
        self.builder = IndexBuilder() if related_k > 0 else None
        if self.builder is not None:
            self.builder.add(self.analyses)

    def consume(
        self,
        articles: Iterable[Article],
        config: AnalysisConfig,
        *,
        n_jobs: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        lines: bool = False,
    ) -> Iterator[ChunkOutput]:
        """Run stage 1 over ``articles``, keeping each chunk's analyses, and yield the chunk."""
        template = self.builder.template if self.builder is not None else None
        for out in iter_stage1(
            articles, config, n_jobs=n_jobs, chunk_size=chunk_size, index=template, lines=lines
        ):
            finished = out.analyses
            self.analyses += finished
            if self.builder is not None:
                self.builder.add(finished, out.counts)
            yield out

    def drop(self, ids: set[str]) -> None:
        """Leave these articles out of stage 2 (the index is refitted without them)."""
        self.analyses = [a for a in self.analyses if a.id not in ids]
        if self.builder is not None:
            self.builder = IndexBuilder()
            self.builder.add(self.analyses)

    def link(self, n_jobs: int = 1) -> list[AnalysisRecord]:
        """Stage 2 over everything consumed: one record per analysis, in order."""
        index = self.builder.finish() if self.builder is not None else None
        return link_related(self.analyses, k=self.related_k, n_jobs=n_jobs, index=index)


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
    articles are analysed. For files, checkpoints and reports use
    :func:`~arabnews_nlp.pipeline.run_analysis`.

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
    consumer = Stage1Consumer(related_k)
    for out in consumer.consume(articles, config, n_jobs=n_jobs, chunk_size=chunk_size):
        for result in out.results:
            if isinstance(result, ProcessingError):
                if errors is not None:
                    errors.append(result)
                else:
                    logger.warning("article %s not analysed: %s", result.id, result.reason)
    yield from consumer.link(n_jobs)
