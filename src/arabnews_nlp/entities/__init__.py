"""Named entities: the shipped NER pipeline, extraction at original offsets, article summaries.

Example:
    >>> from arabnews_nlp.entities import extract_entities, aggregate_entities
    >>> ents = extract_entities("وصل الرئيس السوري أحمد الشرع إلى موسكو، والتقى بوتين.")
    >>> [(e.label, e.canonical) for e in ents]
    [('PER', 'أحمد الشرع'), ('LOC', 'موسكو'), ('PER', 'بوتين')]
    >>> [s.canonical for s in aggregate_entities(ents)]
    ['أحمد الشرع', 'موسكو', 'بوتين']

The model itself is in :mod:`arabnews_nlp.entities.model`; importing this package loads none of
its modules (each name is imported on first use) and so not spaCy.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from arabnews_nlp._lazy import lazy_attributes

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.entities.aggregate import EntitySummary, aggregate_entities
    from arabnews_nlp.entities.canonical import canonical_name, entity_key
    from arabnews_nlp.entities.entity import Entity
    from arabnews_nlp.entities.extract import extract_entities, extract_entities_batch
    from arabnews_nlp.entities.model import load_ner
    from arabnews_nlp.entities.render import render_entities

# Loaded on first use: the model module imports spaCy, and the command line and spaCy's
# entry-point scan import submodules (recipe, constants, components) that need none of these.
_LAZY = {
    "EntitySummary": "arabnews_nlp.entities.aggregate",
    "aggregate_entities": "arabnews_nlp.entities.aggregate",
    "canonical_name": "arabnews_nlp.entities.canonical",
    "entity_key": "arabnews_nlp.entities.canonical",
    "Entity": "arabnews_nlp.entities.entity",
    "extract_entities": "arabnews_nlp.entities.extract",
    "extract_entities_batch": "arabnews_nlp.entities.extract",
    "load_ner": "arabnews_nlp.entities.model",
    "render_entities": "arabnews_nlp.entities.render",
}

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

__getattr__ = lazy_attributes(__name__, _LAZY, globals())
