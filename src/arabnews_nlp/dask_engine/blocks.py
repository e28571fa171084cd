"""The related-articles index cut into row blocks, built on the workers, equal to the local one.

:meth:`RelatedIndex.fit <arabnews_nlp.related.RelatedIndex.fit>` adds articles in batches of
``batch_size`` rows: a batch's n-gram counts are pruned to ``max_terms`` columns with the
statistics of everything indexed so far, and the final rows are weighted with the IDF of the
whole corpus. Here every batch is one block, built by its own task:

1. :func:`raw_block`: the batch's n-gram and entity counts (the index's own vectorizer) and
   its document-frequency vector;
2. :func:`block_stats`: a chain of vector additions gives each block the document frequencies
   of all rows up to it — corpus statistics are sums of per-block counts, no shared state;
3. :meth:`ShardIndex.from_raw`: prune the block as ``fit`` would have, keep the corpus-wide
   statistics, and weigh with them.

A row of block ``j`` is then row ``j * batch_size + i`` of ``RelatedIndex.fit`` on the same
articles in the same order, bit for bit, and any score between two blocks is the score the
single-machine index computes.

:class:`ShardIndex` is a :class:`~arabnews_nlp.related.RelatedIndex` holding some rows of a
corpus with the statistics of all of it, so the related module's own vectorizing, pruning,
weighting, top-k and search code runs on a block unchanged. What this module mirrors is
*when* ``RelatedIndex.add_counts`` prunes a batch (after adding its frequencies and ids);
``tests/test_dask_related.py`` compares the blocks with ``fit`` so a change cannot slip by.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import RelatedIndex
    >>> titles = ["قمة عربية في الرياض", "الرياض تستضيف القمة", "ارتفاع أسعار الذهب"]
    >>> docs = [Article(id=str(i), title=t) for i, t in enumerate(titles)]
    >>> params = {"n_features": 2**12, "entity_features": 2**4}
    >>> shards = shards_like_fit(docs, params, batch_size=2)
    >>> [(s.start, len(s)) for s in shards]
    [(0, 2), (2, 1)]
    >>> fitted = RelatedIndex(**params).fit([]).add(docs, batch_size=2)
    >>> (ShardIndex.concat(shards).matrix_ != fitted.matrix_).nnz
    0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.related import RelatedIndex
from arabnews_nlp.related.index import fit_batch_size
from arabnews_nlp.related.weighting import prune_rows

__all__ = [
    "RawBlock",
    "ShardIndex",
    "block_stats",
    "fit_batch_size",
    "raw_block",
    "shards_like_fit",
]


@dataclass(frozen=True)
class RawBlock:
    """One batch of articles, vectorized but neither pruned nor weighted.

    Attributes:
        articles: The articles as indexed (entities in ``meta["entities"]``).
        entities: Entity names of each article, as the index reads them.
        entity_keys: Per article, normalized key -> canonical name of each unique entity
            (what related links report as shared entities).
        counts: Raw field-weighted counts, text columns then entity columns (CSR float32).
        df: Document frequency of every column within the block.
    """

    articles: list[Article]
    entities: list[list[str]]
    entity_keys: list[dict[str, str]]
    counts: sp.csr_matrix
    df: np.ndarray

    def __len__(self) -> int:
        return len(self.articles)


#: The per-row lists a shard holds besides its matrices (``RelatedIndex``'s and the links').
_ROW_LISTS = ("ids_", "titles_", "sections_", "published_", "entities_", "entity_keys_")


class ShardIndex(RelatedIndex):
    """Rows ``start : start + len(self)`` of a corpus-wide related index.

    Everything :class:`RelatedIndex` computes from ``df_`` and the article count uses the
    statistics of the whole corpus (``df_``, ``n_docs``), not of the rows held, so
    ``matrix_`` rows and the scores between them are those of the single-machine index.
    ``entity_keys_`` holds each row's entities by normalized key, for the links, and
    ``rows_`` each row's global row number.

    Args:
        params: The :class:`RelatedIndex` parameters (``get_params()`` form).
        start: Global row number of the first row held.
        n_docs: Articles in the corpus the statistics describe.
    """

    def __init__(self, params: dict[str, Any], start: int = 0, n_docs: int = 0) -> None:
        kwargs = dict(params)
        if "ngram_range" in kwargs:
            kwargs["ngram_range"] = tuple(kwargs["ngram_range"])
        super().__init__(**kwargs)
        self.start = start
        self.n_docs = n_docs

    def idf_(self) -> np.ndarray:
        """Smoothed IDF from the corpus statistics ``df_`` and ``n_docs``."""
        return (np.log((1.0 + self.n_docs) / (1.0 + self.df_)) + 1.0).astype(np.float32)

    def _set_rows(self, raw: RawBlock, counts: sp.csr_matrix) -> ShardIndex:
        self.ids_ = [a.id for a in raw.articles]
        self.titles_ = [a.title for a in raw.articles]
        self.sections_ = [a.section for a in raw.articles]
        self.published_ = [a.published for a in raw.articles]
        self.entities_ = raw.entities
        self.entity_keys_ = raw.entity_keys
        self.rows_ = np.arange(self.start, self.start + len(raw), dtype=np.int64)
        self.counts_ = counts
        self._invalidate()
        return self

    def _like(self) -> ShardIndex:
        """An empty shard with the same parameters and statistics."""
        out = type(self)(self.get_params(), self.start, self.n_docs)
        out.df_ = self.df_
        return out

    def _with(self, counts: sp.csr_matrix, matrix: sp.csr_matrix) -> ShardIndex:
        self.counts_ = sp.csr_matrix(counts)
        self._invalidate()
        self._matrix = sp.csr_matrix(matrix)  # already weighted: not redone
        return self

    @classmethod
    def from_raw(
        cls,
        raw: RawBlock,
        start: int,
        df_through: np.ndarray,
        df_total: np.ndarray,
        params: dict[str, Any],
        n_total: int,
    ) -> ShardIndex:
        """Prune a raw block as ``RelatedIndex.fit`` does and give it the corpus statistics.

        Args:
            raw: The block.
            start: Its first global row (= articles indexed before it).
            df_through: Document frequencies of rows ``0 .. start + len(raw)``.
            df_total: Document frequencies of the whole corpus.
            params: The index parameters.
            n_total: Articles in the whole corpus.
        """
        # fit() prunes a batch once the batch's frequencies and ids are added: the
        # statistics of that moment.
        shard = cls(params, start, n_docs=start + len(raw))
        counts = raw.counts
        if shard.max_terms is not None:
            shard.df_ = df_through
            counts = prune_rows(counts, shard.idf_(), shard.max_terms, shard.n_features)
        shard.df_ = df_total
        shard.n_docs = n_total
        return shard._set_rows(raw, counts)

    @classmethod
    def concat(cls, shards: Sequence[ShardIndex]) -> ShardIndex:
        """Shards in ascending row order as one (the statistics of the first, which all share)."""
        out = shards[0]._like()
        for name in _ROW_LISTS:
            setattr(out, name, [x for s in shards for x in getattr(s, name)])
        out.rows_ = np.concatenate([s.rows_ for s in shards])
        return out._with(
            sp.vstack([s.counts_ for s in shards], format="csr"),
            sp.vstack([s.matrix_ for s in shards], format="csr"),
        )

    def take(self, rows: np.ndarray) -> ShardIndex:
        """The held rows among global row numbers ``rows``, in row order, each once."""
        wanted = np.intersect1d(rows, self.rows_)
        local = np.searchsorted(self.rows_, wanted)
        out = self._like()
        for name in _ROW_LISTS:
            values = getattr(self, name)
            setattr(out, name, [values[i] for i in local])
        out.rows_ = wanted
        return out._with(self.counts_[local], self.matrix_[local])

    def __getstate__(self) -> dict[str, Any]:
        # Ship the weighted rows (costly to redo in every task) but not the postings, which
        # only the task that queries against this shard needs.
        self.matrix_  # noqa: B018 - computes and caches the weighted rows
        state = dict(self.__dict__)
        state["_matrix_t"] = None
        state["_positions"] = None
        return state


def _indexed(analyses_or_articles: Sequence[Any]) -> list[Article]:
    # The article as link_related indexes it: stage-1 entity names in meta["entities"].
    from arabnews_nlp.pipeline.linking import _indexed as indexed_article

    return [a if isinstance(a, Article) else indexed_article(a) for a in analyses_or_articles]


def _entity_keys(item: Any) -> dict[str, str]:
    if isinstance(item, Article):
        return {}
    return {s.key: s.canonical for s in item.summaries()}


def raw_block(items: Sequence[Any], params: dict[str, Any]) -> RawBlock:
    """Vectorize one batch with the index's own code (needs no corpus statistics).

    ``items`` are :class:`~arabnews_nlp.pipeline.ArticleAnalysis` results (indexed with their
    entities, as the local engine's ``link_related`` does) or plain articles.
    """
    index = ShardIndex(params)
    articles = _indexed(items)
    entities = [index.entities_of(a) for a in articles]
    counts = index.vectorize(articles)
    df = np.bincount(counts.indices, minlength=index.n_columns).astype(np.int64)
    return RawBlock(articles, entities, [_entity_keys(x) for x in items], counts, df)


def block_stats(df_before: np.ndarray | None, raw: RawBlock) -> np.ndarray:
    """Document frequencies of every row up to and including ``raw`` (one link of the chain)."""
    return raw.df.copy() if df_before is None else df_before + raw.df


def shards_like_fit(
    items: Sequence[Any], params: dict[str, Any], batch_size: int | None = None
) -> list[ShardIndex]:
    """All shards in this process: the steps the Dask engine runs as separate tasks."""
    size = batch_size or fit_batch_size()
    raws = [raw_block(items[i : i + size], params) for i in range(0, len(items), size)]
    through: list[np.ndarray] = []
    for raw in raws:
        through.append(block_stats(through[-1] if through else None, raw))
    return [
        ShardIndex.from_raw(raw, j * size, d, through[-1], params, len(items))
        for j, (raw, d) in enumerate(zip(raws, through, strict=True))
    ]
