"""Entity columns of a related index: entity names hashed after the text n-gram columns.

A related index's rows are the vectorizer's text n-gram counts followed by
``entity_features`` entity columns. An article's entities (``meta["entities"]``, else an
extractor's) mark their columns once each: presence, not frequency.

Example:
    >>> import scipy.sparse as sp
    >>> text = sp.csr_matrix([[2.0, 0.0], [0.0, 1.0]], dtype="float32")
    >>> rows = with_entity_columns(text, [["دمشق"], []], entity_features=4)
    >>> rows.shape, rows[0].nnz, rows[1].nnz
    ((2, 6), 2, 1)
    >>> int(rows[0].indices[-1]) == 2 + entity_column("دمشق", 4)
    True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.normalize import normalize
from arabnews_nlp.related.explain import entity_names
from arabnews_nlp.related.hashing import token_code

__all__ = ["EntityExtractor", "document_entities", "entity_column", "with_entity_columns"]

#: ``extractor(article_or_text) -> entities`` (strings, dicts with ``canonical``, or Entities).
EntityExtractor = Callable[[Any], Iterable[Any]]


def entity_column(name: str, entity_features: int) -> int:
    """The entity column of ``name`` (counted from the first entity column)."""
    return int(token_code(normalize(name, profile="search")) % entity_features)


def document_entities(
    doc: Article | str, extractor: EntityExtractor | None, weight: float
) -> list[str]:
    """Entity names of a document: ``meta["entities"]``, else the extractor's (if ``weight``)."""
    if isinstance(doc, Article) and doc.meta.get("entities") is not None:
        return entity_names(doc.meta["entities"])
    if extractor is None or weight == 0:
        return []
    return entity_names(extractor(doc))


def with_entity_columns(
    text: sp.csr_matrix, entities: Sequence[Sequence[str]], entity_features: int
) -> sp.csr_matrix:
    """``text`` (one row per document) widened by ``entity_features`` columns, each row's
    entity columns set to 1 after its text columns."""
    n_text = text.shape[1]
    shape = (text.shape[0], n_text + entity_features)
    if not any(entities):
        # Same arrays, wider shape: the entity columns are simply empty.
        return sp.csr_matrix((text.data, text.indices, text.indptr), shape=shape)
    # Presence, not frequency: an entity (or names that hash together) counts once.
    ent_cols = [
        sorted({n_text + entity_column(name, entity_features) for name in names})
        for names in entities
    ]
    data, indices, indptr = [], [], [0]
    for row, cols in enumerate(ent_cols):
        lo, hi = text.indptr[row], text.indptr[row + 1]
        data += [text.data[lo:hi], np.ones(len(cols), dtype=np.float32)]
        indices += [text.indices[lo:hi], np.asarray(cols, dtype=text.indices.dtype)]
        indptr.append(indptr[-1] + hi - lo + len(cols))
    return sp.csr_matrix(
        (np.concatenate(data), np.concatenate(indices), np.asarray(indptr)), shape=shape
    )
