"""The names and places of the shipped NER pipeline, importable without spaCy.

The spaCy registrations under these names are in :mod:`arabnews_nlp.entities.components`.
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "COMPONENT_NAME",
    "CRF_MODEL_DIR",
    "DEFAULT_COMPONENT_DIR",
    "DEFAULT_MODEL_DIR",
    "ENSEMBLE_COMPONENT_DIR",
    "ENSEMBLE_COMPONENT_NAME",
    "ENSEMBLE_MODEL_DIR",
    "NEURAL_COMPONENT_DIR",
    "NEURAL_COMPONENT_NAME",
    "NEURAL_MODEL_DIR",
    "SCORE_EXTENSION",
    "TOKENIZER_NAME",
]

#: The factory name of the CRF entity recognizer, which is also its name (and its folder's)
#: in the shipped pipeline.
COMPONENT_NAME = "arabnews_crf_ner"
#: The registered name of :class:`~arabnews_nlp.entities.tokenizer.NewsTokenizer`.
TOKENIZER_NAME = "arabnews.news_tokenizer.v1"
#: ``span._.score``: the model's confidence in an entity, in [0, 1].
SCORE_EXTENSION = "score"
#: Where the CRF pipeline ships inside the package (``load_ner("crf")``).
CRF_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
#: The shipped CRF component's folder (``crf.model`` and its tables: the name lists and word
#: clusters that the rest of the package reads too).
DEFAULT_COMPONENT_DIR = CRF_MODEL_DIR / COMPONENT_NAME
#: The factory name (and folder) of the neural entity recognizer.
NEURAL_COMPONENT_NAME = "arabnews_neural_ner"
#: Where the neural pipeline ships (``load_ner("neural")``).
NEURAL_MODEL_DIR = CRF_MODEL_DIR.parent / "ner-neural"
#: The shipped neural component's folder (``neural.npz``, ``subwords.npz``).
NEURAL_COMPONENT_DIR = NEURAL_MODEL_DIR / NEURAL_COMPONENT_NAME
#: The factory name (and folder) of the ensemble recognizer (CRF and neural marginals averaged).
ENSEMBLE_COMPONENT_NAME = "arabnews_ensemble_ner"
#: Where the ensemble pipeline ships (``load_ner("ensemble")``).
ENSEMBLE_MODEL_DIR = CRF_MODEL_DIR.parent / "ner-ensemble"
#: The shipped ensemble component's folder (``ensemble.json``: its members and their weights).
ENSEMBLE_COMPONENT_DIR = ENSEMBLE_MODEL_DIR / ENSEMBLE_COMPONENT_NAME
#: The pipeline ``load_ner()`` and ``extract_entities`` use by default: the ensemble.
DEFAULT_MODEL_DIR = ENSEMBLE_MODEL_DIR
