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


def weigh_rows(
    counts: sp.spmatrix, idf: np.ndarray, n_text: int, entity_weight: float
) -> sp.csr_matrix:
    """IDF-weigh raw rows, L2-normalize the text and entity parts, blend them.

    Columns below ``n_text`` are text n-grams, the rest entities. Each part is scaled to norm
    ``sqrt(1 - w)`` and ``sqrt(w)`` (``w = entity_weight``): one dot product of two such
    rows is then ``(1 - w) * text cosine + w * entity cosine``.
    """
    counts = sp.csr_matrix(counts, dtype=np.float32)
    n_rows = counts.shape[0]
    rows = np.repeat(np.arange(n_rows), np.diff(counts.indptr))
    data = counts.data * idf[counts.indices]
    is_entity = counts.indices >= n_text
    squares = data.astype(np.float64) ** 2
    w = float(entity_weight) if entity_weight > 0 else 0.0
    text_norm = np.sqrt(np.bincount(rows, squares * ~is_entity, minlength=n_rows))
    ent_norm = np.sqrt(np.bincount(rows, squares * is_entity, minlength=n_rows))
    text_scale = _safe_inverse(text_norm) * np.sqrt(1.0 - w)
    ent_scale = _safe_inverse(ent_norm) * np.sqrt(w)
    data = data * np.where(is_entity, ent_scale[rows], text_scale[rows]).astype(np.float32)
    # Copies: eliminate_zeros() compacts the index arrays in place, and they are the caller's.
    out = sp.csr_matrix((data, counts.indices.copy(), counts.indptr.copy()), shape=counts.shape)
    out.eliminate_zeros()
    return out


def _safe_inverse(norms: np.ndarray) -> np.ndarray:
    """``1 / norms`` with 0 for empty rows."""
    return np.divide(1.0, norms, out=np.zeros_like(norms), where=norms > 0)


def prune_rows(counts: sp.spmatrix, idf: np.ndarray, max_terms: int, n_text: int) -> sp.csr_matrix:
    """Keep each row's ``max_terms`` highest-TF-IDF text columns (entity columns all stay).

    Ties are broken by the lower column number, so the choice is reproducible.
    """
    counts = sp.csr_matrix(counts, dtype=np.float32, copy=True)
    counts.sort_indices()
    for i in range(counts.shape[0]):
        lo, hi = counts.indptr[i], counts.indptr[i + 1]
        cols = counts.indices[lo:hi]
        n_text_cols = int(np.searchsorted(cols, n_text))
        if n_text_cols <= max_terms:
            continue
        weights = counts.data[lo : lo + n_text_cols] * idf[cols[:n_text_cols]]
        order = np.lexsort((cols[:n_text_cols], -weights))
        counts.data[lo + order[max_terms:]] = 0.0
    counts.eliminate_zeros()
    return counts
