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
from pathlib import Path
from typing import TYPE_CHECKING

from arabnews_nlp._lazy import lazy_attributes

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.sections.classifier import SectionClassifier, TermContribution
    from arabnews_nlp.sections.features import ArticleLike, TermAnalyzer
    from arabnews_nlp.sections.persist import ModelFormatError
    from arabnews_nlp.sections.taxonomy import DISPLAY_NAMES, TAXONOMY, display_name, map_label
    from arabnews_nlp.sections.vectors import WordVectors

# Loaded on first use: the classifier imports scikit-learn, and the command line imports
# sections.defaults for its option defaults.
_LAZY = {
    "SectionClassifier": "arabnews_nlp.sections.classifier",
    "TermContribution": "arabnews_nlp.sections.classifier",
    "ArticleLike": "arabnews_nlp.sections.features",
    "TermAnalyzer": "arabnews_nlp.sections.features",
    "ModelFormatError": "arabnews_nlp.sections.persist",
    "DISPLAY_NAMES": "arabnews_nlp.sections.taxonomy",
    "TAXONOMY": "arabnews_nlp.sections.taxonomy",
    "display_name": "arabnews_nlp.sections.taxonomy",
    "map_label": "arabnews_nlp.sections.taxonomy",
    "WordVectors": "arabnews_nlp.sections.vectors",
}

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
    from importlib import resources  # not at import: the command line does not need it

    return Path(str(resources.files("arabnews_nlp") / "models" / "sections"))


@lru_cache(maxsize=1)
def _shipped() -> SectionClassifier:
    from arabnews_nlp.sections.classifier import SectionClassifier

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
    from arabnews_nlp.sections.classifier import SectionClassifier

    return SectionClassifier.load(path)


__getattr__ = lazy_attributes(__name__, _LAZY, globals())
