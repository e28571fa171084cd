"""Exact top-k cosine neighbours between sparse row blocks, in bounded memory.

The scores of a chunk of query rows against the whole index are one sparse product, written
into a dense buffer that is reused for every chunk; ``np.argpartition`` picks the k best of
each row in linear time. Peak memory is ``chunk_size * n_index`` floats plus the inputs, so an
all-pairs run over a large corpus never materializes the n x n similarity matrix.

The functions work on any pair of row blocks (``queries``, ``index``) that share a column
space, so a distributed engine can run them block by block and combine the partial answers
with :func:`merge_topk`.

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> X = sp.csr_matrix(np.array([[1, 0], [0.8, 0.6], [0, 1]], dtype=np.float32))
    >>> top = topk_blocks(X, X, k=1, exclude_self=True)
    >>> top.indices.tolist(), np.round(top.scores.astype(float), 2).tolist()
    ([[1], [0], [1]], [[0.8], [0.8], [0.6]])
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

try:  # private to scipy (stable for years): see _DenseProduct; the public product is the fallback
    from scipy.sparse import _sparsetools as _kernels
except ImportError:  # pragma: no cover
    _kernels = None

__all__ = ["MaskFn", "TopK", "merge_topk", "select_topk", "topk_blocks"]

#: ``mask(rows, cols, scores)``: ``scores`` is the block of query ``rows`` (a slice) against
#: index ``cols`` (a slice); set excluded candidates to ``-inf`` in place.
MaskFn = Callable[[slice, slice, np.ndarray], None]


@dataclass(frozen=True)
class TopK:
    """The k best index rows of each query row, best first.

    Attributes:
        indices: ``(n_queries, k)`` int64 row numbers in the index; -1 where fewer than k
            candidates passed the masks.
        scores: ``(n_queries, k)`` float32 scores; ``-inf`` where ``indices`` is -1.
    """

    indices: np.ndarray
    scores: np.ndarray

    def __len__(self) -> int:
        return int(self.indices.shape[0])

    def offset(self, start: int) -> TopK:
        """The same answer with index row numbers shifted by ``start`` (for block merging)."""
        indices = np.where(self.indices >= 0, self.indices + start, -1)
        return TopK(indices, self.scores)


def select_topk(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row-wise top ``k`` of a dense score matrix, sorted best first.

    Ties go to the lower index, also at the k-th place: the answer is a function of the
    scores alone, so top-k lists of blocks merged with :func:`merge_topk` equal the top-k of
    the whole row.

    >>> idx, val = select_topk(np.array([[0.25, 0.75, 0.5, 0.5]], dtype=np.float32), 2)
    >>> idx.tolist(), val.tolist()
    ([[1, 2]], [[0.75, 0.5]])
    """
    n_rows, n_cols = scores.shape
    kk = min(k, n_cols)
    if kk == 0:
        empty = np.empty((n_rows, k), dtype=np.int64)
        empty.fill(-1)
        return empty, np.full((n_rows, k), -np.inf, dtype=np.float32)
    if kk < n_cols:
        # Partition on the scores themselves (not their negation: no copy of the block).
        part = np.argpartition(scores, n_cols - kk, axis=1)[:, n_cols - kk :]
        _lowest_index_ties(scores, part)
    else:
        part = np.broadcast_to(np.arange(n_cols), (n_rows, n_cols))
    vals = np.take_along_axis(scores, part, axis=1)
    # Sort the k survivors by score, then by index, so equal scores come out in a stable order.
    order = np.lexsort((part, -vals), axis=1)
    idx = np.take_along_axis(part, order, axis=1).astype(np.int64)
    vals = np.take_along_axis(vals, order, axis=1).astype(np.float32)
    idx[~np.isfinite(vals)] = -1
    if kk < k:
        pad = k - kk
        idx = np.pad(idx, ((0, 0), (0, pad)), constant_values=-1)
        vals = np.pad(vals, ((0, 0), (0, pad)), constant_values=-np.inf)
    return idx, vals


def _lowest_index_ties(scores: np.ndarray, part: np.ndarray) -> None:
    """Where candidates tie with the k-th score, keep the lowest indices among them (in place).

    ``argpartition`` keeps an arbitrary subset of the tied candidates; exact ties are rare
    (republished texts), so the rows are found in one pass and fixed one by one.
    """
    picked = np.take_along_axis(scores, part, axis=1)
    kth = picked.min(axis=1)
    finite = np.isfinite(kth)
    ties = (scores == kth[:, None]).sum(axis=1)
    kept = (picked == kth[:, None]).sum(axis=1)
    for row in np.flatnonzero(finite & (ties > kept)):
        above = np.flatnonzero(scores[row] > kth[row])
        tied = np.flatnonzero(scores[row] == kth[row])[: part.shape[1] - len(above)]
        part[row] = np.concatenate([above, tied])


def topk_blocks(
    queries: sp.spmatrix,
    index: sp.spmatrix,
    k: int,
    *,
    chunk_size: int = 256,
    exclude_self: bool = False,
    self_offset: int = 0,
    min_score: float | None = None,
    mask: MaskFn | None = None,
    index_t: sp.csr_matrix | None = None,
) -> TopK:
    """Exact top-``k`` of ``queries @ index.T`` per query row, chunk by chunk.

    Rows are expected to be L2-normalized so the scores are cosines, but any weights work.
    Results are sorted by score, then by index row; which of several candidates tied at the
    k-th place is kept is not specified.

    Args:
        queries: ``(n_queries, n_features)`` sparse matrix.
        index: ``(n_index, n_features)`` sparse matrix.
        k: Neighbours per query.
        chunk_size: Query rows scored at once; the buffer holds ``chunk_size * n_index``
            float32 values (256 x 100k articles = 100 MB).
        exclude_self: Query row ``i`` is index row ``self_offset + i`` (all-pairs within one
            corpus or a block of it): never return it.
        self_offset: Index row of query row 0 when ``exclude_self``.
        min_score: Drop candidates scoring below this (they come back as -1 / -inf).
            Candidates scoring 0 or less (nothing in common) are never returned.
        mask: Optional ``mask(rows, cols, scores)`` callback to exclude more candidates
            (date windows, sections, duplicates...).
        index_t: ``index.T`` in CSR form, if the caller keeps one (saves the transpose).

    Returns:
        A :class:`TopK`.
    """
    q = sp.csr_matrix(queries, dtype=np.float32)
    # CSC of the index = CSR of its transpose: the product walks each query feature's postings.
    if index_t is None:
        index_t = sp.csr_matrix(index).T.tocsr()
    index_t = sp.csr_matrix(index_t, dtype=np.float32)
    n_q, n_i = q.shape[0], index_t.shape[1]
    if q.shape[1] != index_t.shape[0]:
        raise ValueError(f"queries have {q.shape[1]} features, index has {index_t.shape[0]}")
    chunk_size = max(1, int(chunk_size))
    indices = np.full((n_q, k), -1, dtype=np.int64)
    scores = np.full((n_q, k), -np.inf, dtype=np.float32)
    buffer = np.empty((min(chunk_size, max(n_q, 1)), n_i), dtype=np.float32)
    product = _DenseProduct(index_t, len(buffer))
    for start in range(0, n_q, chunk_size):
        stop = min(start + chunk_size, n_q)
        block = buffer[: stop - start]
        product(q[start:stop], block)
        if exclude_self:
            rows = np.arange(stop - start)
            cols = rows + start + self_offset
            keep = (cols >= 0) & (cols < n_i)
            block[rows[keep], cols[keep]] = -np.inf
        if mask is not None:
            mask(slice(start, stop), slice(0, n_i), block)
        found, best = select_topk(block, k)
        # A score cut commutes with taking the top k: apply it to the k survivors only.
        weak = best < min_score if min_score is not None and min_score > 0 else best <= 0
        found[weak], best[weak] = -1, -np.inf
        indices[start:stop], scores[start:stop] = found, best
    return TopK(indices, scores)


class _DenseProduct:
    """``out[:] = q_block @ index_t`` for dense ``out``, with scipy's own CSR kernels.

    ``A @ B`` first runs a pass that only counts the product's nonzeros, to size its arrays;
    the scores of a chunk against a whole index are nearly dense, so here the arrays are sized
    once for a dense block of rows and that pass is skipped (a third of the time). The kernels
    are scipy's private ``_sparsetools``; where a scipy version lacks them, ``A @ B`` is used.
    The scores are the same bit for bit.
    """

    #: Product entries buffered at once (two arrays of this length: 8 bytes each).
    LIMIT = 1 << 24

    def __init__(self, index_t: sp.csr_matrix, max_rows: int) -> None:
        n_i = index_t.shape[1]
        self.n_i = n_i
        self.rows = max(1, min(max_rows, self.LIMIT // max(n_i, 1)))  # query rows per call
        bound = self.rows * n_i
        big = max(index_t.nnz, bound, index_t.shape[0]) > np.iinfo(np.int32).max
        self.idx = np.int64 if big else np.int32
        self.index_t = index_t
        self.b = (
            index_t.indptr.astype(self.idx, copy=False),
            index_t.indices.astype(self.idx, copy=False),
        )
        self.cp = np.empty(self.rows + 1, dtype=self.idx)
        self.cj = np.empty(bound, dtype=self.idx)
        self.cx = np.empty(bound, dtype=np.float32)

    def __call__(self, q_block: sp.csr_matrix, out: np.ndarray) -> None:
        out.fill(0.0)
        if _kernels is None:
            # scipy adds the sparse product into the given buffer: no dense allocation.
            sp.csr_matrix(q_block @ self.index_t, dtype=np.float32).toarray(out=out)
            return
        for lo in range(0, q_block.shape[0], self.rows):
            part = q_block[lo : lo + self.rows]
            n = part.shape[0]
            _kernels.csr_matmat(
                n, self.n_i, part.indptr.astype(self.idx), part.indices.astype(self.idx),
                part.data.astype(np.float32, copy=False), *self.b, self.index_t.data,
                self.cp, self.cj, self.cx,
            )  # fmt: skip
            _kernels.csr_todense(n, self.n_i, self.cp[: n + 1], self.cj, self.cx, out[lo : lo + n])


def merge_topk(parts: list[TopK], k: int) -> TopK:
    """Combine answers of the same queries against different index blocks into one top-``k``.

    Each part's indices must already be global row numbers (see :meth:`TopK.offset`).

    >>> a = TopK(np.array([[0, 1]]), np.array([[0.9, 0.2]], dtype=np.float32))
    >>> b = TopK(np.array([[5, 6]]), np.array([[0.5, 0.1]], dtype=np.float32))
    >>> merge_topk([a, b], 2).indices.tolist()
    [[0, 5]]
    """
    if not parts:
        raise ValueError("nothing to merge")
    scores = np.concatenate([p.scores for p in parts], axis=1)
    indices = np.concatenate([p.indices for p in parts], axis=1)
    # Best score first, then the lower index (as topk_blocks); empty slots (-1) last.
    tie = np.where(indices < 0, np.iinfo(np.int64).max, indices)
    order = np.lexsort((tie, -scores), axis=1)[:, :k]
    merged = np.take_along_axis(indices, order, axis=1)
    vals = np.take_along_axis(scores, order, axis=1).astype(np.float32)
    merged[~np.isfinite(vals)] = -1
    if merged.shape[1] < k:
        pad = k - merged.shape[1]
        merged = np.pad(merged, ((0, 0), (0, pad)), constant_values=-1)
        vals = np.pad(vals, ((0, 0), (0, pad)), constant_values=-np.inf)
    return TopK(merged, vals)
