"""The shipped NER pipeline: a spaCy ``Language`` with a news tokenizer and the CRF component.

``load_ner()`` reads the pipeline that ships in ``arabnews_nlp/models/ner`` (offline, well under
a second); ``load_ner(path)`` reads one written by ``arabnews train ner``. The pipeline is a
regular spaCy directory, so once this module is imported ``spacy.load(path)`` works too.

Example:
    >>> from arabnews_nlp.entities.model import load_ner
    >>> nlp = load_ner()
    >>> doc = nlp("التقى الرئيس الفرنسي إيمانويل ماكرون نظيره اللبناني في بيروت.")
    >>> [(e.text, e.label_) for e in doc.ents]  # doctest: +SKIP
    [('إيمانويل ماكرون', 'PER'), ('بيروت', 'LOC')]
    >>> all(0.0 <= e._.score <= 1.0 for e in doc.ents)
    True
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arabnews_nlp.entities.crf import register_component
from arabnews_nlp.entities.data import WORDS_KEY, token_spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

__all__ = ["DEFAULT_MODEL_DIR", "MODELS", "NewsTokenizer", "build_pipeline", "load_ner"]

#: Where the trained pipeline ships inside the package.
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[1] / "models" / "ner"
#: The shipped pipelines, by name (``load_ner("neural")``).
MODELS = {
    "crf": DEFAULT_MODEL_DIR,
    "neural": DEFAULT_MODEL_DIR.parent / "ner-neural",
}
TOKENIZER_NAME = "arabnews.news_tokenizer.v1"
COMPONENT_NAME = "arabnews_crf_ner"


class NewsTokenizer:
    """Splits text the way the NER training corpora are tokenized.

    Punctuation stands alone, clitics stay attached, numbers keep their decimal point (see
    :data:`arabnews_nlp.entities.data.TOKEN_RE`). Runs of whitespace other than one space become
    whitespace tokens, so ``doc.text`` is always the input string and offsets are exact.

    >>> import spacy
    >>> tok = NewsTokenizer(spacy.blank("ar").vocab)
    >>> [t.text for t in tok("قال: «نعم»، في  2.5%")]
    ['قال', ':', '«', 'نعم', '»', '،', 'في', ' ', '2.5%']
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        from spacy.tokens import Doc

        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for start, end in [*token_spans(text), (len(text), len(text))]:
            gap = text[pos:start]
            if gap.startswith(" ") and words:
                spaces[-1] = True
                gap = gap[1:]
            if gap:
                words.append(gap)
                spaces.append(False)
            if end > start:
                words.append(text[start:end])
                spaces.append(False)
            pos = end
        doc = Doc(self.vocab, words=words, spaces=spaces)
        doc.user_data[WORDS_KEY] = tuple(words)
        return doc

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterable[Doc]:
        for text in texts:
            yield self(text)

    # The tokenizer has no state: serialization only records what it is.
    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return json.dumps({"tokenizer": TOKENIZER_NAME}).encode()

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> NewsTokenizer:
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> NewsTokenizer:
        return self


def _register() -> None:
    """Register the tokenizer and the CRF component with spaCy's registries (idempotent)."""
    import spacy

    register_component()
    if TOKENIZER_NAME not in spacy.registry.tokenizers:

        def create_tokenizer() -> Any:
            return lambda nlp: NewsTokenizer(nlp.vocab)

        spacy.registry.tokenizers(TOKENIZER_NAME, func=create_tokenizer)


def build_pipeline(component_dir: str | Path, component: str = COMPONENT_NAME) -> Language:
    """A blank Arabic pipeline with the news tokenizer and the model found in ``component_dir``
    (for the CRF a folder holding ``crf.model`` and its tables, as written by the trainer; for
    ``component="arabnews_neural_ner"`` one written by ``NeuralTagger.save``)."""
    import spacy

    _register()
    nlp = spacy.blank("ar", config={"nlp": {"tokenizer": {"@tokenizers": TOKENIZER_NAME}}})
    pipe: Any = nlp.add_pipe(component)
    pipe.from_disk(component_dir)
    kind = "CRF" if component == COMPONENT_NAME else "neural (BiLSTM-CRF)"
    nlp.meta.update(
        {"name": "arabnews_ner", "description": f"{kind} entity tagger for Arabic news"}
    )
    return nlp


def load_ner(path: str | Path | None = None) -> Language:
    """Load the NER pipeline (the shipped one by default); ``doc.ents`` are PER/LOC/ORG spans
    with ``span._.score``. Each call returns a new pipeline: keep it and reuse it.

    ``path`` is a pipeline folder or the name of a shipped one: ``"crf"`` (the default,
    fastest) or ``"neural"`` (see :data:`MODELS`).
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
