"""`RelatedIndex`: TF-IDF related-article search with exact chunked top-k.

Example:
    >>> from arabnews_nlp import Article
    >>> docs = [
    ...     Article(id="a", title="بوتين يستقبل الرئيس السوري في موسكو", body="محادثات."),
    ...     Article(id="b", title="دمشق وموسكو تبحثان التعاون العسكري", body="وفد روسي في دمشق."),
    ...     Article(id="c", title="أمطار غزيرة على السواحل", body="انخفاض في درجات الحرارة."),
    ... ]
    >>> index = RelatedIndex(n_features=2**18).fit(docs)
    >>> [r.id for r in index.query(docs[0], k=2)]
    ['b', 'c']
    >>> index.query("زيارة الرئيس السوري إلى موسكو", k=1)[0].id
    'a'
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.normalize import normalize
from arabnews_nlp.related.explain import entity_names
from arabnews_nlp.related.filters import published_days
from arabnews_nlp.related.hashing import token_code
from arabnews_nlp.related.results import RelatedResults
from arabnews_nlp.related.search import QueryOptions, all_pairs, search
from arabnews_nlp.related.topk import TopK
from arabnews_nlp.related.vectorize import ArticleVectorizer
from arabnews_nlp.related.weighting import prune_rows, weigh_rows

__all__ = ["EntityExtractor", "RelatedIndex", "fit_batch_size"]

#: ``extractor(article_or_text) -> entities`` (strings, dicts with ``canonical``, or Entities).
EntityExtractor = Callable[[Any], Iterable[Any]]


class RelatedIndex:
    """Find the articles most related to a story, by TF-IDF cosine over the whole corpus.

    Articles are hashed into field-weighted character n-gram counts (title and lede weigh
    more than the tail of the body); the index keeps those counts and the document
    frequencies, and weighs them by IDF when it is queried, so :meth:`add` extends the index
    with new stories without re-reading the old ones and gives the answers of :meth:`fit` on
    everything (bit for bit with ``max_terms=None``).

    Args:
        analyzer, ngram_range, n_features, title_weight, lede_weight, head_weight,
            tail_weight, head_chars, max_chars: The :class:`ArticleVectorizer` settings.
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

    Attributes:
        ids_: Article ids, in index order.
        counts_: Raw field-weighted n-gram counts (CSR, float32), entity columns last.
        df_: Document frequency of every column.
    """

    # Caches derived from the learned state, rebuilt lazily (see _invalidate).
    _idf: np.ndarray | None
    _matrix: sp.csr_matrix | None
    _matrix_t: sp.csr_matrix | None
    _positions: dict[str, int] | None
    _days_cache: np.ndarray | None

    def __init__(
        self,
        *,
        analyzer: str = "char_wb",
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2**20,
        title_weight: float = 3.0,
        lede_weight: float = 2.0,
        head_weight: float = 1.0,
        tail_weight: float = 0.5,
        head_chars: int = 300,
        max_chars: int = 3000,
        max_terms: int | None = 300,
        entity_weight: float = 0.0,
        entity_extractor: EntityExtractor | None = None,
        entity_features: int = 2**18,
        duplicate_threshold: float = 0.8,
        chunk_size: int = 256,
    ) -> None:
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.title_weight = title_weight
        self.lede_weight = lede_weight
        self.head_weight = head_weight
        self.tail_weight = tail_weight
        self.head_chars = head_chars
        self.max_chars = max_chars
        self.max_terms = max_terms
        self.entity_weight = entity_weight
        self.entity_extractor = entity_extractor
        self.entity_features = entity_features
        self.duplicate_threshold = duplicate_threshold
        self.chunk_size = chunk_size

    # ------------------------------------------------------------------ parameters
    def get_params(self) -> dict[str, Any]:
        """Constructor arguments except the extractor (JSON-serializable)."""
        return {
            "analyzer": self.analyzer,
            "ngram_range": [int(x) for x in self.ngram_range],
            "n_features": self.n_features,
            "title_weight": self.title_weight,
            "lede_weight": self.lede_weight,
            "head_weight": self.head_weight,
            "tail_weight": self.tail_weight,
            "head_chars": self.head_chars,
            "max_chars": self.max_chars,
            "max_terms": self.max_terms,
            "entity_weight": self.entity_weight,
            "entity_features": self.entity_features,
            "duplicate_threshold": self.duplicate_threshold,
            "chunk_size": self.chunk_size,
        }

    @property
    def vectorizer(self) -> ArticleVectorizer:
        """The stateless vectorizer these parameters describe."""
        return ArticleVectorizer(
            self.analyzer,
            (int(self.ngram_range[0]), int(self.ngram_range[1])),
            self.n_features,
            title_weight=self.title_weight,
            lede_weight=self.lede_weight,
            head_weight=self.head_weight,
            tail_weight=self.tail_weight,
            head_chars=self.head_chars,
            max_chars=self.max_chars,
        )

    @property
    def n_columns(self) -> int:
        """Text n-gram columns plus entity columns."""
        return int(self.n_features + self.entity_features)

    # ------------------------------------------------------------------ building
    def fit(self, articles: Iterable[Article]) -> RelatedIndex:
        """Index ``articles`` from scratch; returns self."""
        self.ids_: list[str] = []
        self.titles_: list[str] = []
        self.sections_: list[str | None] = []
        self.published_: list[str | None] = []
        self.entities_: list[list[str]] = []
        self.counts_ = sp.csr_matrix((0, self.n_columns), dtype=np.float32)
        self.df_ = np.zeros(self.n_columns, dtype=np.int64)
        self._invalidate()
        return self.add(articles)

    def add(self, articles: Iterable[Article], batch_size: int = 2048) -> RelatedIndex:
        """Append ``articles`` to the index (vectorizing only them); returns self.

        Ids must be new: re-adding an id raises ``ValueError``.
        """
        if not hasattr(self, "counts_"):
            return self.fit(articles)
        batch: list[Article] = []
        for article in articles:
            batch.append(article)
            if len(batch) == batch_size:
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
        if not hasattr(self, "counts_"):
            self.fit([])
        counts = sp.csr_matrix(counts, dtype=np.float32)
        if counts.shape != (len(articles), self.n_columns):
            raise ValueError(f"counts of shape {counts.shape} for {len(articles)} articles")
        seen: set[str] = set()
        for article in articles:
            if article.id in seen or self.position(article.id) is not None:
                raise ValueError(f"article id already indexed: {article.id!r}")
            seen.add(article.id)
        names = [list(e) for e in entities] if entities is not None else None
        if names is None:
            names = [self.entities_of(a) for a in articles]
        # Document frequencies and ids first: pruning weighs terms with the IDF that includes
        # these articles, as fit() on the union would.
        self.df_ += np.bincount(counts.indices, minlength=self.n_columns)
        self.ids_.extend(a.id for a in articles)
        self.titles_.extend(a.title for a in articles)
        self.sections_.extend(a.section for a in articles)
        self.published_.extend(a.published for a in articles)
        self.entities_.extend(names)
        self._invalidate()
        if self.max_terms is not None:
            counts = prune_rows(counts, self.idf_(), self.max_terms, self.n_features)
        self.counts_ = sp.csr_matrix(sp.vstack([self.counts_, counts], format="csr"))
        self._invalidate()
        return self

    def _counts(self, docs: Sequence[Article | str], entities: list[list[str]]) -> sp.csr_matrix:
        text = self.vectorizer.transform(docs)
        shape = (len(docs), self.n_columns)
        if not any(entities):
            # Same arrays, wider shape: the entity columns are simply empty.
            return sp.csr_matrix((text.data, text.indices, text.indptr), shape=shape)
        # Presence, not frequency: an entity (or names that hash together) counts once.
        ent_cols = [
            sorted({self.n_features + self._entity_column(name) for name in names})
            for names in entities
        ]
        data, indices, indptr = [], [], [0]
        for row, cols in enumerate(ent_cols):
            lo, hi = text.indptr[row], text.indptr[row + 1]
            data += [text.data[lo:hi], np.ones(len(cols), dtype=np.float32)]
            indices += [text.indices[lo:hi], np.asarray(cols, dtype=text.indices.dtype)]
            indptr.append(indptr[-1] + hi - lo + len(cols))
        return sp.csr_matrix(
            (np.concatenate(data), np.concatenate(indices), np.asarray(indptr)), shape=shape
        )

    def _entity_column(self, name: str) -> int:
        return int(token_code(normalize(name, profile="search")) % self.entity_features)

    def entities_of(self, doc: Article | str) -> list[str]:
        """Entity names of a document: ``meta["entities"]``, else the extractor's (if weighted)."""
        if isinstance(doc, Article) and doc.meta.get("entities") is not None:
            return entity_names(doc.meta["entities"])
        if self.entity_extractor is None or self.entity_weight == 0:
            return []
        return entity_names(self.entity_extractor(doc))

    # ------------------------------------------------------------------ weights
    def idf_(self) -> np.ndarray:
        """Smoothed IDF of every column: ``ln((1 + n) / (1 + df)) + 1`` (scikit-learn's)."""
        self._check_fitted()
        if self._idf is None:
            n = len(self.ids_)
            self._idf = (np.log((1.0 + n) / (1.0 + self.df_)) + 1.0).astype(np.float32)
        return self._idf

    def _invalidate(self) -> None:
        """Drop everything derived from the stored counts (after fit/add/load)."""
        self._idf = None
        self._matrix = None
        self._matrix_t = None
        self._positions = None
        self._days_cache = None

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        return weigh_rows(counts, self.idf_(), self.n_features, self.entity_weight)

    @property
    def matrix_(self) -> sp.csr_matrix:
        """The weighted, normalized index rows (rebuilt lazily after :meth:`add`)."""
        self._check_fitted()
        if self._matrix is None:
            self._matrix = self._weigh(self.counts_)
        return self._matrix

    def inverted_(self) -> sp.csr_matrix:
        """``matrix_.T`` in CSR form: the postings of every column, for fast single queries."""
        if self._matrix_t is None:
            self._matrix_t = self.matrix_.T.tocsr()
        return self._matrix_t

    def transform(self, docs: Sequence[Article | str]) -> sp.csr_matrix:
        """Weighted, normalized rows of ``docs`` in this index's space (not added to it)."""
        return self._transform_both(docs, unpruned=False)[0]

    def _transform_both(
        self, docs: Sequence[Article | str], unpruned: bool
    ) -> tuple[sp.csr_matrix, sp.csr_matrix | None]:
        """Rows as scored (pruned to ``max_terms``) and, if asked, unpruned (to explain with
        every word of the query)."""
        self._check_fitted()
        counts = self.vectorize(docs)
        if self.max_terms is None:
            full = self._weigh(counts)
            return full, full
        pruned = prune_rows(counts, self.idf_(), self.max_terms, self.n_features)
        return self._weigh(pruned), self._weigh(counts) if unpruned else None

    def _check_fitted(self) -> None:
        if not hasattr(self, "counts_"):
            raise RuntimeError("RelatedIndex is not fitted: call fit() or load() first")

    def __len__(self) -> int:
        return len(self.ids_) if hasattr(self, "ids_") else 0

    def position(self, article_id: str) -> int | None:
        """Row number of an indexed id, or None."""
        self._check_fitted()
        if self._positions is None:
            self._positions = {aid: i for i, aid in enumerate(self.ids_)}
        return self._positions.get(article_id)

    # ------------------------------------------------------------------ querying
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
        """
        options = QueryOptions(
            within_days, sections, same_section, min_score, exclude_ids, explain, max_duplicates
        )
        return self.query_many([article_or_text], k, **options.as_kwargs())[0]

    def query_many(
        self, docs: Sequence[Article | str], k: int = 5, **options: Any
    ) -> list[RelatedResults]:
        """:meth:`query` for many articles or texts at once (same keyword options)."""
        self._check_fitted()
        docs = list(docs)
        own = [self.position(d.id) if isinstance(d, Article) else None for d in docs]
        opts = QueryOptions(**options)
        scored, full = self._transform_both(docs, unpruned=opts.explain)
        return search(self, scored, docs, own, k, opts, explain_vectors=full)

    def related_to(
        self, article_ids: Sequence[str], k: int = 5, **options: Any
    ) -> list[RelatedResults]:
        """:meth:`query` for articles already in the index, by id (no text needed).

        Explanations use the stored titles. Raises ``KeyError`` for an unknown id.
        """
        self._check_fitted()
        rows = []
        for article_id in article_ids:
            row = self.position(article_id)
            if row is None:
                raise KeyError(f"article id not in the index: {article_id!r}")
            rows.append(row)
        docs: list[Article | str] = [self.stored_article(row) for row in rows]
        vectors = sp.csr_matrix(self.matrix_[rows])
        return search(self, vectors, docs, list(rows), k, QueryOptions(**options))

    def stored_article(self, row: int) -> Article:
        """What the index keeps of the article at ``row`` (id, title, section, date, entities)."""
        return Article(
            id=self.ids_[row],
            title=self.titles_[row],
            section=self.sections_[row],
            published=self.published_[row],
            meta={"entities": list(self.entities_[row])},
        )

    def all_pairs_topk(
        self,
        k: int = 10,
        *,
        exclude_duplicates: bool = True,
        min_score: float | None = None,
        within_days: float | None = None,
        same_section: bool = False,
        rows: slice | None = None,
    ) -> TopK:
        """Exact top-``k`` related articles of every indexed article (or a slice of rows).

        Memory stays bounded: scores are computed ``chunk_size`` rows at a time into one
        reused buffer. Each article is excluded from its own list; with
        ``exclude_duplicates``, so are candidates at or above ``duplicate_threshold``.
        Row slices let a distributed engine split the work; the answers are index row
        numbers (see ``ids_``).
        """
        return all_pairs(
            self,
            k,
            exclude_duplicates=exclude_duplicates,
            min_score=min_score,
            within_days=within_days,
            same_section=same_section,
            rows=rows or slice(0, len(self)),
        )

    def published_days_(self) -> np.ndarray:
        """Publication dates as float days since the epoch (NaN when unknown), cached."""
        if self._days_cache is None:
            self._days_cache = published_days(self.published_)
        return self._days_cache

    # ------------------------------------------------------------------ persistence
    def save(self, path: str | Path) -> Path:
        """Write the index to a directory (``index.json`` + ``arrays.npz``; no pickle)."""
        from arabnews_nlp.related.persist import save_index

        return save_index(self, path)

    @classmethod
    def load(
        cls, path: str | Path, *, entity_extractor: EntityExtractor | None = None
    ) -> RelatedIndex:
        """Read an index written by :meth:`save`."""
        from arabnews_nlp.related.persist import load_index

        return load_index(path, entity_extractor=entity_extractor)


def fit_batch_size() -> int:
    """Rows per batch of :meth:`RelatedIndex.fit` (the default of :meth:`RelatedIndex.add`).

    Each batch is pruned with the IDF of the articles so far, so whoever rebuilds ``fit``'s
    index from separately made rows (stage-1 workers, Dask blocks) must use these batches.
    """
    return int(inspect.signature(RelatedIndex.add).parameters["batch_size"].default)
