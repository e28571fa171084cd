"""arabnews-nlp: Arabic news analysis — normalization, entities, sections, related articles.

Everything runs offline: the trained models ship inside the package.

Example:
    >>> import arabnews_nlp as an
    >>> an.normalize("الْعَرَبِيَّة", profile="search")
    'العربيه'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from arabnews_nlp._lazy import lazy_attributes
from arabnews_nlp._version import __version__
from arabnews_nlp.article import Article
from arabnews_nlp.normalize import NormalizedText, Normalizer, normalize

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.corpus import read_articles, write_articles
    from arabnews_nlp.entities import Entity, extract_entities, load_ner
    from arabnews_nlp.related import RelatedIndex
    from arabnews_nlp.sections import SectionClassifier, load_section_model
    from arabnews_nlp.tokenize import Token, segment_clitics, split_sentences, tokenize

# Heavy capabilities (spaCy, models) load on first use, so `import arabnews_nlp` stays fast.
_LAZY = {
    "tokenize": "arabnews_nlp.tokenize",
    "Token": "arabnews_nlp.tokenize",
    "split_sentences": "arabnews_nlp.tokenize",
    "segment_clitics": "arabnews_nlp.tokenize",
    "read_articles": "arabnews_nlp.corpus",
    "write_articles": "arabnews_nlp.corpus",
    "extract_entities": "arabnews_nlp.entities",
    "load_ner": "arabnews_nlp.entities",
    "Entity": "arabnews_nlp.entities",
    "SectionClassifier": "arabnews_nlp.sections",
    "load_section_model": "arabnews_nlp.sections",
    "RelatedIndex": "arabnews_nlp.related",
}

__all__ = [
    "Article",
    "Entity",
    "NormalizedText",
    "Normalizer",
    "RelatedIndex",
    "SectionClassifier",
    "Token",
    "__version__",
    "extract_entities",
    "load_ner",
    "load_section_model",
    "normalize",
    "read_articles",
    "segment_clitics",
    "split_sentences",
    "tokenize",
    "write_articles",
]


__getattr__ = lazy_attributes(__name__, _LAZY, globals())
