"""The shipped NER pipelines: a spaCy ``Language`` with a news tokenizer and one entity component.

``load_ner()`` reads the default pipeline that ships in ``arabnews_nlp/models/ner-ensemble``
(the CRF and the neural tagger averaged; offline, about two seconds); ``load_ner("crf")`` the
CRF alone (the fastest), ``load_ner("neural")`` the neural tagger alone; ``load_ner(path)``
reads one written by ``arabnews train ner``. The pipeline is a
regular spaCy directory: its tokenizer and component are registered through the package's
entry points (:mod:`.components`), so ``spacy.load(path)`` works as well, in any interpreter.

Example:
    >>> from arabnews_nlp.entities.model import load_ner
    >>> nlp = load_ner()
    >>> doc = nlp("التقى الرئيس الفرنسي إيمانويل ماكرون نظيره اللبناني في بيروت.")
    >>> [(e.text, e.label_) for e in doc.ents]
    [('إيمانويل ماكرون', 'PER'), ('بيروت', 'LOC')]
    >>> all(0.0 <= e._.score <= 1.0 for e in doc.ents)
    True
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from arabnews_nlp.entities.constants import (
    COMPONENT_NAME,
    CRF_MODEL_DIR,
    DEFAULT_MODEL_DIR,
    ENSEMBLE_COMPONENT_NAME,
    ENSEMBLE_MODEL_DIR,
    NEURAL_COMPONENT_NAME,
    NEURAL_MODEL_DIR,
    TOKENIZER_NAME,
)

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["CRF_MODEL_DIR", "DEFAULT_MODEL_DIR", "MODELS", "build_pipeline", "load_ner"]

#: The shipped pipelines, by name (``load_ner("neural")``).
MODELS = {"crf": CRF_MODEL_DIR, "neural": NEURAL_MODEL_DIR, "ensemble": ENSEMBLE_MODEL_DIR}

#: How :func:`build_pipeline` describes each component in the pipeline's meta.
_KINDS = {
    COMPONENT_NAME: "CRF",
    NEURAL_COMPONENT_NAME: "neural (BiLSTM-CRF)",
    ENSEMBLE_COMPONENT_NAME: "CRF + neural ensemble",
}


def _register() -> None:
    """Make sure the tokenizer and the component are registered, also in a source tree that is
    not installed (no entry points)."""
    import arabnews_nlp.entities.components  # noqa: F401


def build_pipeline(component_dir: str | Path, component: str = COMPONENT_NAME) -> Language:
    """A blank Arabic pipeline with the news tokenizer and the model found in ``component_dir``
    (for the CRF a folder holding ``crf.model`` and its tables, as written by the trainer; for
    ``component="arabnews_neural_ner"`` one written by ``NeuralTagger.save``; for
    ``"arabnews_ensemble_ner"`` one holding an ``ensemble.json``)."""
    import spacy

    _register()
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    pipe: Any = nlp.add_pipe(component)
    pipe.from_disk(component_dir)
    kind = _KINDS.get(component, component)
    nlp.meta.update(
        {
            "name": "arabnews_ner",
            "description": f"{kind} entity tagger for Arabic news",
            # The weights inherit ANERcorp's share-alike licence (see models/LICENSE).
            "license": "CC BY-SA 4.0",
        }
    )
    return nlp


def load_ner(path: str | Path | None = None) -> Language:
    """Load the NER pipeline (the shipped one by default); ``doc.ents`` are PER/LOC/ORG spans
    with ``span._.score``. Each call returns a new pipeline: keep it and reuse it.

    ``path`` is a pipeline folder or the name of a shipped one (:data:`MODELS`): ``"ensemble"``
    (the default: the CRF and the neural tagger averaged, the most accurate), ``"crf"`` (the
    fastest) or ``"neural"``.
    """
    import spacy

    _register()
    if path is None:
        directory = DEFAULT_MODEL_DIR
    elif isinstance(path, str) and path in MODELS:
        directory = MODELS[path]
    else:
        directory = Path(path)
    if not (directory / "config.cfg").exists():
        raise FileNotFoundError(f"no NER pipeline in {directory} (run `arabnews train ner`)")
    return spacy.load(directory)
