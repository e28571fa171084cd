"""Save and load a :class:`~arabnews_nlp.related.RelatedIndex` as JSON + NPZ (never pickle).

Layout of the index directory:

- ``index.json``: format name and version, the index parameters, and per-article ids,
  titles, sections, publication dates and entity names;
- ``arrays.npz``: the raw counts matrix (CSR ``data``/``indices``/``indptr``/``shape``) and
  the document frequencies, read back with ``allow_pickle=False``.

Example:
    >>> import tempfile
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import RelatedIndex
    >>> index = RelatedIndex(n_features=2**16).fit([Article(id="x", title="سوريا وروسيا")])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     RelatedIndex.load(index.save(d)).ids_
    ['x']
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.related.index import EntityExtractor, RelatedIndex

__all__ = ["FORMAT", "VERSION", "load_index", "save_index"]

FORMAT = "arabnews-nlp/related-index"
VERSION = 1
_META = "index.json"
_ARRAYS = "arrays.npz"


def save_index(index: RelatedIndex, path: str | Path) -> Path:
    """Write ``index`` into directory ``path`` (created if needed); returns the path.

    Files are written under temporary names and renamed, so a crash never leaves a
    half-written index that loads.
    """
    index._check_fitted()
    out = Path(path)
    out.mkdir(parents=True, exist_ok=True)
    counts = sp.csr_matrix(index.counts_)
    arrays_tmp = out / (_ARRAYS + ".partial")
    with open(arrays_tmp, "wb") as fh:
        np.savez(
            fh,
            data=counts.data.astype(np.float32),
            indices=counts.indices.astype(np.int32),
            indptr=counts.indptr.astype(np.int64),
            shape=np.asarray(counts.shape, dtype=np.int64),
            df=index.df_.astype(np.int64),
        )
    meta: dict[str, Any] = {
        "format": FORMAT,
        "version": VERSION,
        "params": index.get_params(),
        "n_docs": len(index.ids_),
        "ids": index.ids_,
        "titles": index.titles_,
        "sections": index.sections_,
        "published": index.published_,
        "entities": index.entities_,
    }
    meta_tmp = out / (_META + ".partial")
    meta_tmp.write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    os.replace(arrays_tmp, out / _ARRAYS)
    os.replace(meta_tmp, out / _META)
    return out


def load_index(
    path: str | Path, *, entity_extractor: EntityExtractor | None = None
) -> RelatedIndex:
    """Read an index directory written by :func:`save_index`.

    Raises:
        FileNotFoundError: when ``path`` holds no index.
        ValueError: when the files are of another format, version or inconsistent.
    """
    from arabnews_nlp.related.index import RelatedIndex

    src = Path(path)
    meta_path = src / _META
    if not meta_path.is_file():
        raise FileNotFoundError(f"no related index at {src} (missing {_META})")
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    if meta.get("format") != FORMAT:
        raise ValueError(f"{meta_path} is not a related index (format {meta.get('format')!r})")
    if meta.get("version") != VERSION:
        raise ValueError(f"unsupported related index version {meta.get('version')!r}")
    params = dict(meta["params"])
    params["ngram_range"] = tuple(params["ngram_range"])
    index = RelatedIndex(**params, entity_extractor=entity_extractor)
    with np.load(src / _ARRAYS, allow_pickle=False) as arrays:
        shape = tuple(int(x) for x in arrays["shape"])
        counts = sp.csr_matrix(
            (arrays["data"], arrays["indices"], arrays["indptr"]), shape=shape, dtype=np.float32
        )
        df = np.asarray(arrays["df"], dtype=np.int64)
    n_docs = int(meta["n_docs"])
    lists = {key: meta[key] for key in ("ids", "titles", "sections", "published", "entities")}
    if shape != (n_docs, index.n_columns) or len(df) != index.n_columns:
        raise ValueError(f"{src}: arrays do not match the parameters ({shape}, {len(df)})")
    if any(len(v) != n_docs for v in lists.values()):
        raise ValueError(f"{src}: per-article lists do not have {n_docs} entries")
    index.ids_ = [str(x) for x in lists["ids"]]
    index.titles_ = list(lists["titles"])
    index.sections_ = list(lists["sections"])
    index.published_ = list(lists["published"])
    index.entities_ = [list(e) for e in lists["entities"]]
    index.counts_ = counts
    index.df_ = df
    index._invalidate()
    return index
