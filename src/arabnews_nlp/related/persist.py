"""Write a related index's learned state and parameters as JSON + NPZ, and read them back.

:meth:`RelatedIndex.save <arabnews_nlp.related.RelatedIndex.save>` and ``load`` go through
here; this module knows the :class:`~arabnews_nlp.related.state.IndexState` (plain data) and
a JSON dict of parameters, never the index class. Layout of the index directory:

- ``index.json``: format name and version, the index parameters (the vectorizer's as a nested
  object), and per-article ids, titles, sections, publication dates and entity names;
- ``arrays.npz``: the raw counts matrix (CSR ``data``/``indices``/``indptr``/``shape``) and
  the document frequencies, read back with ``allow_pickle=False``.

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
#: 3: the candidate search's parameters under ``params["candidates"]``; 2: the vectorizer's
#: nested under ``params["vectorizer"]`` (1: flat). Older versions are still read.
VERSION = 3
_META = "index.json"
_ARRAYS = "arrays.npz"
_LISTS = ("ids", "titles", "sections", "published", "entities")
#: Version 1 kept these vectorizer parameters flat among the index's (and dropped the rest).
_V1_VECTORIZER = (
    "analyzer", "ngram_range", "n_features", "title_weight", "lede_weight", "head_weight",
    "tail_weight", "head_chars", "max_chars",
)  # fmt: skip


def write_state(path: str | Path, state: IndexState, params: dict[str, Any]) -> Path:
    """Write ``state`` and the JSON-serializable ``params`` into directory ``path`` (created
    if needed); returns the path.

    Files are written under temporary names and renamed, so a crash never leaves a
    half-written index that loads.
    """
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    counts = sp.csr_matrix(state.counts)
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "params": params,
        "n_docs": len(state),
        **{key: getattr(state, key) for key in _LISTS},
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
    return out


def read_state(path: str | Path) -> tuple[IndexState, dict[str, Any]]:
    """Read a directory written by :func:`write_state`: the state and the parameters.

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
    if meta.get("version") not in (1, 2, VERSION):
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
    return state, params


def _params(params: dict[str, Any], version: int) -> dict[str, Any]:
    """The parameters in the current layout (version 1 files are converted)."""
    if version == 1:
        params["vectorizer"] = {key: params.pop(key) for key in _V1_VECTORIZER if key in params}
    vectorizer = dict(params["vectorizer"])
    vectorizer["ngram_range"] = tuple(vectorizer["ngram_range"])
    params["vectorizer"] = vectorizer
    return params
