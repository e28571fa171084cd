"""The query methods of :class:`~arabnews_nlp.related.RelatedIndex`, over its search view.

:class:`IndexQueries` turns queries (articles, texts, indexed ids, row slices) into calls of
:mod:`~arabnews_nlp.related.search` on the index's :class:`~arabnews_nlp.related.state.IndexView`;
the index class inherits them and provides the view, the vectorized query rows and the id
positions.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import RelatedIndex
    >>> index = RelatedIndex().fit([
    ...     Article(id="n1", title="انتخابات بلدية في تونس"),
    ...     Article(id="n2", title="تونس: نتائج الانتخابات البلدية"),
    ...     Article(id="n3", title="الفيضانات تغمر قرى في السودان"),
    ... ])
    >>> index.related_to(["n2"], k=1)[0].ids
    ['n1']
    >>> index.all_pairs_topk(1).indices[:2].tolist()
    [[1], [0]]
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.related.results import RelatedResults
from arabnews_nlp.related.search import QueryOptions, all_pairs, related_in_window, search
from arabnews_nlp.related.topk import TopK

if TYPE_CHECKING:
    from arabnews_nlp.related.state import IndexState, IndexView

__all__ = ["IndexQueries"]


class IndexQueries:
    """Queries of a fitted related index (a mixin of :class:`RelatedIndex`)."""

    if TYPE_CHECKING:  # provided by the index class

        @property
        def state_(self) -> IndexState: ...

        @property
        def view_(self) -> IndexView: ...

        @property
        def matrix_(self) -> sp.csr_matrix: ...

        def __len__(self) -> int: ...

        def position(self, article_id: str) -> int | None: ...

        def _transform_both(
            self, docs: Sequence[Article | str], unpruned: bool
        ) -> tuple[sp.csr_matrix, sp.csr_matrix | None]: ...

    def query(
        self,
        article_or_text: Article | str,
        k: int = 5,
        *,
        within_days: float | None = None,
        sections: Collection[str] | None = None,
        same_section: bool = False,
        min_score: float = 0.0,
        exclude_ids: Collection[str] = (),
        explain: bool = True,
        max_duplicates: int = 10,
        exact: bool = False,
    ) -> RelatedResults:
        """The ``k`` articles most related to one article or text, best first.

        The article itself (same id) is never returned; candidates scoring at least
        ``duplicate_threshold`` go to ``duplicates`` instead of the results.

        Args:
            article_or_text: An :class:`Article`, or a text matched as a headline.
            k: Results wanted.
            within_days: Only candidates published within this many days of the query.
            sections: Only candidates in one of these sections.
            same_section: Only candidates in the query article's section.
            min_score: Drop candidates scoring below this.
            exclude_ids: Ids never to return.
            explain: Compute shared terms and entities for each result.
            max_duplicates: At most this many near-duplicates are reported.
            exact: Score every indexed article, not only the candidate search's.
        """
        options = QueryOptions(
            within_days,
            sections,
            same_section,
            min_score,
            exclude_ids,
            explain,
            max_duplicates,
            exact,
        )
        return self.query_many([article_or_text], k, **options.as_kwargs())[0]

    def query_many(
        self, docs: Sequence[Article | str], k: int = 5, **options: Any
    ) -> list[RelatedResults]:
        """:meth:`query` for many articles or texts at once (same keyword options)."""
        docs = list(docs)
        own = [self.position(d.id) if isinstance(d, Article) else None for d in docs]
        opts = QueryOptions(**options)
        scored, full = self._transform_both(docs, unpruned=opts.explain)
        return search(self.view_, scored, docs, own, k, opts, explain_vectors=full)

    def related_to(
        self, article_ids: Sequence[str], k: int = 5, **options: Any
    ) -> list[RelatedResults]:
        """:meth:`query` for articles already in the index, by id (no text needed).

        Explanations use the stored titles. Raises ``KeyError`` for an unknown id.
        """
        rows = []
        for article_id in article_ids:
            row = self.position(article_id)
            if row is None:
                raise KeyError(f"article id not in the index: {article_id!r}")
            rows.append(row)
        docs: list[Article | str] = [self.stored_article(row) for row in rows]
        vectors = sp.csr_matrix(self.matrix_[rows])
        return search(self.view_, vectors, docs, list(rows), k, QueryOptions(**options))

    def related_within_days(
        self, within_days: float, k: int = 5, *, max_duplicates: int = 10
    ) -> Iterator[RelatedResults]:
        """:meth:`related_to` of every indexed article, in index order, with ``within_days``
        and without explanations: the same answers from one date-bounded all-pairs search
        (each date block's postings built once), where asking id by id walks a window per
        article — what ``arabnews analyze --related-within-days`` runs.

        >>> from arabnews_nlp.related import RelatedIndex
        >>> index = RelatedIndex().fit([
        ...     Article(id="a", title="انتخابات بلدية في تونس", published="2024-05-01"),
        ...     Article(id="b", title="تونس: نتائج الانتخابات البلدية", published="2024-05-03"),
        ...     Article(id="c", title="انتخابات بلدية جديدة في تونس", published="2025-05-01"),
        ... ])
        >>> [found.ids for found in index.related_within_days(7, k=2)]
        [['b'], ['a'], []]
        """
        return related_in_window(self.view_, k, within_days, max_duplicates)

    def stored_article(self, row: int) -> Article:
        """What the index keeps of the article at ``row`` (id, title, section, date, entities)."""
        return self.state_.article(row)

    def all_pairs_topk(
        self,
        k: int = 10,
        *,
        exclude_duplicates: bool = True,
        min_score: float | None = None,
        within_days: float | None = None,
        same_section: bool = False,
        rows: slice | None = None,
        exact: bool = False,
    ) -> TopK:
        """Top-``k`` related articles of every indexed article (or a slice of rows).

        Exact with ``exact=True``, with a filter, or where the candidate search
        (``candidates``) is exhaustive; otherwise each article is scored exactly against the
        rows of the clusters nearest to it.

        Memory stays bounded: scores are computed ``chunk_size`` rows at a time into one
        reused buffer. Each article is excluded from its own list; with
        ``exclude_duplicates``, so are candidates at or above ``duplicate_threshold``.
        Row slices let a distributed engine split the work; the answers are index row
        numbers (see ``ids_``).
        """
        return all_pairs(
            self.view_,
            k,
            exclude_duplicates=exclude_duplicates,
            min_score=min_score,
            within_days=within_days,
            same_section=same_section,
            rows=rows or slice(0, len(self)),
            exact=exact,
        )
