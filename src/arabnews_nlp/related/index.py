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

from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.normalize import normalize
from arabnews_nlp.related.explain import entity_names, shared_entities, shared_terms
from arabnews_nlp.related.filters import CandidateFilter, published_days
from arabnews_nlp.related.hashing import token_code
from arabnews_nlp.related.results import RelatedResult, RelatedResults
from arabnews_nlp.related.topk import MaskFn, TopK, topk_blocks
from arabnews_nlp.related.vectorize import ArticleVectorizer, article_fields

__all__ = ["EntityExtractor", "RelatedIndex"]

#: ``extractor(article_or_text) -> entities`` (strings, dicts with ``canonical``, or Entities).
EntityExtractor = Callable[[Any], Iterable[Any]]


class RelatedIndex:
    """Find the articles most related to a story, by TF-IDF cosine over the whole corpus.

    Articles are hashed into field-weighted character n-gram counts (title and lede weigh
    more than the tail of the body); the index keeps those counts and the document
    frequencies, and weighs them by IDF when it is queried, so :meth:`add` extends the index
    with new stories without re-reading the old ones and gives the same answers as
    :meth:`fit` on everything.

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
        duplicate_threshold: Candidates scoring at least this are near-duplicates (the same
            story republished) and are reported apart from the results.
        chunk_size: Query rows scored at once in batch top-k.

    Attributes:
        ids_: Article ids, in index order.
        counts_: Raw field-weighted n-gram counts (CSR, float32), entity columns last.
        df_: Document frequency of every column.
    """

    def __init__(
        self,
        *,
        analyzer: str = "char_wb",
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2**20,
        title_weight: float = 2.0,
        lede_weight: float = 1.5,
        head_weight: float = 1.0,
        tail_weight: float = 0.5,
        head_chars: int = 600,
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
        known = set(self.ids_)
        batch: list[Article] = []
        for article in articles:
            if article.id in known:
                raise ValueError(f"article id already indexed: {article.id!r}")
            known.add(article.id)
            batch.append(article)
            if len(batch) == batch_size:
                self._add_batch(batch)
                batch = []
        if batch:
            self._add_batch(batch)
        return self

    def _add_batch(self, batch: Sequence[Article]) -> None:
        entities = [self._entities_of(a) for a in batch]
        counts = self._counts(batch, entities)
        self.df_ += np.bincount(counts.indices, minlength=self.n_columns)
        if self.max_terms is not None:
            counts = _prune_rows(counts, self.idf_(), self.max_terms, self.n_features)
        self.counts_ = sp.csr_matrix(sp.vstack([self.counts_, counts], format="csr"))
        self.ids_.extend(a.id for a in batch)
        self.titles_.extend(a.title for a in batch)
        self.sections_.extend(a.section for a in batch)
        self.published_.extend(a.published for a in batch)
        self.entities_.extend(entities)
        self._invalidate()

    def _counts(self, docs: Sequence[Article | str], entities: list[list[str]]) -> sp.csr_matrix:
        text = self.vectorizer.transform(docs)
        rows, cols = [], []
        for row, names in enumerate(entities):
            for name in names:
                rows.append(row)
                cols.append(self._entity_column(name))
        ents = sp.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(docs), self.entity_features),
        )
        ents.data[:] = 1.0  # presence, not frequency: names that hash together count once
        return sp.csr_matrix(sp.hstack([text, ents], format="csr"), dtype=np.float32)

    def _entity_column(self, name: str) -> int:
        return int(token_code(normalize(name, profile="search")) % self.entity_features)

    def _entities_of(self, doc: Article | str) -> list[str]:
        if isinstance(doc, Article) and doc.meta.get("entities") is not None:
            return entity_names(doc.meta["entities"])
        if self.entity_extractor is None or self.entity_weight == 0:
            return []
        return entity_names(self.entity_extractor(doc))

    # ------------------------------------------------------------------ weights
    def idf_(self) -> np.ndarray:
        """Smoothed IDF of every column: ``ln((1 + n) / (1 + df)) + 1`` (scikit-learn's)."""
        n = len(self.ids_) if hasattr(self, "ids_") else 0
        return (np.log((1.0 + n) / (1.0 + self.df_)) + 1.0).astype(np.float32)

    def _invalidate(self) -> None:
        self._matrix: sp.csr_matrix | None = None
        self._matrix_t: sp.csr_matrix | None = None
        self._positions: dict[str, int] | None = None
        self._days_cache: np.ndarray | None = None

    def _weigh(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """IDF-weigh raw rows, L2-normalize the text and entity parts, blend by entity_weight."""
        weighted = sp.csr_matrix(counts @ sp.diags(self.idf_()), dtype=np.float32)
        text_part = _l2_rows(weighted[:, : self.n_features])
        if self.entity_weight <= 0:
            ents = sp.csr_matrix((counts.shape[0], self.entity_features), dtype=np.float32)
            return sp.csr_matrix(sp.hstack([text_part, ents], format="csr"))
        ent_part = _l2_rows(weighted[:, self.n_features :])
        w = float(self.entity_weight)
        # Concatenating sqrt-weighted unit parts makes one dot product give the blended score.
        blended = sp.hstack([text_part * np.sqrt(1 - w), ent_part * np.sqrt(w)], format="csr")
        return sp.csr_matrix(blended, dtype=np.float32)

    @property
    def matrix_(self) -> sp.csr_matrix:
        """The weighted, normalized index rows (rebuilt lazily after :meth:`add`)."""
        self._check_fitted()
        if self._matrix is None:
            self._matrix = self._weigh(self.counts_)
        return self._matrix

    def _inverted(self) -> sp.csr_matrix:
        """``matrix_.T`` in CSR form: the postings of every column, for fast single queries."""
        if self._matrix_t is None:
            self._matrix_t = self.matrix_.T.tocsr()
        return self._matrix_t

    def transform(self, docs: Sequence[Article | str]) -> sp.csr_matrix:
        """Weighted, normalized rows of ``docs`` in this index's space (not added to it)."""
        self._check_fitted()
        entities = [self._entities_of(d) for d in docs]
        counts = self._counts(docs, entities)
        if self.max_terms is not None:
            counts = _prune_rows(counts, self.idf_(), self.max_terms, self.n_features)
        return self._weigh(counts)

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
        return self.query_many(
            [article_or_text],
            k,
            within_days=within_days,
            sections=sections,
            same_section=same_section,
            min_score=min_score,
            exclude_ids=exclude_ids,
            explain=explain,
            max_duplicates=max_duplicates,
        )[0]

    def query_many(
        self,
        docs: Sequence[Article | str],
        k: int = 5,
        *,
        within_days: float | None = None,
        sections: Collection[str] | None = None,
        same_section: bool = False,
        min_score: float = 0.0,
        exclude_ids: Collection[str] = (),
        explain: bool = True,
        max_duplicates: int = 10,
    ) -> list[RelatedResults]:
        """:meth:`query` for many articles at once (one chunked product; same options)."""
        self._check_fitted()
        docs = list(docs)
        vectors = self.transform(docs)
        excluded = [p for p in (self.position(i) for i in exclude_ids) if p is not None]
        exclude_rows = []
        for doc in docs:
            rows = set(excluded)
            own = self.position(doc.id) if isinstance(doc, Article) else None
            if own is not None:
                rows.add(own)
            exclude_rows.append(rows)
        flt = CandidateFilter(within_days, sections, same_section, exclude_rows)
        top = topk_blocks(
            vectors,
            self.matrix_,
            k + max_duplicates,
            chunk_size=self.chunk_size,
            min_score=min_score if min_score > 0 else None,
            mask=self._mask(flt, docs),
            index_t=self._inverted(),
        )
        return [
            self._results(
                doc, vectors[i], top.indices[i], top.scores[i], k, max_duplicates, explain
            )
            for i, doc in enumerate(docs)
        ]

    def _mask(self, flt: CandidateFilter, docs: Sequence[Article | str]) -> MaskFn | None:
        if not flt.active:
            return None
        query_days = published_days([d.published if isinstance(d, Article) else None for d in docs])
        query_sections = [d.section if isinstance(d, Article) else None for d in docs]
        return flt.mask(self._days(), self.sections_, query_days, query_sections)

    def _days(self) -> np.ndarray:
        if self._days_cache is None:
            self._days_cache = published_days(self.published_)
        return self._days_cache

    def _results(
        self,
        doc: Article | str,
        vector: sp.csr_matrix,
        rows: np.ndarray,
        scores: np.ndarray,
        k: int,
        max_duplicates: int,
        explain: bool,
    ) -> RelatedResults:
        results: list[RelatedResult] = []
        duplicates: list[RelatedResult] = []
        query_text = _query_text(doc, self.vectorizer) if explain else ""
        query_entities = self._entities_of(doc) if explain else []
        for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
            if row < 0:
                break
            is_duplicate = score >= self.duplicate_threshold
            target = duplicates if is_duplicate else results
            if len(target) >= (max_duplicates if is_duplicate else k):
                continue
            terms: list[str] = []
            ents: list[str] = []
            if explain:
                terms = shared_terms(
                    query_text, vector, self.matrix_[row], self.counts_[row], self.vectorizer
                )
                ents = shared_entities(query_entities, self.entities_[row])
            target.append(
                RelatedResult(
                    id=self.ids_[row],
                    score=float(score),
                    title=self.titles_[row],
                    shared_terms=terms,
                    shared_entities=ents,
                    section=self.sections_[row],
                    published=self.published_[row],
                    rank=len(target) + 1,
                )
            )
        query_id = doc.id if isinstance(doc, Article) else None
        return RelatedResults(query_id, results, duplicates)

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
        """
        rows = rows or slice(0, len(self))
        start = rows.start or 0
        block = self.matrix_[rows]
        flt = CandidateFilter(within_days, None, same_section)
        days = self._days()
        base = None
        if flt.active:
            base = flt.mask(days, self.sections_, days[rows], self.sections_[rows])
        threshold = self.duplicate_threshold if exclude_duplicates else None

        def mask(lo: int, hi: int, scores: np.ndarray) -> None:
            if threshold is not None:
                scores[scores >= threshold] = -np.inf
            if base is not None:
                base(lo, hi, scores)

        return topk_blocks(
            block,
            self.matrix_,
            k,
            chunk_size=self.chunk_size,
            exclude_self=True,
            self_offset=start,
            min_score=min_score,
            mask=mask,
            index_t=self._inverted(),
        )

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


def _query_text(doc: Article | str, vectorizer: ArticleVectorizer) -> str:
    """The text whose words can explain a match: the fields that carry weight."""
    fields = article_fields(doc, vectorizer.head_chars, vectorizer.max_chars)
    weights = vectorizer.weights()
    return "\n".join(text for name, text in fields.items() if text and weights[name] > 0)


def _l2_rows(matrix: sp.csr_matrix) -> sp.csr_matrix:
    """Rows scaled to unit L2 norm (all-zero rows stay zero)."""
    matrix = sp.csr_matrix(matrix, dtype=np.float32)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    scale = np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)
    return sp.csr_matrix(sp.diags(scale.astype(np.float32)) @ matrix, dtype=np.float32)


def _prune_rows(
    counts: sp.csr_matrix, idf: np.ndarray, max_terms: int, n_text: int
) -> sp.csr_matrix:
    """Keep each row's ``max_terms`` highest-TF-IDF text columns (entity columns all stay)."""
    counts = sp.csr_matrix(counts, dtype=np.float32, copy=True)
    counts.sort_indices()
    for i in range(counts.shape[0]):
        lo, hi = counts.indptr[i], counts.indptr[i + 1]
        cols = counts.indices[lo:hi]
        n_text_cols = int(np.searchsorted(cols, n_text))
        if n_text_cols <= max_terms:
            continue
        weights = counts.data[lo : lo + n_text_cols] * idf[cols[:n_text_cols]]
        # Stable tie-break on the column number so the choice is reproducible.
        order = np.lexsort((cols[:n_text_cols], -weights))
        drop = order[max_terms:]
        counts.data[lo + drop] = 0.0
    counts.eliminate_zeros()
    return counts
