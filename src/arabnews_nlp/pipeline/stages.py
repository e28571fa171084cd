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

import gc
import logging
from collections.abc import Iterable, Iterator

from arabnews_nlp.analysis import AnalysisRecord, ArticleAnalysis, ProcessingError
from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.index_part import IndexPart, index_part
from arabnews_nlp.pipeline.linking import EntityKeys, IndexBuilder, iter_linked
from arabnews_nlp.pipeline.parallel import (
    DEFAULT_CHUNK_SIZE,
    ChunkOutput,
    iter_chunks,
    iter_stage1,
)
from arabnews_nlp.pipeline.pool import trim_heap
from arabnews_nlp.pipeline.stage import AnalysisConfig

__all__ = ["Stage1Consumer", "analyze"]

logger = logging.getLogger("arabnews_nlp.pipeline")


class Stage1Consumer:
    """Collects what stage 2 needs of the stage-1 output: ids, index rows and entity keys.

    The analyses themselves are not kept: stage 2 reads them again, in the same order,
    from wherever the caller put them (the checkpoint, or a list), so the memory of a run
    grows by a few hundred bytes per article, not by its whole analysis.

    Args:
        related_k: Related articles per article (0: no index is fitted).
        done: Analyses already made (a resumed run's checkpoint), indexed first; read once.
        exact: Exact related search over the whole index instead of the index's candidate
            search (the same on small corpora, where that search is exhaustive).
        within_days: Only articles published within this many days of each other are
            related (None: any date): one date-bounded all-pairs search.
    """

    def __init__(
        self,
        related_k: int,
        done: Iterable[ArticleAnalysis] = (),
        *,
        exact: bool = False,
        within_days: float | None = None,
    ) -> None:
        self.related_k = related_k
        self.exact = exact
        self.within_days = within_days
        self._reset()
        self._add_all(done)

    def _reset(self) -> None:
        self.ids: list[str] = []
        self.keys = EntityKeys()
        self.builder = IndexBuilder() if self.related_k > 0 else None

    def _add_all(self, analyses: Iterable[ArticleAnalysis]) -> None:
        # A chunk at a time, as stage 1 hands them over: rows do not depend on the batch, and
        # the builder adds them to the index in its own batches.
        template = self.builder.template if self.builder is not None else None
        for batch in iter_chunks(analyses, DEFAULT_CHUNK_SIZE):
            self._add(index_part(batch, template))

    def _add(self, part: IndexPart) -> None:
        self.ids += [a.id for a in part.articles]
        if self.builder is not None:
            self.keys.add_keys(part.keys)
            self.builder.add_indexed(part.articles, part.counts)

    def consume(
        self,
        articles: Iterable[Article],
        config: AnalysisConfig,
        *,
        n_jobs: int = 1,
        chunk_size: int = DEFAULT_CHUNK_SIZE,
        lines: bool = False,
    ) -> Iterator[ChunkOutput]:
        """Run stage 1 over ``articles``, noting each chunk's analyses, and yield the chunk."""
        template = self.builder.template if self.builder is not None else None
        for out in iter_stage1(
            articles, config, n_jobs=n_jobs, chunk_size=chunk_size, index=template, lines=lines
        ):
            self._add(out.part)
            yield out

    def drop(self, ids: set[str], analyses: Iterable[ArticleAnalysis]) -> None:
        """Leave these articles out of stage 2: start again from ``analyses`` (everything
        consumed, in order) without them, refitting the index."""
        self._reset()
        self._add_all(a for a in analyses if a.id not in ids)

    def link(
        self, analyses: Iterable[ArticleAnalysis], n_jobs: int = 1
    ) -> Iterator[AnalysisRecord]:
        """Stage 2 over everything consumed: one record per analysis, in order.

        Args:
            analyses: The analyses consumed (and not dropped), in the order consumed.
            n_jobs: Processes for the related-articles queries.

        Stage 2 runs once: when the records are all out, the consumer lets go of its index.
        """
        if self.builder is None or len(self.ids) < 2:
            for analysis in analyses:
                yield AnalysisRecord(analysis)
            return
        # Stage 2 only searches the index (no explanations): its raw rows are let go of.
        index = self.builder.finish(keep_counts=False)
        yield from iter_linked(
            analyses,
            index,
            self.keys,
            self.related_k,
            n_jobs=n_jobs,
            exact=self.exact,
            within_days=self.within_days,
        )
        # Stage 2 runs once: the index and its bookkeeping go now, and their memory back to
        # the system before the caller makes the corpus figures (at 110k articles, a run's
        # peak came there, with the freed index still in the C heap).
        del index
        self.builder, self.keys = None, EntityKeys()
        gc.collect()
        trim_heap()


def analyze(
    articles: Iterable[Article],
    *,
    n_jobs: int = 1,
    related_k: int = 5,
    sections_model: str | None = None,
    ner_model: str | None = None,
    chunk_size: int = DEFAULT_CHUNK_SIZE,
    errors: list[ProcessingError] | None = None,
    exact_related: bool = False,
    related_within_days: float | None = None,
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
        exact_related: Exact related search (see :class:`Stage1Consumer`).
        related_within_days: Relate only articles published within this many days of each
            other (see :class:`Stage1Consumer`).

    Yields:
        One :class:`AnalysisRecord` per analysed article, in input order.
    """
    config = AnalysisConfig(sections_model=sections_model, ner_model=ner_model)
    consumer = Stage1Consumer(related_k, exact=exact_related, within_days=related_within_days)
    analyses: list[ArticleAnalysis] = []  # in memory: this is the in-memory entry point
    for out in consumer.consume(articles, config, n_jobs=n_jobs, chunk_size=chunk_size):
        analyses += out.analyses
        for error in out.errors:
            if errors is not None:
                errors.append(error)
            else:
                logger.warning("article %s not analysed: %s", error.id, error.reason)
    yield from consumer.link(analyses, n_jobs)
