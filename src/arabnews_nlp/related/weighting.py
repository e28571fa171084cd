"""TF-IDF weighting of stored counts: IDF, per-part L2 normalization, entity blending, pruning.

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> counts = sp.csr_matrix(np.array([[1, 1, 0, 1], [0, 2, 1, 0]], dtype=np.float32))
    >>> idf = np.ones(4, dtype=np.float32)
    >>> W = weigh_rows(counts, idf, n_text=3, entity_weight=0.5)
    >>> # 0.5 * text cosine + 0.5 * entity cosine; row 2 has no entity column set
    >>> np.round((W @ W.T).toarray().astype(float), 3).tolist()
    [[1.0, 0.316], [0.316, 0.5]]
    >>> prune_rows(counts, idf, max_terms=1, n_text=3).toarray().tolist()
    [[1.0, 0.0, 0.0, 1.0], [0.0, 2.0, 0.0, 0.0]]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp

__all__ = ["prune_rows", "smoothed_idf", "weigh_rows"]


def smoothed_idf(df: np.ndarray, n_docs: int) -> np.ndarray:
    """``ln((1 + n) / (1 + df)) + 1`` of every column (scikit-learn's smoothed IDF), float32."""
    return (np.log((1.0 + n_docs) / (1.0 + df)) + 1.0).astype(np.float32)


#: Stored entries weighed at once: the weighting's temporaries take ~40 bytes an entry, so a
#: large index is weighed in row blocks of about this many entries (160 MB of temporaries).
WEIGH_ENTRIES = 1 << 22


def weigh_rows(
    counts: sp.spmatrix, idf: np.ndarray, n_text: int, entity_weight: float
) -> sp.csr_matrix:
    """IDF-weigh raw rows, L2-normalize the text and entity parts, blend them.

    Columns below ``n_text`` are text n-grams, the rest entities. Each part is scaled to norm
    ``sqrt(1 - w)`` and ``sqrt(w)`` (``w = entity_weight``): one dot product of two such
    rows is then ``(1 - w) * text cosine + w * entity cosine``. Rows are weighed in blocks of
    about ``WEIGH_ENTRIES`` stored entries (each row's weights depend only on it and the IDF,
    so the blocks change no bit), so the memory taken beyond the result stays bounded.
    """
    counts = sp.csr_matrix(counts, dtype=np.float32)
    data = np.empty(counts.nnz, dtype=np.float32)
    indptr = counts.indptr
    n_rows, lo = counts.shape[0], 0
    while lo < n_rows:
        hi = int(np.searchsorted(indptr, indptr[lo] + WEIGH_ENTRIES, side="right")) - 1
        hi = min(max(hi, lo + 1), n_rows)
        first, last = indptr[lo], indptr[hi]
        block = sp.csr_matrix(
            (counts.data[first:last], counts.indices[first:last], indptr[lo : hi + 1] - first),
            shape=(hi - lo, counts.shape[1]),
        )
        data[first:last] = _weighted_data(block, idf, n_text, entity_weight)
        lo = hi
    # Copies: eliminate_zeros() compacts the index arrays in place, and they are the caller's.
    out = sp.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)
    out.eliminate_zeros()
    return out


def _weighted_data(
    counts: sp.csr_matrix, idf: np.ndarray, n_text: int, entity_weight: float
) -> np.ndarray:
    """The weights of ``counts``'s stored entries (see :func:`weigh_rows`)."""
    data = counts.data * idf[counts.indices]
    is_entity = counts.indices >= n_text
    squares = data.astype(np.float64) ** 2
    w = float(entity_weight) if entity_weight > 0 else 0.0
    lengths = np.diff(counts.indptr)
    text_norm = _row_norms(counts, squares * ~is_entity)
    scale = np.repeat((_safe_inverse(text_norm) * np.sqrt(1.0 - w)).astype(np.float32), lengths)
    if is_entity.any():  # else one scale per row: no per-entry choice to make
        ent_norm = _row_norms(counts, squares * is_entity)
        ent_scale = (_safe_inverse(ent_norm) * np.sqrt(w)).astype(np.float32)
        scale = np.where(is_entity, np.repeat(ent_scale, lengths), scale)
    data *= scale
    return data


def _row_norms(counts: sp.csr_matrix, squares: np.ndarray) -> np.ndarray:
    """Square roots of the row sums of ``squares`` (float64, one per stored entry of
    ``counts``), summed in entry order as ``np.bincount`` sums them."""
    rows = sp.csr_matrix((squares, counts.indices, counts.indptr), shape=counts.shape)
    return np.sqrt(np.asarray(rows.sum(axis=1)).ravel())


def _safe_inverse(norms: np.ndarray) -> np.ndarray:
    """``1 / norms`` with 0 for empty rows."""
    return np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)


def prune_rows(counts: sp.spmatrix, idf: np.ndarray, max_terms: int, n_text: int) -> sp.csr_matrix:
    """Keep each row's ``max_terms`` highest-TF-IDF text columns (entity columns all stay).

    Ties are broken by the lower column number, so the choice is reproducible.
    """
    counts = sp.csr_matrix(counts, dtype=np.float32, copy=True)
    counts.sort_indices()
    lengths = np.diff(counts.indptr)
    is_text = counts.indices < n_text
    entity_rows = np.searchsorted(counts.indptr, np.flatnonzero(~is_text), side="right") - 1
    n_text_cols = lengths - np.bincount(entity_rows, minlength=counts.shape[0])
    is_over = n_text_cols > max_terms
    if is_over.any():
        weights = counts.data * idf[counts.indices]
        weights[~is_text] = -np.inf  # after every text column: never among a row's best
        dropped = _below_top(weights, lengths, max_terms)
        dropped &= is_text & np.repeat(is_over, lengths)
        counts.data[dropped] = 0.0
    counts.eliminate_zeros()
    return counts


#: Cells of the padded table :func:`_below_top` ranks at once (bounds its memory).
_TABLE_SIZE = 2**22


def _below_top(weights: np.ndarray, lengths: np.ndarray, k: int) -> np.ndarray:
    """Mask of the entries outside their row's ``k`` highest ``weights``, the earlier entries
    kept among equal ones (rows of ``lengths[i]`` consecutive entries).

    Rows are padded into a table, a group of rows at a time, and partitioned for each row's
    k-th highest weight (linear, where sorting every entry by row and weight is not); the
    entries above it are kept and, of those equal to it, the first ones up to ``k``.
    """
    dropped = np.zeros(len(weights), dtype=bool)
    if k <= 0:
        return ~dropped
    step = max(1, _TABLE_SIZE // max(1, int(lengths.max(initial=0))))
    ends = np.cumsum(lengths)
    for first in range(0, len(lengths), step):
        part = lengths[first : first + step]
        width = int(part.max())
        if width <= k:
            continue
        hi = int(ends[first + len(part) - 1])
        lo = hi - int(part.sum())
        filled = np.arange(width) < part[:, None]
        table = np.full(filled.shape, np.inf, dtype=weights.dtype)  # negated: best first
        table[filled] = -weights[lo:hi]
        kth = np.partition(table, k - 1, axis=1)[:, k - 1 : k]
        above = table < kth
        tie = table == kth
        room = k - above.sum(axis=1, keepdims=True)
        keep = above | (tie & (np.cumsum(tie, axis=1, dtype=np.int32) <= room))
        dropped[lo:hi] = ~keep[filled]
    return dropped
