"""`RelatedIndex`: TF-IDF related-article search with exact chunked top-k.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import ArticleVectorizer
    >>> docs = [
    ...     Article(id="a", title="بوتين يستقبل الرئيس السوري في موسكو", body="محادثات."),
    ...     Article(id="b", title="دمشق وموسكو تبحثان التعاون العسكري", body="وفد روسي في دمشق."),
    ...     Article(id="c", title="أمطار غزيرة على السواحل", body="انخفاض في درجات الحرارة."),
    ... ]
    >>> index = RelatedIndex(ArticleVectorizer(n_features=2**18)).fit(docs)
    >>> [r.id for r in index.query(docs[0], k=2)]
    ['b', 'c']
    >>> index.query("زيارة الرئيس السوري إلى موسكو", k=1)[0].id
    'a'
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.exceptions import NotFittedError

from arabnews_nlp.article import Article
from arabnews_nlp.related.clusters import ClusterSearch
from arabnews_nlp.related.columns import EntityExtractor, document_entities, with_entity_columns
from arabnews_nlp.related.queries import IndexQueries
from arabnews_nlp.related.state import IndexState, IndexView
from arabnews_nlp.related.store import load_index, save_index
from arabnews_nlp.related.vectorize import ArticleVectorizer
from arabnews_nlp.related.weighting import prune_rows, smoothed_idf, weigh_rows

__all__ = ["DEFAULT_BATCH_SIZE", "EntityExtractor", "RelatedIndex"]

#: Articles vectorized and added at once by :meth:`RelatedIndex.fit` (each batch is pruned
#: with the statistics of the articles so far: whoever rebuilds ``fit``'s index from rows made
#: elsewhere must add them in these batches).
DEFAULT_BATCH_SIZE = 2048

#: The vectorizer of an index made with ``vectorizer=None`` (stateless, so shared).
_DEFAULT_VECTORIZER = ArticleVectorizer()


class RelatedIndex(IndexQueries, BaseEstimator):
    """Find the articles most related to a story, by TF-IDF cosine over the whole corpus.

    Articles are hashed into field-weighted character n-gram counts by ``vectorizer`` (title
    and lede weigh more than the tail of the body); the index keeps those counts and the
    document frequencies, and weighs them by IDF when it is queried, so :meth:`add` extends the
    index with new stories without re-reading the old ones and gives the answers of
    :meth:`fit` on everything (bit for bit with ``max_terms=None``).

    A scikit-learn estimator: ``get_params(deep=True)`` reaches the vectorizer's parameters
    (``vectorizer__n_features``), :func:`sklearn.base.clone` gives an unfitted copy, and an
    unfitted index raises :class:`~sklearn.exceptions.NotFittedError`.

    Args:
        vectorizer: The :class:`ArticleVectorizer` (default: ``ArticleVectorizer()``).
        max_terms: Keep at most this many n-grams per article (the highest TF-IDF ones at
            the time the article is added). Bounds memory and query time on large corpora;
            None keeps all (exact, and :meth:`add` then equals :meth:`fit` bit for bit).
        entity_weight: Share of the score given to entity overlap (cosine of the IDF-weighted
            entity sets), 0 to ignore entities.
        entity_extractor: Called on an article (or query text) that has no
            ``meta["entities"]``; None reads ``meta["entities"]`` only.
        entity_features: Hash space of the entity columns (after the text columns).
        duplicate_threshold: Candidates scoring at least this are near-duplicates (the same
            story republished) and are reported apart from the results.
        chunk_size: Query rows scored at once in batch top-k.
        batch_size: Articles vectorized and added at once by :meth:`fit` and :meth:`add`.
        candidates: The candidate search of large indexes (:class:`ClusterSearch`; default
            ``ClusterSearch()``): searches without filters score each article exactly
            against the clusters nearest to it instead of the whole index. Where it would
            cover every cluster (small indexes) the exact search runs; ``exact=True`` asks
            for it at any size.

    Attributes:
        ids_, titles_, sections_, published_, entities_: Per indexed article, in index order.
        counts_: Raw field-weighted n-gram counts (CSR, float32), entity columns last.
        df_: Document frequency of every column.
        idf_: Smoothed IDF of every column.
        matrix_: The weighted, normalized rows.
        state_: All of the above that is learned, as one :class:`IndexState`.
    """

    # Caches derived from the learned state, rebuilt lazily (see _invalidate).
    _idf: np.ndarray | None
    _matrix: sp.csr_matrix | None
    _view: IndexView | None
    #: The candidate search fitted on the first rows (kept across add, saved, loaded).
    _search: ClusterSearch | None = None
    _positions: dict[str, int] | None = None

    def __init__(
        self,
        vectorizer: ArticleVectorizer | None = None,
        *,
        max_terms: int | None = 300,
        entity_weight: float = 0.0,
        entity_extractor: EntityExtractor | None = None,
        entity_features: int = 2**18,
        duplicate_threshold: float = 0.8,
        chunk_size: int = 256,
        batch_size: int = DEFAULT_BATCH_SIZE,
        candidates: ClusterSearch | None = None,
    ) -> None:
        self.vectorizer = vectorizer
        self.max_terms = max_terms
        self.entity_weight = entity_weight
        self.entity_extractor = entity_extractor
        self.entity_features = entity_features
        self.duplicate_threshold = duplicate_threshold
        self.chunk_size = chunk_size
        self.batch_size = batch_size
        self.candidates = candidates

    # ------------------------------------------------------------------ parameters
    @property
    def vectorizer_(self) -> ArticleVectorizer:
        """The vectorizer in use (``vectorizer``, or the default one)."""
        return self.vectorizer if self.vectorizer is not None else _DEFAULT_VECTORIZER

    @property
    def n_columns(self) -> int:
        """Text n-gram columns plus entity columns."""
        return int(self.vectorizer_.n_features + self.entity_features)

    # ------------------------------------------------------------------ learned state
    def __sklearn_is_fitted__(self) -> bool:
        return getattr(self, "_state", None) is not None

    @property
    def state_(self) -> IndexState:
        """The learned state (shared, not copied: treat it as read-only)."""
        state: IndexState | None = getattr(self, "_state", None)
        if state is None:
            raise NotFittedError("This RelatedIndex is not fitted yet: call fit() or load() first.")
        return state

    @property
    def ids_(self) -> list[str]:
        """Article ids, in index order."""
        return self.state_.ids

    @property
    def titles_(self) -> list[str]:
        """Titles, in index order."""
        return self.state_.titles

    @property
    def sections_(self) -> list[str | None]:
        """Sections, in index order."""
        return self.state_.sections

    @property
    def published_(self) -> list[str | None]:
        """Publication dates as given, in index order."""
        return self.state_.published

    @property
    def entities_(self) -> list[list[str]]:
        """Entity names of each article, in index order."""
        return self.state_.entities

    @property
    def counts_(self) -> sp.csr_matrix:
        """Raw counts (CSR float32), text columns then entity columns."""
        return self.state_.counts

    @property
    def df_(self) -> np.ndarray:
        """Document frequency of every column."""
        return self.state_.df

    @property
    def idf_(self) -> np.ndarray:
        """Smoothed IDF of every column: ``ln((1 + n) / (1 + df)) + 1`` (scikit-learn's)."""
        state = self.state_
        if self._idf is None:
            self._idf = smoothed_idf(state.df, state.corpus_size)
        return self._idf

    @property
    def matrix_(self) -> sp.csr_matrix:
        """The weighted, normalized index rows (rebuilt lazily after :meth:`add`)."""
        return self.view_.matrix

    @property
    def view_(self) -> IndexView:
        """The index weighted for search, as a read-only :class:`IndexView`."""
        state = self.state_
        if self._view is None:
            self._view = IndexView(
                state,
                self._weighted,
                vectorizer=self.vectorizer_,
                duplicate_threshold=self.duplicate_threshold,
                chunk_size=self.chunk_size,
                entities_of=self.entities_of,
                candidates=self.candidates if self.candidates is not None else ClusterSearch(),
                fitted=self._search,
                positions=self._id_positions(),
            )
        return self._view

    def _weighted(self) -> sp.csr_matrix:
        """The weighted rows (computed once per state of the index)."""
        if self._matrix is None:
            self._matrix = self._weigh(self.state_.counts)
        return self._matrix

    def _id_positions(self) -> dict[str, int]:
        """Article id -> row (kept across :meth:`add`)."""
        if self._positions is None:
            self._positions = {aid: i for i, aid in enumerate(self.state_.ids)}
        return self._positions

    def with_state(
        self,
        state: IndexState,
        matrix: sp.csr_matrix | None = None,
        *,
        fitted_search: ClusterSearch | None = None,
    ) -> RelatedIndex:
        """A fitted index with these parameters and this learned state.

        The public constructor for rows made elsewhere (a distributed engine's blocks).

        Args:
            state: The learned state (kept, not copied).
            matrix: The state's weighted rows if already computed (they must equal what
                the index computes from ``state``); computed when first needed otherwise.
            fitted_search: A candidate search fitted on the first rows of ``state`` (a saved
                index's), extended to the other rows when first needed instead of refitted.
        """
        if state.counts.shape[1] != self.n_columns or len(state.df) != self.n_columns:
            raise ValueError(f"a state of {state.counts.shape[1]} columns for {self.n_columns}")
        if state.counts.shape[0] != len(state.ids):
            raise ValueError(f"{state.counts.shape[0]} rows for {len(state.ids)} articles")
        out = type(self)(**self.get_params(deep=False))
        out._set_state(state)
        out._matrix = matrix
        out._search = fitted_search
        return out

    def _set_state(self, state: IndexState) -> None:
        self._state = state
        self._search = None
        self._positions = None
        self._invalidate()

    def _invalidate(self) -> None:
        """Drop everything derived from the stored counts (after fit/add/load)."""
        self._idf = None
        self._matrix = None
        self._view = None

    def __getstate__(self) -> dict[str, Any]:
        # Pickled to worker processes: the weighted rows travel if computed (costly to redo),
        # the postings and id positions do not (each worker rebuilds what it queries with).
        state = dict(super().__getstate__())
        state["_view"] = None
        state["_positions"] = None
        return state

    # ------------------------------------------------------------------ building
    def fit(self, articles: Iterable[Article], y: Any = None) -> RelatedIndex:
        """Index ``articles`` from scratch; returns self."""
        self._set_state(IndexState.empty(self.n_columns))
        return self.add(articles)

    def add(self, articles: Iterable[Article]) -> RelatedIndex:
        """Append ``articles`` to the index (vectorizing only them), ``batch_size`` at a time;
        returns self. Ids must be new: re-adding an id raises ``ValueError``.
        """
        if not self.__sklearn_is_fitted__():
            return self.fit(articles)
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) == self.batch_size:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)
        return self

    def _add_batch(self, batch: Sequence[Article]) -> None:
        entities = [self.entities_of(a) for a in batch]
        self.add_counts(self._counts(batch, entities), batch, entities=entities)

    def vectorize(self, docs: Sequence[Article | str]) -> sp.csr_matrix:
        """Raw counts of ``docs`` (text n-grams, then entity columns), as :meth:`add` makes them.

        Depends only on the parameters, never on the indexed corpus, so worker processes can
        vectorize partitions of a large corpus and the parent :meth:`add_counts` them.
        """
        return self._counts(docs, [self.entities_of(d) for d in docs])

    def add_counts(
        self,
        counts: sp.spmatrix,
        articles: Sequence[Article],
        *,
        entities: Sequence[Sequence[str]] | None = None,
    ) -> RelatedIndex:
        """Append articles whose rows were made by :meth:`vectorize`; returns self.

        Args:
            counts: One row per article, ``n_columns`` wide.
            articles: The articles (their id, title, section and date are kept).
            entities: Entity names per article; default: read again with ``entities_of``.
        """
        if not self.__sklearn_is_fitted__():
            self.fit([])
        counts = sp.csr_matrix(counts, dtype=np.float32)
        if counts.shape != (len(articles), self.n_columns):
            raise ValueError(f"counts of shape {counts.shape} for {len(articles)} articles")
        seen: set[str] = set()
        for article in articles:
            if article.id in seen or self.position(article.id) is not None:
                raise ValueError(f"article id already indexed: {article.id!r}")
            seen.add(article.id)
        names = entities if entities is not None else [self.entities_of(a) for a in articles]
        # The candidate search fitted so far is kept: the added rows join their nearest
        # clusters at the next search (ClusterSearch.extend), without a refit.
        if self._view is not None:
            self._search = self._view.fitted_search()
        state = self.state_
        first = len(state)
        pruned = state.append_pruned(
            articles, counts, names, self.max_terms, self.vectorizer_.n_features
        )
        if self._positions is not None:
            self._positions.update((a.id, first + i) for i, a in enumerate(articles))
        state.append_rows(pruned)
        self._invalidate()
        return self

    def _counts(self, docs: Sequence[Article | str], entities: list[list[str]]) -> sp.csr_matrix:
        text = self.vectorizer_.transform(docs)
        return with_entity_columns(text, entities, self.entity_features)

    def entities_of(self, doc: Article | str) -> list[str]:
        """Entity names of a document: ``meta["entities"]``, else the extractor's (if weighted)."""
        return document_entities(doc, self.entity_extractor, self.entity_weight)

    # ------------------------------------------------------------------ weights
    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        return weigh_rows(counts, self.idf_, self.vectorizer_.n_features, self.entity_weight)

    def transform(self, docs: Sequence[Article | str]) -> sp.csr_matrix:
        """Weighted, normalized rows of ``docs`` in this index's space (not added to it)."""
        return self._transform_both(docs, unpruned=False)[0]

    def _transform_both(
        self, docs: Sequence[Article | str], unpruned: bool
    ) -> tuple[sp.csr_matrix, sp.csr_matrix | None]:
        """Rows as scored (pruned to ``max_terms``) and, if asked, unpruned (to explain with
        every word of the query)."""
        counts = self.vectorize(docs)
        if self.max_terms is None:
            full = self._weigh(counts)
            return full, full
        pruned = prune_rows(counts, self.idf_, self.max_terms, self.vectorizer_.n_features)
        return self._weigh(pruned), self._weigh(counts) if unpruned else None

    def __len__(self) -> int:
        state = getattr(self, "_state", None)
        return len(state) if state is not None else 0

    def position(self, article_id: str) -> int | None:
        """Row number of an indexed id, or None."""
        return self._id_positions().get(article_id)

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the index to a directory (``index.json`` + ``arrays.npz``; no pickle).

        The candidate search is fitted first if it is not (large indexes: its clusters go to
        ``search.npz``), so the index loads ready to answer.
        """
        return save_index(self, path)

    @classmethod
    def load(
        cls, path: str | Path, *, entity_extractor: EntityExtractor | None = None
    ) -> RelatedIndex:
        """Read an index written by :meth:`save`."""
        return load_index(cls, path, entity_extractor)
