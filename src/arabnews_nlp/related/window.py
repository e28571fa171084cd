"""All-pairs top-k bounded by a publication-date window: each query meets only the articles
published within ``within_days`` of it.

The dated rows are cut into blocks of consecutive dates (their postings built once); queries
are taken in date order, ``chunk_size`` at a time, and scored only against the blocks their
window overlaps, so the work grows with ``n x articles per window`` instead of ``n x n``. Each
block keeps its rows in index order and the block answers are merged by score then index, so
scores and tie-breaking are those of the unbounded search with the window as a filter.

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 0], [0.8, 0.6], [0.9, 0.1]], dtype=np.float32))
    >>> days = np.array([0.0, 1.0, 30.0])
    >>> windowed_topk(X, days, k=1, within_days=7).indices.tolist()  # row 2 has nobody in a week
    [[1], [0], [-1]]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.related.topk import TopK, merge_topk, topk_blocks

__all__ = ["windowed_topk"]


#: Rows of a date block: each block's postings are built once, and a chunk of queries is
#: scored against the blocks its window overlaps.
BLOCK_ROWS = 2048


def windowed_topk(
    matrix: sp.csr_matrix,
    days: np.ndarray,
    k: int,
    within_days: float,
    *,
    rows: slice | None = None,
    chunk_size: int = 256,
    min_score: float | None = None,
    exclude_above: float | None = None,
) -> TopK:
    """Top-``k`` of the index rows in ``rows`` against the index rows published within
    ``within_days`` of each (never itself; undated rows neither ask nor answer).

    Args:
        matrix: The weighted, normalized index rows.
        days: Publication day of every row (NaN when unknown).
        k: Neighbours per row.
        within_days: The window, in days either side.
        rows: Query rows (default: all).
        chunk_size: Queries scored at once.
        min_score: Drop candidates scoring below this.
        exclude_above: Drop candidates scoring at or above this (near-duplicates).
    """
    n = matrix.shape[0]
    start, stop, _ = (rows or slice(0, n)).indices(n)
    indices = np.full((stop - start, k), -1, dtype=np.int64)
    scores = np.full((stop - start, k), -np.inf, dtype=np.float32)
    dated = np.flatnonzero(np.isfinite(days))
    by_date = dated[np.argsort(days[dated], kind="stable")]
    # Blocks of BLOCK_ROWS consecutive dates: each built when a window first reaches it and
    # let go once the windows have passed it (queries come in date order), so only the
    # blocks of about one window are held at a time.
    cuts = np.arange(0, len(by_date), BLOCK_ROWS)
    firsts = days[by_date[cuts]]
    lasts = days[by_date[np.minimum(cuts + BLOCK_ROWS, len(by_date)) - 1]]
    built: dict[int, _Block] = {}
    queries = by_date[(by_date >= start) & (by_date < stop)]
    for lo in range(0, len(queries), chunk_size):
        chunk = np.sort(queries[lo : lo + chunk_size])
        first, last = days[chunk].min() - within_days, days[chunk].max() + within_days
        # Blocks are in date order: those overlapping [first, last] are a run of them.
        near = range(np.searchsorted(lasts, first), np.searchsorted(firsts, last, "right"))
        for gone in [b for b in built if b < near.start]:
            del built[gone]
        for b in near:
            if b not in built:
                built[b] = _Block(matrix, days, by_date[cuts[b] : cuts[b] + BLOCK_ROWS])
        asked, asked_days = matrix[chunk], days[chunk]
        parts = [
            built[b].topk(asked, chunk, asked_days, k, within_days, min_score, exclude_above)
            for b in near
        ]
        found = merge_topk(parts, k)
        indices[chunk - start], scores[chunk - start] = found.indices, found.scores
    return TopK(indices, scores)


class _Block:
    """Rows of consecutive dates, in index order (so ties break as in the unbounded search),
    with their postings."""

    def __init__(self, matrix: sp.csr_matrix, days: np.ndarray, rows: np.ndarray) -> None:
        self.rows = np.sort(rows)
        self.days = days[self.rows]
        self.first, self.last = float(self.days.min()), float(self.days.max())
        self.matrix = sp.csr_matrix(matrix[self.rows])
        self.postings = self.matrix.T.tocsr()

    def topk(
        self,
        queries: sp.csr_matrix,
        query_rows: np.ndarray,
        query_days: np.ndarray,
        k: int,
        within_days: float,
        min_score: float | None,
        exclude_above: float | None,
    ) -> TopK:
        def mask(part: slice, _cols: slice, block_scores: np.ndarray) -> None:
            asked = query_rows[part]
            at = np.minimum(np.searchsorted(self.rows, asked), len(self.rows) - 1)
            own = np.flatnonzero(self.rows[at] == asked)  # queries that are rows of the block
            block_scores[own, at[own]] = -np.inf
            near = query_days[part]
            # A block wholly within every query's window needs no date test (most of them:
            # a window spans many blocks, a chunk of queries in date order a day or so).
            if self.last - near.min() > within_days or near.max() - self.first > within_days:
                gap = np.abs(near[:, None] - self.days[None, :])
                block_scores[~(gap <= within_days)] = -np.inf
            if exclude_above is not None:
                block_scores[block_scores >= exclude_above] = -np.inf

        found = topk_blocks(
            queries,
            self.matrix,
            k,
            chunk_size=queries.shape[0],
            min_score=min_score,
            mask=mask,
            index_t=self.postings,
        )
        return TopK(
            np.where(found.indices >= 0, self.rows[np.maximum(found.indices, 0)], -1), found.scores
        )
