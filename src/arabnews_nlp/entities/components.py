"""What the package registers with spaCy: the NER component factory and the news tokenizer.

spaCy finds both through the package's entry points (``spacy_factories`` and
``spacy_tokenizers`` in ``pyproject.toml``), so a fresh interpreter can ``spacy.load()`` a
pipeline written by ``arabnews train ner`` (or the shipped one) and add the component to any
Arabic pipeline without importing ``arabnews_nlp`` first. Importing this module registers them
too, for an uninstalled source tree. It stays light: the CRF (python-crfsuite) is imported when
a component is made, not when spaCy scans its entry points.

A component added without loading a pipeline folder runs the weights shipped in the package:

Example:
    >>> import spacy
    >>> nlp = spacy.blank("ar")
    >>> ner = nlp.add_pipe(COMPONENT_NAME)
    >>> [(e.text, e.label_) for e in nlp("زار ماكرون بيروت .").ents]
    [('ماكرون', 'PER'), ('بيروت', 'LOC')]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from spacy.language import Language
from spacy.tokens import Span
from spacy.util import registry

from arabnews_nlp.entities.constants import (
    COMPONENT_NAME,
    ENSEMBLE_COMPONENT_NAME,
    NEURAL_COMPONENT_NAME,
    SCORE_EXTENSION,
    TOKENIZER_NAME,
)
from arabnews_nlp.entities.data import PUBLIC_LABELS
from arabnews_nlp.entities.tokenizer import NewsTokenizer

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.entities.crf import CRFEntityRecognizer
    from arabnews_nlp.entities.ensemble import EnsembleEntityRecognizer
    from arabnews_nlp.entities.neural import NeuralEntityRecognizer

__all__ = [
    "COMPONENT_NAME",
    "ENSEMBLE_COMPONENT_NAME",
    "NEURAL_COMPONENT_NAME",
    "TOKENIZER_NAME",
    "create_news_tokenizer",
    "make_crf_ner",
    "make_ensemble_ner",
    "make_neural_ner",
]


def _set_score_extension() -> None:
    # Another package may own an extension of that name already: then it is left as it is.
    if not Span.has_extension(SCORE_EXTENSION):
        Span.set_extension(SCORE_EXTENSION, default=None)


@Language.factory(COMPONENT_NAME, default_config={"labels": list(PUBLIC_LABELS)})
def make_crf_ner(nlp: Language, name: str, labels: list[str]) -> CRFEntityRecognizer:
    """Make the CRF entity recognizer (``nlp.add_pipe("arabnews_crf_ner")``).

    ``spacy.load`` then reads its model files with ``from_disk``; a component that never loads
    any runs the shipped model. Only ``labels`` reach ``doc.ents``.
    """
    from arabnews_nlp.entities.crf import CRFEntityRecognizer

    _set_score_extension()
    return CRFEntityRecognizer(name=name, labels=labels)


@Language.factory(NEURAL_COMPONENT_NAME, default_config={"labels": list(PUBLIC_LABELS)})
def make_neural_ner(nlp: Language, name: str, labels: list[str]) -> NeuralEntityRecognizer:
    """Make the neural entity recognizer (``nlp.add_pipe("arabnews_neural_ner")``): the same
    output as the CRF component, from the BiLSTM-CRF of :mod:`arabnews_nlp.entities.neural`."""
    from arabnews_nlp.entities.neural import NeuralEntityRecognizer

    _set_score_extension()
    return NeuralEntityRecognizer(name=name, labels=labels)


@Language.factory(ENSEMBLE_COMPONENT_NAME, default_config={"labels": list(PUBLIC_LABELS)})
def make_ensemble_ner(nlp: Language, name: str, labels: list[str]) -> EnsembleEntityRecognizer:
    """Make the ensemble entity recognizer (``nlp.add_pipe("arabnews_ensemble_ner")``): the
    CRF's and the neural tagger's marginals averaged, decoded as one valid IOB2 path."""
    from arabnews_nlp.entities.ensemble import EnsembleEntityRecognizer

    _set_score_extension()
    return EnsembleEntityRecognizer(name=name, labels=labels)


@registry.tokenizers(TOKENIZER_NAME)
def create_news_tokenizer() -> Callable[[Language], NewsTokenizer]:
    """The tokenizer of the NER training corpora (``[nlp.tokenizer]`` in a pipeline's config)."""

    def make(nlp: Language) -> NewsTokenizer:
        return NewsTokenizer(nlp.vocab)

    return make
