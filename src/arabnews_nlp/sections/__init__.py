"""Section classification: which section (politics, economy, sports...) an article belongs to.

Example:
    >>> from arabnews_nlp.sections import load_section_model, display_name
    >>> model = load_section_model()
    >>> article = {"title": "المنتخب يفوز بهدفين", "body": "سجل المهاجم هدفين في المباراة."}
    >>> section = model.predict([article]).tolist()[0]
    >>> section, display_name(section)
    ('sports', 'رياضة')
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

from arabnews_nlp.sections.classifier import SectionClassifier, TermContribution
from arabnews_nlp.sections.features import ArticleLike, TermAnalyzer
from arabnews_nlp.sections.persist import ModelFormatError
from arabnews_nlp.sections.taxonomy import DISPLAY_NAMES, TAXONOMY, display_name, map_label
from arabnews_nlp.sections.vectors import WordVectors

__all__ = [
    "DISPLAY_NAMES",
    "TAXONOMY",
    "ArticleLike",
    "ModelFormatError",
    "SectionClassifier",
    "TermAnalyzer",
    "TermContribution",
    "WordVectors",
    "default_model_dir",
    "display_name",
    "load_section_model",
    "map_label",
]


def default_model_dir() -> Path:
    """The folder of the shipped model (inside the installed package)."""
    return Path(str(resources.files("arabnews_nlp") / "models" / "sections"))


@lru_cache(maxsize=1)
def _shipped() -> SectionClassifier:
    return SectionClassifier.load(default_model_dir())


def load_section_model(path: str | Path | None = None) -> SectionClassifier:
    """Load a section model: the shipped default, or the one saved in ``path``.

    The shipped model is loaded once and shared; treat it as read-only.

    Example:
        >>> load_section_model().classes_.tolist()
        ['culture', 'economy', 'politics', 'sports', 'technology']
    """
    if path is None:
        return _shipped()
    return SectionClassifier.load(path)
