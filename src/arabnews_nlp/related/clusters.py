"""Sub-quadratic candidates for the related search: rows clustered in a dense projection, each
query scored exactly against the clusters nearest to it.

The weighted rows are projected on ``n_components`` directions of a truncated SVD of their most
frequent columns (fitted on a sample), the projections are clustered by k-means (fitted on a
sample, every row assigned to its nearest centroid), and each cluster keeps its rows in index
order with their postings. A query is projected the same way and meets only the ``n_probe``
clusters whose centroids are nearest to it: its candidates are those clusters' rows, **scored
exactly** by :func:`~arabnews_nlp.related.topk.topk_blocks` (the same kernel and the same
summation order as the exact search, so a pair gets the same float32 score either way) and
the partial answers are merged by score, then index, like the exact search's. What can be lost
is a neighbour in a cluster the query did not probe; what is found is ranked exactly.

The fitted clusters outlive the rows they were fitted on: :meth:`ClusterSearch.extend` assigns
rows added to the index since to their nearest centroid (no refit), and :meth:`to_arrays` /
:meth:`from_arrays` let the index save them with its rows. The next search refits once the
rows added since the fit exceed ``refit_after`` times the rows fitted.

When the probes would cover every cluster, or the index holds fewer than ``min_rows`` rows
(where the exact search is affordable: 50,000 rows by default, about 80 CPU-s all-pairs), the
search is exhaustive and :meth:`ClusterSearch.exhaustive` says so: the index then runs the exact
search itself, so small corpora get the exact answers bit for bit.

Example:
    >>> import numpy as np, scipy.sparse as sp
    >>> rng = np.random.default_rng(0)
    >>> X = sp.random(600, 400, density=0.05, format="csr", random_state=0, dtype=np.float32)
    >>> X = sp.csr_matrix(X.multiply(1 / np.sqrt(X.multiply(X).sum(1))))
    >>> search = ClusterSearch(n_components=8, rows_per_cluster=100, n_probe=2, min_rows=0)
    >>> search = search.fit(X)
    >>> search.n_clusters_, search.exhaustive()
    (6, False)
    >>> top = search.topk(X[:3], 5, own_rows=np.arange(3))
    >>> top.indices.shape
    (3, 5)
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator
from sklearn.cluster import KMeans
from sklearn.utils.extmath import randomized_svd

from arabnews_nlp.related.topk import TopK, merge_topk, topk_blocks

__all__ = ["ClusterSearch", "RowMask"]

#: ``mask(query_positions, block_rows, scores)``: excludes candidates (sets ``-inf`` in
#: place) for the queries at these positions of the batch against these index rows.
RowMask = Callable[[np.ndarray, np.ndarray, np.ndarray], None]


class ClusterSearch(BaseEstimator):
    """Candidate generation over clusters of the index rows, with exact scoring of candidates.

    Args:
        n_components: Dimensions of the projection the clusters are found in.
        head_columns: The projection reads the most frequent columns only (this many).
        rows_per_cluster: Average rows per cluster (``n_clusters = rows / this``).
        n_probe: Clusters each query is scored against (its nearest centroids).
        sample_size: Rows the SVD and the k-means are fitted on.
        random_state: Seed of the samples, the SVD and the k-means.
        min_rows: Below this many index rows the search is exhaustive (the exact search runs):
            on ANT, 27.7k articles, 16 probes of 54 clusters keep about 0.93 of the exact
            top-10, so the candidates only pay where the exact search is out of reach.
        refit_after: :meth:`extend` refits once the rows added since the fit exceed this
            share of the rows fitted (the clusters' sizes, hence a query's cost, grow with
            the rows added; their centroids age with the IDF).

    Attributes:
        n_rows_: Index rows the search covers (one label each).
        n_fitted_: Index rows the clusters were fitted on (the first ones).
        n_clusters_: Clusters found.
        columns_: The columns the projection reads (``head_columns`` most frequent).
        components_: ``(len(columns_), n_components)`` projection.
        centroids_: ``(n_clusters_, n_components)`` unit centroids.
        labels_: Cluster of every index row.
    """

    def __init__(
        self,
        *,
        n_components: int = 64,
        head_columns: int = 30000,
        rows_per_cluster: int = 512,
        n_probe: int = 16,
        sample_size: int = 8192,
        random_state: int = 0,
        min_rows: int = 50_000,
        refit_after: float = 1.0,
    ) -> None:
        self.n_components = n_components
        self.head_columns = head_columns
        self.rows_per_cluster = rows_per_cluster
        self.n_probe = n_probe
        self.sample_size = sample_size
        self.random_state = random_state
        self.min_rows = min_rows
        self.refit_after = refit_after

    # ------------------------------------------------------------------ fitting
    def fit(self, matrix: sp.csr_matrix, y: object = None) -> ClusterSearch:
        """Learn the projection and the clusters of the weighted index rows; returns self."""
        matrix = sp.csr_matrix(matrix)
        n_rows = matrix.shape[0]
        self.n_clusters_ = max(1, min(n_rows, round(n_rows / max(1, self.rows_per_cluster))))
        self.n_rows_ = self.n_fitted_ = n_rows
        if self.exhaustive():
            # Nothing to learn: every query meets every row (the exact search).
            self.columns_ = np.zeros(0, dtype=np.int64)
            self.components_ = np.zeros((0, 0), dtype=np.float32)
            self.centroids_ = np.zeros((self.n_clusters_, 0), dtype=np.float32)
            self.labels_ = np.zeros(n_rows, dtype=np.int64)
            self._bind(matrix)
            return self
        rng = np.random.default_rng(self.random_state)
        sample = np.sort(rng.choice(n_rows, min(n_rows, self.sample_size), replace=False))
        df = np.bincount(matrix.indices, minlength=matrix.shape[1])
        n_head = min(self.head_columns, int(np.count_nonzero(df)))
        self.columns_ = np.sort(np.argsort(-df, kind="stable")[:n_head])
        head = self._head(matrix[sample])
        d = max(1, min(self.n_components, min(head.shape) - 1))
        _, _, vt = randomized_svd(head, d, n_iter=3, random_state=self.random_state)
        self.components_ = np.ascontiguousarray(vt.T, dtype=np.float32)
        points = self.project(matrix)
        km = KMeans(self.n_clusters_, n_init=1, max_iter=25, random_state=self.random_state)
        km.fit(points[sample] if len(sample) >= self.n_clusters_ else points)
        self.centroids_ = _unit(km.cluster_centers_.astype(np.float32))
        self.labels_ = self._nearest(points)
        self._bind(matrix)
        return self

    #: The learned arrays, as :meth:`to_arrays` gives them.
    ARRAYS = ("columns_", "components_", "centroids_", "labels_", "n_fitted_")

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The learned state as arrays (to save with the index; see :meth:`from_arrays`)."""
        return {
            "columns_": self.columns_.astype(np.int64),
            "components_": self.components_,
            "centroids_": self.centroids_,
            "labels_": self.labels_.astype(np.int32),
            "n_fitted_": np.asarray(self.n_fitted_, dtype=np.int64),
        }

    @classmethod
    def from_arrays(
        cls, params: Mapping[str, object], arrays: Mapping[str, np.ndarray]
    ) -> ClusterSearch:
        """A fitted search from its parameters and :meth:`to_arrays` (not bound to rows:
        :meth:`extend` binds it)."""
        search = cls(**params)  # type: ignore[arg-type]
        search.columns_ = np.asarray(arrays["columns_"], dtype=np.int64)
        search.components_ = np.asarray(arrays["components_"], dtype=np.float32)
        search.centroids_ = np.asarray(arrays["centroids_"], dtype=np.float32)
        search.labels_ = np.asarray(arrays["labels_"], dtype=np.int64)
        search.n_rows_ = len(search.labels_)
        search.n_fitted_ = int(arrays["n_fitted_"])
        search.n_clusters_ = len(search.centroids_)
        search._bind(None)
        return search

    def learned(self) -> bool:
        """Whether the fit learned clusters (it learns nothing where it is exhaustive)."""
        return getattr(self, "components_", np.zeros((0, 0))).size > 0

    def extend(self, matrix: sp.csr_matrix) -> ClusterSearch:
        """This search over ``matrix``: the index's rows, the fitted ones first.

        Rows past the ``n_rows_`` fitted are assigned to their nearest centroid (no refit);
        a fresh fit of ``matrix`` is returned instead when the fit learned nothing (it was
        exhaustive), when ``matrix`` has fewer rows, or when the rows added exceed
        ``refit_after`` times those fitted. The result is a new search; this one is unchanged.
        """
        matrix = sp.csr_matrix(matrix)
        n_rows = matrix.shape[0]
        added = n_rows - self.n_rows_
        grown = n_rows - self.n_fitted_
        if not self.learned() or added < 0 or grown > self.refit_after * self.n_fitted_:
            return copy.copy(self).fit(matrix)
        out = copy.copy(self)
        if added:
            new = self._nearest(self.project(matrix[self.n_rows_ :]))
            out.labels_ = np.concatenate([self.labels_, new])
            out.n_rows_ = n_rows
        out._bind(matrix)
        return out

    def unbound(self) -> ClusterSearch:
        """A copy of the learned state without the rows it searches (to keep, save or pickle)."""
        out = copy.copy(self)
        out._bind(None)
        return out

    def _nearest(self, points: np.ndarray) -> np.ndarray:
        return np.argmax(points @ self.centroids_.T, axis=1).astype(np.int64)

    def _bind(self, matrix: sp.csr_matrix | None) -> None:
        """Search ``matrix`` (one row per label); each cluster's block is built when first
        probed."""
        self._matrix = matrix
        self._blocks: dict[int, _Block] = {}
        order = np.argsort(self.labels_, kind="stable")
        self._members = order
        self._bounds = np.searchsorted(self.labels_[order], np.arange(self.n_clusters_ + 1))

    def _block(self, cluster: int) -> _Block:
        block = self._blocks.get(cluster)
        if block is None:
            if self._matrix is None:
                raise ValueError("this search is not bound to index rows: see extend()")
            lo, hi = self._bounds[cluster], self._bounds[cluster + 1]
            block = self._blocks[cluster] = _Block(self._matrix, self._members[lo:hi])
        return block

    def __getstate__(self) -> dict[str, object]:
        # The blocks copy the index's rows: never pickled (rebuilt where searched).
        state = dict(super().__getstate__())
        state.update(_matrix=None, _blocks={})
        return state

    def exhaustive(self) -> bool:
        """Whether every query would meet every row (so the exact search is the same)."""
        return self.n_rows_ < self.min_rows or int(self.n_probe) >= int(self.n_clusters_)

    def _head(self, rows: sp.csr_matrix) -> sp.csr_matrix:
        """The rows restricted to ``columns_``, renumbered 0..len(columns_)-1."""
        positions = np.searchsorted(self.columns_, rows.indices)
        positions = np.minimum(positions, max(len(self.columns_) - 1, 0))
        keep = self.columns_[positions] == rows.indices if len(self.columns_) else rows.indices < 0
        row_of = np.repeat(np.arange(rows.shape[0]), np.diff(rows.indptr))
        return sp.csr_matrix(
            (rows.data[keep], (row_of[keep], positions[keep])),
            shape=(rows.shape[0], len(self.columns_)),
            dtype=np.float32,
        )

    #: Rows projected at once: restricting rows to ``columns_`` takes ~30 bytes of temporaries
    #: a nonzero (~1 GB for a whole index of 110k articles, 34M nonzeros). Each row's
    #: projection depends on that row alone, so the projections are the same.
    project_rows = 8192

    def project(self, rows: sp.csr_matrix) -> np.ndarray:
        """Unit-length projections of weighted rows (``(n, n_components)`` float32)."""
        rows = sp.csr_matrix(rows)
        step = max(1, int(self.project_rows))
        if rows.shape[0] <= step:
            return _unit(np.asarray(self._head(rows) @ self.components_))
        out = np.empty((rows.shape[0], self.components_.shape[1]), dtype=np.float32)
        for lo in range(0, rows.shape[0], step):
            block = rows[lo : lo + step]
            out[lo : lo + block.shape[0]] = _unit(np.asarray(self._head(block) @ self.components_))
        return out

    # ------------------------------------------------------------------ searching
    def probes(self, rows: sp.csr_matrix) -> np.ndarray:
        """The ``n_probe`` clusters each row meets, nearest first (``(n, n_probe)``)."""
        scores = self.project(rows) @ self.centroids_.T
        p = min(int(self.n_probe), self.n_clusters_)
        part = np.argpartition(-scores, p - 1, axis=1)[:, :p]
        order = np.argsort(-np.take_along_axis(scores, part, axis=1), axis=1, kind="stable")
        return np.take_along_axis(part, order, axis=1)

    def topk(
        self,
        queries: sp.csr_matrix,
        k: int,
        *,
        own_rows: np.ndarray | None = None,
        min_score: float | None = None,
        exclude_above: float | None = None,
        chunk_size: int = 256,
    ) -> TopK:
        """Top-``k`` index rows of each query among the rows of the clusters it probes.

        Args:
            queries: Weighted, normalized query rows.
            k: Neighbours per query.
            own_rows: Index row of each query (-1 for none): never returned.
            min_score: Drop candidates scoring below this.
            exclude_above: Drop candidates scoring at or above this (near-duplicates).
            chunk_size: Queries scored at once against a cluster.
        """
        queries = sp.csr_matrix(queries, dtype=np.float32)
        n_q = queries.shape[0]
        own = np.full(n_q, -1, dtype=np.int64) if own_rows is None else np.asarray(own_rows)
        probes = self.probes(queries)
        parts_idx = np.full((n_q, probes.shape[1], k), -1, dtype=np.int64)
        parts_val = np.full((n_q, probes.shape[1], k), -np.inf, dtype=np.float32)
        for cluster in np.unique(probes):
            who, slot = np.nonzero(probes == cluster)
            block = self._block(int(cluster))
            found = block.topk(
                queries[who], own[who], k, min_score, exclude_above, chunk_size=chunk_size
            )
            parts_idx[who, slot], parts_val[who, slot] = found.indices, found.scores
        merged = merge_topk(
            [TopK(parts_idx[:, s], parts_val[:, s]) for s in range(probes.shape[1])], k
        )
        return merged


def _unit(points: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(points, axis=1, keepdims=True)
    return np.divide(points, norms, out=np.zeros_like(points), where=norms > 0)


class _Block:
    """The rows of one cluster, in index order (ties break as in the exact search), with
    their postings, over the cluster's own columns only.

    A few tens of thousands of the index's ~1.3M hashed columns occur in a cluster: postings
    over those alone are small (no 1.3M-entry pointer array per cluster) and the product reads
    them without a cache miss per query term. Queries are restricted to these columns first
    (the terms dropped meet no row of the cluster); the columns keep their order, so each
    score is summed in the same order as by the exact search: the same float32.
    """

    #: Query non-zeros above which the restriction goes through a dense column map (one
    #: pass over every column) rather than a binary search per non-zero.
    DENSE_MAP = 1 << 16

    def __init__(self, matrix: sp.csr_matrix, rows: np.ndarray) -> None:
        self.rows = rows
        block = sp.csr_matrix(matrix[rows])
        self.n_columns = int(matrix.shape[1])
        seen = np.zeros(self.n_columns, dtype=bool)
        seen[block.indices] = True
        self.columns = np.flatnonzero(seen)
        local = self._table()[block.indices]
        self.matrix = sp.csr_matrix(
            (block.data, local, block.indptr), shape=(len(rows), len(self.columns))
        )
        self.postings = self.matrix.T.tocsr()

    def _table(self) -> np.ndarray:
        """Column -> the block's column (-1 where the block has none), over every column."""
        table = np.full(self.n_columns, -1, dtype=np.int32)
        table[self.columns] = np.arange(len(self.columns), dtype=np.int32)
        return table

    def restrict(self, queries: sp.csr_matrix) -> sp.csr_matrix:
        """``queries`` over the block's columns (the others dropped)."""
        indices = queries.indices
        if len(self.columns) == 0:
            keep = np.zeros(len(indices), dtype=bool)
            local = np.zeros(len(indices), dtype=np.int32)
        elif queries.nnz > self.DENSE_MAP:
            local = self._table()[indices]
            keep = local >= 0
        else:
            local = np.searchsorted(self.columns, indices)
            np.minimum(local, len(self.columns) - 1, out=local)
            keep = self.columns[local] == indices
        kept = np.concatenate([[0], np.cumsum(keep)])[queries.indptr]
        return sp.csr_matrix(
            (queries.data[keep], local[keep].astype(np.int32), kept),
            shape=(queries.shape[0], len(self.columns)),
        )

    def topk(
        self,
        queries: sp.csr_matrix,
        own: np.ndarray,
        k: int,
        min_score: float | None,
        exclude_above: float | None,
        *,
        chunk_size: int,
    ) -> TopK:
        if len(self.rows) == 0:
            empty = np.full((queries.shape[0], k), -1, dtype=np.int64)
            return TopK(empty, np.full(empty.shape, -np.inf, dtype=np.float32))

        def mask(part: slice, _cols: slice, scores: np.ndarray) -> None:
            scores[own[part, None] == self.rows[None, :]] = -np.inf
            if exclude_above is not None:
                scores[scores >= exclude_above] = -np.inf

        found = topk_blocks(
            self.restrict(sp.csr_matrix(queries)),
            self.matrix,
            k,
            chunk_size=chunk_size,
            min_score=min_score,
            mask=mask,
            index_t=self.postings,
        )
        rows = np.where(found.indices >= 0, self.rows[np.maximum(found.indices, 0)], -1)
        return TopK(rows, found.scores)
