"""Named entities: the shipped NER pipeline, extraction at original offsets, article summaries.

Example:
    >>> from arabnews_nlp.entities import extract_entities, aggregate_entities
    >>> ents = extract_entities("وصل الرئيس السوري أحمد الشرع إلى موسكو، والتقى بوتين.")
    >>> [(e.label, e.canonical) for e in ents]
    [('PER', 'أحمد الشرع'), ('LOC', 'موسكو'), ('PER', 'بوتين')]
    >>> [s.canonical for s in aggregate_entities(ents)]
    ['أحمد الشرع', 'موسكو', 'بوتين']

The model itself is in :mod:`arabnews_nlp.entities.model`; importing this package does not load
spaCy (``load_ner`` and the extraction functions import it on first use).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from arabnews_nlp.entities.aggregate import EntitySummary, aggregate_entities
from arabnews_nlp.entities.canonical import canonical_name, entity_key
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.entities.extract import extract_entities, extract_entities_batch
from arabnews_nlp.entities.render import render_entities

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.entities.model import load_ner

__all__ = [
    "Entity",
    "EntitySummary",
    "aggregate_entities",
    "canonical_name",
    "entity_key",
    "extract_entities",
    "extract_entities_batch",
    "load_ner",
    "render_entities",
]


def __getattr__(name: str) -> Any:
    # The model module imports spaCy; defer it until the loader is actually asked for.
    if name == "load_ner":
        from arabnews_nlp.entities.model import load_ner

        globals()["load_ner"] = load_ner
        return load_ner
    raise AttributeError(f"module 'arabnews_nlp.entities' has no attribute {name!r}")
