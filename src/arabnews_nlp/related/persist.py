"""Write a related index's learned state and parameters as JSON + NPZ, and read them back.

:meth:`RelatedIndex.save <arabnews_nlp.related.RelatedIndex.save>` and ``load`` go through
here; this module knows the :class:`~arabnews_nlp.related.state.IndexState` (plain data) and
a JSON dict of parameters, never the index class. Layout of the index directory:

- ``index.json``: format name and version, the index parameters (the vectorizer's as a nested
  object), and per-article ids, titles, sections, publication dates and entity names;
- ``arrays.npz``: the raw counts matrix (CSR ``data``/``indices``/``indptr``/``shape``) and
  the document frequencies, read back with ``allow_pickle=False``;
- ``search.npz`` (large indexes, version 4): the fitted candidate search's arrays
  (:meth:`ClusterSearch.to_arrays <arabnews_nlp.related.clusters.ClusterSearch.to_arrays>`:
  projection columns and components, centroids, the cluster of every row), described by
  ``index.json``'s ``"search"`` entry (null: none saved; the search is fitted when needed).

Example:
    >>> import tempfile
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
    >>> index = RelatedIndex(ArticleVectorizer(n_features=2**16))
    >>> index = index.fit([Article(id="x", title="سوريا وروسيا")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     RelatedIndex.load(index.save(d)).ids_
    ['x']
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp._npz import read_npz
from arabnews_nlp.files import atomic_file
from arabnews_nlp.related.state import IndexState

__all__ = ["FORMAT", "VERSION", "read_state", "write_state"]

FORMAT = "arabnews-nlp/related-index"
#: 4: the fitted candidate search in ``search.npz``; 3: the candidate search's parameters
#: under ``params["candidates"]``; 2: the vectorizer's nested under ``params["vectorizer"]``
#: (1: flat). Older versions are still read.
VERSION = 4
_META = "index.json"
_ARRAYS = "arrays.npz"
_SEARCH = "search.npz"
_LISTS = ("ids", "titles", "sections", "published", "entities")
#: Version 1 kept these vectorizer parameters flat among the index's (and dropped the rest).
_V1_VECTORIZER = (
    "analyzer", "ngram_range", "n_features", "title_weight", "lede_weight", "head_weight",
    "tail_weight", "head_chars", "max_chars",
)  # fmt: skip


def write_state(
    path: str | Path,
    state: IndexState,
    params: dict[str, Any],
    *,
    search: dict[str, np.ndarray] | None = None,
) -> Path:
    """Write ``state`` and the JSON-serializable ``params`` into directory ``path`` (created
    if needed); returns the path.

    Files are written under temporary names and renamed, ``index.json`` last, so a crash
    never leaves a half-written index that loads.

    Args:
        path: The index directory.
        state: The learned state.
        params: The index's parameters.
        search: The fitted candidate search's arrays (``columns_``, ``components_``,
            ``centroids_``, ``labels_``: one label per row of the first rows, ``n_fitted_``),
            if any.
    """
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    counts = sp.csr_matrix(state.counts)
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "n_docs": len(state),
        "search": None,
        **{key: getattr(state, key) for key in _LISTS},
    }
    if search is not None:
        with atomic_file(out / _SEARCH, binary=True) as fh:
            np.savez(fh, allow_pickle=False, **search)
        meta["search"] = {
            "file": _SEARCH,
            "n_rows": len(search["labels_"]),
            "n_clusters": len(search["centroids_"]),
        }
    with atomic_file(out / _ARRAYS, binary=True) as fh:
        np.savez(
            fh,
            data=counts.data.astype(np.float32),
            indices=counts.indices.astype(np.int32),
            indptr=counts.indptr.astype(np.int64),
            shape=np.asarray(counts.shape, dtype=np.int64),
            df=state.df.astype(np.int64),
        )
    with atomic_file(out / _META) as fh:
        json.dump(meta, fh, ensure_ascii=False)
    if search is None:
        (out / _SEARCH).unlink(missing_ok=True)  # a previous save's, now stale
    return out


def _read_search(
    src: Path, entry: dict[str, Any] | None, n_docs: int, n_columns: int
) -> dict[str, np.ndarray] | None:
    """The fitted candidate search's arrays that ``index.json``'s ``entry`` describes, or None
    where none was saved (versions before 4, small indexes)."""
    if not entry:
        return None
    n_rows, n_clusters = int(entry["n_rows"]), int(entry["n_clusters"])
    if not 0 < n_rows <= n_docs or n_clusters <= 0:
        raise ValueError(f"{src}: a search of {n_rows} rows, {n_clusters} clusters")
    try:
        arrays = read_npz(src / _SEARCH, {
            "columns_": (("head",), "iu"),
            "components_": (("head", "dims"), "f"),
            "centroids_": ((n_clusters, "dims"), "f"),
            "labels_": ((n_rows,), "iu"),
            "n_fitted_": ((), "iu"),
        })  # fmt: skip
    except ValueError as exc:
        raise ValueError(f"{src / _SEARCH}: {exc}") from None
    columns, labels = arrays["columns_"], arrays["labels_"]
    if (
        (len(columns) and (columns.min() < 0 or columns.max() >= n_columns))
        or labels.min() < 0
        or labels.max() >= n_clusters
        or not 0 < int(arrays["n_fitted_"]) <= n_rows
    ):
        raise ValueError(f"{src / _SEARCH}: columns, labels or rows out of range")
    return arrays


def read_state(
    path: str | Path,
) -> tuple[IndexState, dict[str, Any], dict[str, np.ndarray] | None]:
    """Read a directory written by :func:`write_state`: the state, the parameters and the
    fitted candidate search's arrays (None where none was saved).

    Raises:
        FileNotFoundError: when ``path`` holds no index.
        ValueError: when the files are of another format, version or inconsistent.
    """
    src = Path(path)
    meta_path = src / _META
    if not meta_path.is_file():
        raise FileNotFoundError(f"no related index at {src} (missing {_META})")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{meta_path} is not a related index (format {meta.get('format')!r})")
    if meta.get("version") not in (1, 2, 3, VERSION):
        raise ValueError(f"unsupported related index version {meta.get('version')!r}")
    params = _params(dict(meta["params"]), meta["version"])
    n_docs = int(meta["n_docs"])
    lists = {key: meta[key] for key in _LISTS}
    n_columns = int(params["vectorizer"]["n_features"]) + int(params["entity_features"])
    try:
        # Headers checked against index.json before anything is allocated; no pickles.
        arrays = read_npz(src / _ARRAYS, {
            "data": (("non-zeros",), "f"),
            "indices": (("non-zeros",), "iu"),
            "indptr": ((n_docs + 1,), "iu"),
            "shape": ((2,), "iu"),
            "df": ((n_columns,), "iu"),
        })  # fmt: skip
    except ValueError as exc:
        raise ValueError(f"{src}: {exc}") from None
    shape = tuple(int(x) for x in arrays["shape"])
    if shape != (n_docs, n_columns):
        raise ValueError(f"{src}: arrays do not match the parameters ({shape})")
    counts = sp.csr_matrix(
        (arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape, dtype=np.float32
    )
    try:
        counts.check_format(full_check=True)  # column indices in range, rows in order
    except ValueError as exc:
        raise ValueError(f"{src / _ARRAYS}: {exc}") from None
    df = np.asarray(arrays["df"], dtype=np.int64)
    if any(len(v) != n_docs for v in lists.values()):
        raise ValueError(f"{src}: per-article lists do not have {n_docs} entries")
    state = IndexState(
        [str(x) for x in lists["ids"]],
        list(lists["titles"]),
        list(lists["sections"]),
        list(lists["published"]),
        [list(e) for e in lists["entities"]],
        counts,
        df,
    )
    return state, params, _read_search(src, meta.get("search"), n_docs, n_columns)


def _params(params: dict[str, Any], version: int) -> dict[str, Any]:
    """The parameters in the current layout (version 1 files are converted)."""
    if version == 1:
        params["vectorizer"] = {key: params.pop(key) for key in _V1_VECTORIZER if key in params}
    vectorizer = dict(params["vectorizer"])
    vectorizer["ngram_range"] = tuple(vectorizer["ngram_range"])
    params["vectorizer"] = vectorizer
    return params
