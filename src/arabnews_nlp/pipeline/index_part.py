"""What the parent of a corpus run keeps of a stage-1 chunk: its tally, index rows and entity keys.

A corpus run writes each analysis to its checkpoint as a line the worker encoded, and reads
it back in stage 2; the parent (or, on Dask, the client) needs only an :class:`IndexPart` of
each chunk to fit the related index while stage 1 runs: the articles as the index keeps them
(id, title, section, date: no text), their rows (:meth:`RelatedIndex.vectorize`), their
entity keys, and the chunk's errors. A worker sends that instead of the analyses themselves,
which would cost a pickling in the worker and an unpickling in the parent for every article.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.analysis.record import ArticleAnalysis
    >>> from arabnews_nlp.related import RelatedIndex
    >>> art = Article(id="1", title="قمة عربية في الرياض", body="انعقدت القمة في الرياض.")
    >>> part = index_part([ArticleAnalysis(art, "politics", "سياسة", 0.9)], RelatedIndex())
    >>> part.analysed, part.articles[0].body, part.counts.shape[0]
    (1, '', 1)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from arabnews_nlp.analysis.record import ArticleAnalysis
from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.linking import indexed_article

if TYPE_CHECKING:  # pragma: no cover
    import scipy.sparse as sp

    from arabnews_nlp.related import RelatedIndex

__all__ = ["IndexPart", "index_part"]


@dataclass(frozen=True)
class IndexPart:
    """What stage 2 needs of one stage-1 chunk or partition besides its checkpoint lines.

    Attributes:
        analysed: Articles analysed in it.
        errors: Its rejected records and failed articles.
        articles: The analysed articles as the index keeps them (id, title, section, date).
        counts: Their rows (:meth:`RelatedIndex.vectorize`); None when no index is fitted.
        keys: Per article, its unique entity keys (normalized names).
    """

    analysed: int
    errors: list[Any] = field(default_factory=list)
    articles: list[Article] = field(default_factory=list)
    counts: sp.csr_matrix | None = None
    keys: list[tuple[str, ...]] = field(default_factory=list)


def index_part(items: Sequence[Any], template: RelatedIndex | None) -> IndexPart:
    """The :class:`IndexPart` of stage-1 results (analyses and errors, in order);
    ``template``: the unfitted index to vectorize with, or None for no rows."""
    analyses = [x for x in items if isinstance(x, ArticleAnalysis)]
    errors = [x for x in items if not isinstance(x, ArticleAnalysis)]
    indexed = [indexed_article(a) for a in analyses]
    return IndexPart(
        len(analyses),
        errors,
        [
            Article(id=a.id, title=a.title, section=a.section, published=a.published)
            for a in indexed
        ],
        template.vectorize(indexed) if template is not None and indexed else None,
        [tuple(s.key for s in a.summaries()) for a in analyses],
    )
