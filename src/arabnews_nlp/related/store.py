"""Saving and loading a :class:`~arabnews_nlp.related.RelatedIndex`: its parameters as JSON,
its learned state and fitted candidate search through :mod:`~arabnews_nlp.related.persist`.

:mod:`~arabnews_nlp.related.persist` writes and reads the files from plain data; this module
turns an index into that data and back (``RelatedIndex.save`` and ``RelatedIndex.load`` call
it).

Example:
    >>> import tempfile
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
    >>> index = RelatedIndex(ArticleVectorizer(n_features=2**16), max_terms=50)
    >>> index = index.fit([Article(id="x", title="سوريا وروسيا")])
    >>> saved_params(index)["vectorizer"]["n_features"], saved_params(index)["max_terms"]
    (65536, 50)
    >>> with tempfile.TemporaryDirectory() as d:
    ...     load_index(RelatedIndex, save_index(index, d)).max_terms
    50
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from arabnews_nlp.related.clusters import ClusterSearch
from arabnews_nlp.related.persist import read_state, write_state
from arabnews_nlp.related.vectorize import ArticleVectorizer

if TYPE_CHECKING:
    from arabnews_nlp.related.columns import EntityExtractor

__all__ = ["load_index", "save_index", "saved_params"]

# ``index`` below is a RelatedIndex, typed Any: index.py imports this module, and the package's
# import graph stays acyclic (tests/test_import_cycles.py counts TYPE_CHECKING imports too).


def saved_params(index: Any) -> dict[str, Any]:
    """The index's parameters as ``index.json`` keeps them (the vectorizer's and the
    candidate search's nested; no entity extractor: it is given again at load)."""
    params = index.get_params(deep=False)
    params.pop("entity_extractor")
    params["vectorizer"] = index.vectorizer_.get_params()
    if index.candidates is not None:
        params["candidates"] = index.candidates.get_params()
    return params


def save_index(index: Any, path: str | Path) -> Path:
    """Write ``index`` to directory ``path`` (see ``RelatedIndex.save``); returns the path."""
    arrays = None
    template = index.candidates if index.candidates is not None else ClusterSearch()
    if len(index) >= template.min_rows:  # below, the search learns nothing
        search = index.view_.search
        if search is not None and search.learned():
            arrays = search.to_arrays()
    return write_state(path, index.state_, saved_params(index), search=arrays)


def load_index(cls: Any, path: str | Path, entity_extractor: EntityExtractor | None = None) -> Any:
    """An index of class ``cls`` read from directory ``path`` (see ``RelatedIndex.load``)."""
    state, params, arrays = read_state(path)
    vectorizer = ArticleVectorizer(**params.pop("vectorizer"))
    found = params.pop("candidates", None)
    candidates = ClusterSearch(**found) if found is not None else None
    index = cls(vectorizer, entity_extractor=entity_extractor, candidates=candidates, **params)
    fitted = ClusterSearch.from_arrays(found or {}, arrays) if arrays is not None else None
    return index.with_state(state, fitted_search=fitted)
