"""The learned state of a related index as plain data, and the read-only view a search uses.

:class:`IndexState` is everything :meth:`RelatedIndex.fit
<arabnews_nlp.related.RelatedIndex.fit>` learns: per-article lists and the raw counts with
their document frequencies. It is what :mod:`~arabnews_nlp.related.persist` writes and reads,
and what a distributed engine builds block by block. :class:`IndexView` is a state weighted for
search: the weighted rows, their postings, dates and positions, computed once and never changed
(the index makes a new view after :meth:`~arabnews_nlp.related.RelatedIndex.add`).

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> from arabnews_nlp import Article
    >>> state = IndexState.empty(n_columns=4)
    >>> rows = sp.csr_matrix(np.ones((1, 4), dtype=np.float32))
    >>> state.append([Article(id="a", title="دمشق")], rows, [[]])
    >>> state.append_rows(rows)
    >>> len(state), state.df.tolist(), state.corpus_size
    (1, [1, 1, 1, 1], 1)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.base import clone as sklearn_clone

from arabnews_nlp.article import Article
from arabnews_nlp.related.clusters import ClusterSearch
from arabnews_nlp.related.filters import published_days
from arabnews_nlp.related.vectorize import ArticleVectorizer
from arabnews_nlp.related.weighting import prune_rows, smoothed_idf

__all__ = ["IndexState", "IndexView", "stack_rows"]


#: Stored entries of the blocks an index merges as they are appended (8M: 64 MB).
PENDING_ENTRIES = 1 << 23


@dataclass
class IndexState:
    """What a related index learns from its articles.

    Attributes:
        ids, titles, sections, published, entities: Per indexed article, in index order.
        counts: Raw field-weighted counts (CSR float32, one row per article, text columns then
            entity columns), pruned as they were when added. Rows appended by
            :meth:`append_rows` wait in blocks and are stacked once, when ``counts`` is next
            read (appending a batch at a time would copy the whole matrix per batch).
        df: Document frequency of every column over the corpus the statistics describe.
        n_docs: Articles ``df`` counts; None: the articles held. A block of a larger corpus
            (the Dask engine's) holds some rows with the statistics of all of them.
    """

    ids: list[str]
    titles: list[str]
    sections: list[str | None]
    published: list[str | None]
    entities: list[list[str]]
    stacked: sp.csr_matrix
    df: np.ndarray
    n_docs: int | None = None
    #: Rows appended since ``stacked`` was last made (see ``counts``).
    pending: list[sp.csr_matrix] = field(default_factory=list, repr=False, compare=False)

    @property
    def counts(self) -> sp.csr_matrix:
        """The raw counts of every row (the appended blocks stacked, once)."""
        if self.pending:
            from arabnews_nlp.pipeline.pool import trim_heap

            blocks, self.pending = [self.stacked, *self.pending], []
            del self.stacked  # let go of the old rows as soon as they are copied
            self.stacked = stack_rows(blocks)
            # The blocks and the pruning's temporaries leave the C heap with much free
            # memory it keeps (0.44 GB at 200,000 synthetic articles): given back.
            trim_heap()
        return self.stacked

    @counts.setter
    def counts(self, rows: sp.csr_matrix) -> None:
        self.stacked, self.pending = rows, []

    @classmethod
    def empty(cls, n_columns: int) -> IndexState:
        """A state with no article."""
        counts = sp.csr_matrix((0, n_columns), dtype=np.float32)
        return cls([], [], [], [], [], counts, np.zeros(n_columns, dtype=np.int64))

    @classmethod
    def from_counts(
        cls,
        articles: Sequence[Article],
        counts: sp.spmatrix,
        entities: Sequence[Sequence[str]],
        *,
        df: np.ndarray | None = None,
        n_docs: int | None = None,
    ) -> IndexState:
        """A state of these articles with these rows (and, if given, corpus statistics)."""
        rows = sp.csr_matrix(counts, dtype=np.float32)
        if df is None:
            df = np.bincount(rows.indices, minlength=rows.shape[1]).astype(np.int64)
        return cls(
            [a.id for a in articles],
            [a.title for a in articles],
            [a.section for a in articles],
            [a.published for a in articles],
            [list(e) for e in entities],
            rows,
            df,
            n_docs,
        )

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def corpus_size(self) -> int:
        """Articles the document frequencies describe."""
        return len(self.ids) if self.n_docs is None else self.n_docs

    def append_pruned(
        self,
        articles: Sequence[Article],
        counts: sp.csr_matrix,
        entities: Sequence[Sequence[str]],
        max_terms: int | None,
        n_text: int,
    ) -> sp.csr_matrix:
        """:meth:`append`, then the rows as an index stores them: pruned to ``max_terms`` text
        terms (None: all) with the IDF that includes these articles, as a fit on the union
        would prune them. The caller adds them (:meth:`append_rows`) now or later."""
        self.append(articles, counts, entities)
        if max_terms is None:
            return sp.csr_matrix(counts, copy=True)  # kept by append_rows: not the caller's
        return prune_rows(counts, smoothed_idf(self.df, self.corpus_size), max_terms, n_text)

    def append(
        self, articles: Sequence[Article], counts: sp.spmatrix, entities: Sequence[Sequence[str]]
    ) -> None:
        """Add the articles' lists and document frequencies (not yet their rows: an index
        prunes the rows with the statistics that include them, then :meth:`append_rows`)."""
        self.df += np.bincount(sp.csr_matrix(counts).indices, minlength=len(self.df))
        self.ids.extend(a.id for a in articles)
        self.titles.extend(a.title for a in articles)
        self.sections.extend(a.section for a in articles)
        self.published.extend(a.published for a in articles)
        self.entities.extend(list(e) for e in entities)
        if self.n_docs is not None:
            self.n_docs += len(articles)

    def append_rows(self, rows: sp.spmatrix) -> None:
        """Store the rows of the articles last appended (stacked when ``counts`` is read).

        The blocks waiting are merged once they hold :data:`PENDING_ENTRIES` entries: arrays
        that large are mapped apart from the C heap, which the small blocks and the pruning's
        temporaries would otherwise leave full of holes (~2 KB an article at 300 n-grams).
        """
        self.pending.append(sp.csr_matrix(rows, dtype=np.float32))
        first, entries = len(self.pending), 0
        while first > 0 and self.pending[first - 1].nnz < PENDING_ENTRIES:
            first -= 1
            entries += self.pending[first].nnz
        if entries >= PENDING_ENTRIES:
            self.pending[first:] = [stack_rows(self.pending[first:])]

    @classmethod
    def concat(cls, states: Sequence[IndexState]) -> IndexState:
        """States of consecutive rows as one (the statistics of the first, which all share)."""
        first = states[0]
        return cls(
            [x for st in states for x in st.ids],
            [x for st in states for x in st.titles],
            [x for st in states for x in st.sections],
            [x for st in states for x in st.published],
            [x for st in states for x in st.entities],
            sp.csr_matrix(sp.vstack([st.counts for st in states], format="csr")),
            first.df,
            first.n_docs,
        )

    def take(self, rows: Sequence[int] | np.ndarray) -> IndexState:
        """The state of some rows, in the order given, with the same statistics."""
        picked = [int(i) for i in rows]
        return IndexState(
            [self.ids[i] for i in picked],
            [self.titles[i] for i in picked],
            [self.sections[i] for i in picked],
            [self.published[i] for i in picked],
            [self.entities[i] for i in picked],
            sp.csr_matrix(self.counts[picked]),
            self.df,
            self.n_docs if self.n_docs is not None else len(self),
        )

    def article(self, row: int) -> Article:
        """What the state keeps of the article at ``row`` (id, title, section, date, entities)."""
        return Article(
            id=self.ids[row],
            title=self.titles[row],
            section=self.sections[row],
            published=self.published[row],
            meta={"entities": list(self.entities[row])},
        )


class IndexView:
    """A state weighted for search, read-only: what the query side of an index uses.

    Args:
        state: The learned state.
        matrix: Its weighted, normalized rows, or a function computing them when first needed
            (ids, dates and positions are read without weighting the whole index).
        vectorizer: The vectorizer the rows were made with (to explain matches).
        duplicate_threshold: Scores at or above it are near-duplicates.
        chunk_size: Query rows scored at once.
        entities_of: ``entities_of(article_or_text)``: the entity names of a query.
        candidates: The unfitted candidate search (:class:`ClusterSearch`) fitted on
            ``matrix`` when first needed; None: the exact search only.
        fitted: A candidate search fitted earlier on the first rows of ``matrix`` (saved with
            the index, or before an ``add``): extended to the rows added since instead of
            refitted (see :meth:`ClusterSearch.extend`), if fitted with ``candidates``'s
            parameters.
        positions: Article id -> row, if the caller keeps them (else made when needed).
    """

    def __init__(
        self,
        state: IndexState,
        matrix: sp.csr_matrix | Callable[[], sp.csr_matrix],
        *,
        vectorizer: ArticleVectorizer,
        duplicate_threshold: float,
        chunk_size: int,
        entities_of: Callable[[Any], list[str]],
        candidates: ClusterSearch | None = None,
        fitted: ClusterSearch | None = None,
        positions: dict[str, int] | None = None,
    ) -> None:
        self.state = state
        self._weighted = matrix
        self.vectorizer = vectorizer
        self.duplicate_threshold = duplicate_threshold
        self.chunk_size = chunk_size
        self.entities_of = entities_of
        self.candidates = candidates
        self.fitted = fitted
        if positions is not None:
            self.__dict__["positions"] = positions

    @cached_property
    def matrix(self) -> sp.csr_matrix:
        """The weighted, normalized rows."""
        made = self._weighted
        return made if isinstance(made, sp.csr_matrix) else made()

    def __len__(self) -> int:
        return len(self.state)

    @cached_property
    def inverted(self) -> sp.csr_matrix:
        """``matrix.T`` in CSR form: the postings of every column."""
        return self.matrix.T.tocsr()

    @cached_property
    def search(self) -> ClusterSearch | None:
        """The candidate search over these rows (``fitted`` extended, or a fresh fit), also
        where it is exhaustive; None where there is none."""
        if self.candidates is None:
            return None
        fitted = self.fitted
        if fitted is not None and fitted.get_params() == self.candidates.get_params():
            return fitted.extend(self.matrix)
        return sklearn_clone(self.candidates).fit(self.matrix)

    def fitted_search(self) -> ClusterSearch | None:
        """The candidate search if this view made it (unbound from the rows), else ``fitted``:
        what an index keeps across ``add`` and saves."""
        made = self.__dict__.get("search")
        return made.unbound() if made is not None else self.fitted

    @property
    def clusters(self) -> ClusterSearch | None:
        """The candidate search over these rows; None when it would be exhaustive (small
        corpora) or there is none: the exact search is then used."""
        search = self.search
        return None if search is None or search.exhaustive() else search

    @cached_property
    def days(self) -> np.ndarray:
        """Publication dates as float days since the epoch (NaN when unknown)."""
        return published_days(self.state.published)

    @cached_property
    def by_date(self) -> np.ndarray:
        """The dated rows in date order (ties in index order)."""
        dated = np.flatnonzero(np.isfinite(self.days))
        return dated[np.argsort(self.days[dated], kind="stable")]

    @cached_property
    def dated_postings(self) -> sp.csr_matrix:
        """The postings of every column over the dated rows, each row numbered by its place in
        :attr:`by_date`: the rows of a date window are a range of every posting list, so a
        query bounded by dates walks only that range (``n_columns x len(by_date)``)."""
        by_date = self.by_date
        place = np.full(len(self), -1, dtype=np.int64)
        place[by_date] = np.arange(len(by_date))
        postings = self.matrix.T.tocsr()  # rows in index order within each column
        step = 1 << 24  # renumbered in slices: no temporary the size of the index
        for lo in range(0, postings.nnz, step):
            renumbered = place[postings.indices[lo : lo + step]]
            postings.data[lo : lo + step][renumbered < 0] = 0.0  # undated: dropped below
            postings.indices[lo : lo + step] = renumbered
        if len(by_date) < len(self):
            postings.eliminate_zeros()
        out = sp.csr_matrix(
            (postings.data, postings.indices, postings.indptr),
            shape=(postings.shape[0], len(by_date)),
        )
        out.has_sorted_indices = False
        out.sort_indices()
        return out

    @cached_property
    def positions(self) -> dict[str, int]:
        """Article id -> row."""
        return {aid: i for i, aid in enumerate(self.state.ids)}

    def position(self, article_id: str) -> int | None:
        """Row of an indexed id, or None."""
        return self.positions.get(article_id)


def stack_rows(blocks: list[sp.csr_matrix]) -> sp.csr_matrix:
    """``scipy.sparse.vstack`` of CSR blocks (float32), letting go of each block once copied
    (the list is emptied): the memory it takes is the result's and one block's, not twice the
    result's."""
    n_rows = sum(b.shape[0] for b in blocks)
    nnz = sum(b.nnz for b in blocks)
    n_columns = blocks[0].shape[1]
    index_type = np.int32 if max(nnz, n_columns) < np.iinfo(np.int32).max else np.int64
    data = np.empty(nnz, dtype=np.float32)
    indices = np.empty(nnz, dtype=index_type)
    indptr = np.zeros(n_rows + 1, dtype=index_type)
    row = at = 0
    blocks.reverse()
    while blocks:
        block = blocks.pop()
        data[at : at + block.nnz] = block.data
        indices[at : at + block.nnz] = block.indices
        indptr[row + 1 : row + 1 + block.shape[0]] = block.indptr[1:] + at
        row, at = row + block.shape[0], at + block.nnz
    return sp.csr_matrix((data, indices, indptr), shape=(n_rows, n_columns))
