"""The related-articles index cut into row blocks, built on the workers, equal to the local one.

:meth:`RelatedIndex.fit <arabnews_nlp.related.RelatedIndex.fit>` adds articles in batches of
``batch_size`` rows: a batch's n-gram counts are pruned to ``max_terms`` columns with the
statistics of everything indexed so far, and the final rows are weighted with the IDF of the
whole corpus. Here every batch is one block, built by its own task:

1. :func:`raw_block`: the batch's n-gram and entity counts (the index's own vectorizer) and
   its document-frequency vector;
2. :func:`block_stats`: a chain of vector additions gives each block the document frequencies
   of all rows up to it — corpus statistics are sums of per-block counts, no shared state;
3. :meth:`Shard.from_raw`: prune the block as ``fit`` would have, keep the corpus-wide
   statistics, and weigh with them.

A row of block ``j`` is then row ``j * batch_size + i`` of ``RelatedIndex.fit`` on the same
articles in the same order, bit for bit, and any score between two blocks is the score the
single-machine index computes.

:class:`Shard` holds a :class:`~arabnews_nlp.related.RelatedIndex` made with
:meth:`~arabnews_nlp.related.RelatedIndex.with_state` from some rows of a corpus and the
statistics of all of it (an :class:`~arabnews_nlp.related.IndexState` with ``n_docs``), so the
related module's own weighting, top-k and search code runs on a block unchanged. What this
module mirrors is *when* ``RelatedIndex.add_counts`` prunes a batch (after adding its
frequencies and ids); ``tests/test_dask_related.py`` compares the blocks with ``fit`` so a
change cannot slip by.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
    >>> titles = ["قمة عربية في الرياض", "الرياض تستضيف القمة", "ارتفاع أسعار الذهب"]
    >>> docs = [Article(id=str(i), title=t) for i, t in enumerate(titles)]
    >>> template = RelatedIndex(ArticleVectorizer(n_features=2**12), entity_features=2**4,
    ...                         batch_size=2)
    >>> shards = shards_like_fit(docs, template)
    >>> [(s.start, len(s)) for s in shards]
    [(0, 2), (2, 1)]
    >>> fitted = template.fit(docs)
    >>> (Shard.concat(shards).index.matrix_ != fitted.matrix_).nnz
    0
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.pipeline.linking import indexed_article
from arabnews_nlp.related import IndexState, RelatedIndex
from arabnews_nlp.related.weighting import prune_rows, smoothed_idf

__all__ = ["RawBlock", "Shard", "block_stats", "raw_block", "shards_like_fit"]


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


@dataclass(frozen=True)
class Shard:
    """Rows ``start : start + len(self)`` of a corpus-wide related index.

    Attributes:
        index: A fitted index of these rows whose statistics (``df_``, ``n_docs``) are the
            whole corpus's, so its ``matrix_`` rows and the scores between them are those of
            the single-machine index; weighted when the shard is made (shipped with it).
        start: Global row number of the first row held.
        rows: Global row number of each row held.
        entity_keys: Per row, normalized key -> canonical name of its entities (for links).
    """

    index: RelatedIndex
    start: int
    rows: np.ndarray
    entity_keys: list[dict[str, str]]

    def __len__(self) -> int:
        return len(self.rows)

    @classmethod
    def from_raw(
        cls,
        raw: RawBlock,
        start: int,
        df_through: np.ndarray,
        df_total: np.ndarray,
        template: RelatedIndex,
        n_total: int,
    ) -> Shard:
        """Prune a raw block as ``RelatedIndex.fit`` does and give it the corpus statistics.

        Args:
            raw: The block.
            start: Its first global row (= articles indexed before it).
            df_through: Document frequencies of rows ``0 .. start + len(raw)``.
            df_total: Document frequencies of the whole corpus.
            template: The (unfitted) index whose parameters to use.
            n_total: Articles in the whole corpus.
        """
        counts = raw.counts
        if template.max_terms is not None:
            # fit() prunes a batch once the batch's frequencies and ids are added: the
            # statistics of that moment.
            idf = smoothed_idf(df_through, start + len(raw))
            counts = prune_rows(counts, idf, template.max_terms, template.vectorizer_.n_features)
        state = IndexState.from_counts(
            raw.articles, counts, raw.entities, df=df_total, n_docs=n_total
        )
        index = template.with_state(state)
        index.matrix_  # noqa: B018 - weigh once here, not in every task that reads the shard
        rows = np.arange(start, start + len(raw), dtype=np.int64)
        return cls(index, start, rows, raw.entity_keys)

    @classmethod
    def concat(cls, shards: Sequence[Shard]) -> Shard:
        """Shards in ascending row order as one (the statistics of the first, which all share)."""
        state = IndexState.concat([s.index.state_ for s in shards])
        matrix = sp.csr_matrix(sp.vstack([s.index.matrix_ for s in shards], format="csr"))
        return cls(
            shards[0].index.with_state(state, matrix),
            shards[0].start,
            np.concatenate([s.rows for s in shards]),
            [keys for s in shards for keys in s.entity_keys],
        )

    def take(self, rows: np.ndarray) -> Shard:
        """The held rows among global row numbers ``rows``, in row order, each once."""
        wanted = np.intersect1d(rows, self.rows)
        local = np.searchsorted(self.rows, wanted)
        state = self.index.state_.take(local)
        index = self.index.with_state(state, self.index.matrix_[local])
        return Shard(index, self.start, wanted, [self.entity_keys[i] for i in local])


def _indexed(analyses_or_articles: Sequence[Any]) -> list[Article]:
    # The article as link_related indexes it: stage-1 entity names in meta["entities"].
    return [a if isinstance(a, Article) else indexed_article(a) for a in analyses_or_articles]


def _entity_keys(item: Any) -> dict[str, str]:
    if isinstance(item, Article):
        return {}
    return {s.key: s.canonical for s in item.summaries()}


def raw_block(items: Sequence[Any], template: RelatedIndex) -> RawBlock:
    """Vectorize one batch with the index's own code (needs no corpus statistics).

    ``items`` are :class:`~arabnews_nlp.pipeline.ArticleAnalysis` results (indexed with their
    entities, as the local engine's ``link_related`` does) or plain articles.
    """
    articles = _indexed(items)
    entities = [template.entities_of(a) for a in articles]
    counts = template.vectorize(articles)
    df = np.bincount(counts.indices, minlength=template.n_columns).astype(np.int64)
    return RawBlock(articles, entities, [_entity_keys(x) for x in items], counts, df)


def block_stats(df_before: np.ndarray | None, raw: RawBlock) -> np.ndarray:
    """Document frequencies of every row up to and including ``raw`` (one link of the chain)."""
    return raw.df.copy() if df_before is None else df_before + raw.df


def shards_like_fit(items: Sequence[Any], template: RelatedIndex) -> list[Shard]:
    """All shards in this process (``template.batch_size`` rows each): the steps the Dask
    engine runs as separate tasks."""
    size = template.batch_size
    raws = [raw_block(items[i : i + size], template) for i in range(0, len(items), size)]
    through: list[np.ndarray] = []
    for raw in raws:
        through.append(block_stats(through[-1] if through else None, raw))
    return [
        Shard.from_raw(raw, j * size, d, through[-1], template, len(items))
        for j, (raw, d) in enumerate(zip(raws, through, strict=True))
    ]
