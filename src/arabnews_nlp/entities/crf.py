"""The CRF entity tagger: training, tagging, and the spaCy component that runs it.

A linear-chain CRF (python-crfsuite) over the hand-written features of :mod:`.features` (word,
stem, affixes, shape, name lists, word clusters, ±2-token window). It is a plain spaCy
component (``arabnews_crf_ner``) that sets ``doc.ents`` to ``PER``/``LOC``/``ORG`` spans and
``span._.score`` to a confidence in [0, 1]: the smallest per-token marginal probability of the
span's tags.

Example:
    >>> tagger = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    >>> tagger.tag(["زار", "ماكرون", "بيروت", "."])
    ['O', 'B-PER', 'B-LOC', 'O']
"""

from __future__ import annotations

import json
import struct
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import pycrfsuite

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.entities.data import PUBLIC_LABELS, Sentence, doc_words, tag_spans
from arabnews_nlp.entities.features import FeatureExtractor, strip_clitics
from arabnews_nlp.entities.lexicons import Lexicons

__all__ = [
    "CRFEntityRecognizer",
    "CRFTagger",
    "FeatureExtractor",
    "model_attributes",
    "register_component",
    "sentence_slices",
    "strip_clitics",
]

_SENTENCE_END = {".", "!", "?", "؟"}
#: The shipped model's component folder (crf.model and its tables).
DEFAULT_COMPONENT_DIR = Path(__file__).resolve().parents[1] / "models" / "ner" / "arabnews_crf_ner"
MODEL_FILE = "crf.model"
CLUSTERS_FILE = "clusters.tsv.gz"
LEXICONS_FILE = "lexicons.json.gz"
CONFIG_FILE = "features.json"


class CRFTagger:
    """A python-crfsuite tagger with its feature extractor.

    Args:
        extractor: the feature extractor.
        c1: L1 regularization (sparsity).
        c2: L2 regularization.
        max_iterations: L-BFGS iterations.
    """

    def __init__(
        self,
        extractor: FeatureExtractor,
        c1: float = 0.05,
        c2: float = 0.01,
        max_iterations: int = 200,
    ) -> None:
        self.extractor = extractor
        self.c1 = c1
        self.c2 = c2
        self.max_iterations = max_iterations
        self.tagger_: pycrfsuite.Tagger | None = None

    def fit(self, sentences: Iterable[Sentence], model_path: str | Path) -> CRFTagger:
        """Train on tagged sentences and write the crfsuite model to ``model_path``."""
        trainer = pycrfsuite.Trainer(verbose=False)
        self.extractor.restrict_to(None)  # training needs every candidate feature
        for sentence in sentences:
            trainer.append(self.extractor.sentence_features(sentence.tokens), sentence.tags)
        trainer.set_params(
            {
                "c1": self.c1,
                "c2": self.c2,
                "max_iterations": self.max_iterations,
                "feature.possible_transitions": True,
            }
        )
        trainer.train(str(model_path))
        return self.open(model_path)

    def open(self, model_path: str | Path) -> CRFTagger:
        """Load a trained crfsuite model file (and restrict the features to its attributes)."""
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
        try:
            attributes = model_attributes(model_path)
        except ValueError:  # not the layout this reader knows: ask crfsuite (slower)
            attributes = list(tagger.info().attributes)
        self.extractor.restrict_to(attributes)
        self.tagger_ = tagger
        return self

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """IOB2 tags of one sentence."""
        if not tokens:
            return []
        if self.tagger_ is None:
            raise RuntimeError("the tagger is not trained or opened")
        return list(self.tagger_.tag(self.extractor.sentence_features(tokens)))

    def span_score(self, tags: Sequence[str], start: int, end: int) -> float:
        """Confidence of an entity just tagged by :meth:`tag`: the lowest marginal of its tags."""
        assert self.tagger_ is not None
        return min(self.tagger_.marginal(tags[i], i) for i in range(start, end))

    def save_tables(self, directory: Path) -> None:
        """Write the feature settings and the cluster/lexicon tables next to the model."""
        fx = self.extractor
        (directory / CONFIG_FILE).write_text(json.dumps(fx.config(), indent=2) + "\n")
        if fx.clusters is not None:
            fx.clusters.save(directory / CLUSTERS_FILE)
        if fx.lexicons is not None:
            fx.lexicons.save(directory / LEXICONS_FILE)

    @classmethod
    def from_directory(cls, directory: str | Path) -> CRFTagger:
        """Load a tagger saved as ``crf.model`` + tables (see :meth:`save_tables`)."""
        directory = Path(directory)
        config = json.loads((directory / CONFIG_FILE).read_text())
        clusters_path, lexicons_path = directory / CLUSTERS_FILE, directory / LEXICONS_FILE
        extractor = FeatureExtractor(
            clusters=ClusterTable.load(clusters_path) if clusters_path.exists() else None,
            lexicons=Lexicons.load(lexicons_path) if lexicons_path.exists() else None,
            window=config.get("window", 2),
            near_window=config.get("near_window", 1),
            cluster_bigrams=config.get("cluster_bigrams", False),
            head_phrase=config.get("head_phrase", False),
        )
        return cls(extractor).open(directory / MODEL_FILE)


def model_attributes(model_path: str | Path) -> list[str]:
    """The attribute (feature) strings a crfsuite CRF1d model file knows.

    Reads the attribute CQDB's backward array (id → key) directly: ``Tagger.info()`` gives the
    same list but dumps the whole model as text first, 20 times slower.
    """
    buf = Path(model_path).read_bytes()
    if buf[:4] != b"lCRF" or len(buf) < 48:
        raise ValueError(f"not a crfsuite model: {model_path}")
    (base,) = struct.unpack_from("<I", buf, 36)  # header: offset of the attribute CQDB
    if buf[base : base + 4] != b"CQDB":
        raise ValueError(f"no attribute table where expected in {model_path}")
    bwd_size, bwd_offset = struct.unpack_from("<II", buf, base + 16)
    keys = []
    for offset in struct.unpack_from(f"<{bwd_size}I", buf, base + bwd_offset):
        if offset:  # record: id, key size (with the NUL), key
            (size,) = struct.unpack_from("<I", buf, base + offset + 4)
            keys.append(buf[base + offset + 8 : base + offset + 7 + size].decode("utf-8"))
    return keys


def sentence_slices(words: Sequence[str], is_space: Sequence[bool]) -> list[list[int]]:
    """Token indices of each sentence: a break after ``. ! ? ؟`` and at line breaks.

    Whitespace tokens are left out (the training data has none).
    """
    sentences: list[list[int]] = []
    current: list[int] = []
    for i, word in enumerate(words):
        if is_space[i]:
            if "\n" in word and current:
                sentences.append(current)
                current = []
            continue
        current.append(i)
        if word in _SENTENCE_END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


# ------------------------------------------------------------------ spaCy component
def register_component() -> None:
    """Register the ``arabnews_crf_ner`` factory and ``Span._.score`` with spaCy (idempotent)."""
    from spacy.language import Language
    from spacy.tokens import Span

    if not Span.has_extension("score"):
        Span.set_extension("score", default=None)
    if "arabnews_crf_ner" in Language.factories:
        return

    @Language.factory(
        "arabnews_crf_ner",
        default_config={"labels": list(PUBLIC_LABELS)},
    )
    def make(nlp: Language, name: str, labels: list[str]) -> CRFEntityRecognizer:
        return CRFEntityRecognizer(name=name, labels=labels)


class CRFEntityRecognizer:
    """spaCy pipeline component that runs a :class:`CRFTagger` and sets ``doc.ents``.

    Only ``labels`` (default ``PER``/``LOC``/``ORG``) reach ``doc.ents``; the tagger's ``MISC``
    spans are dropped. Each entity gets ``span._.score``. The model files are read by
    :meth:`from_disk` (which ``spacy.load`` calls on the pipeline directory).
    """

    def __init__(
        self, name: str = "arabnews_crf_ner", labels: Sequence[str] = PUBLIC_LABELS
    ) -> None:
        self.name = name
        self.labels = tuple(labels)
        self.tagger: CRFTagger | None = None
        self._source: Path | None = None

    def __call__(self, doc: Any) -> Any:
        from spacy.tokens import Span

        if self.tagger is None:
            raise RuntimeError(f"component {self.name!r} has no model: load it with from_disk")
        from spacy.attrs import IS_SPACE

        words = doc_words(doc)
        is_space = [bool(space) for space in doc.to_array(IS_SPACE).tolist()]
        ents = []
        for indices in sentence_slices(words, is_space):
            tags = self.tagger.tag([words[i] for i in indices])
            for label, start, end in tag_spans(tags):
                if label not in self.labels:
                    continue
                span = Span(doc, indices[start], indices[end - 1] + 1, label=label)
                span._.score = self.tagger.span_score(tags, start, end)
                ents.append(span)
        doc.ents = ents
        return doc

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterable[Any]:
        for doc in docs:
            yield self(doc)

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copy the model files into ``path`` (the component's folder in a pipeline)."""
        import shutil

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self._source is None:
            raise RuntimeError("nothing to save: the component was not loaded from disk")
        if self._source.resolve() != path.resolve():
            for name in (MODEL_FILE, CONFIG_FILE, CLUSTERS_FILE, LEXICONS_FILE):
                if (self._source / name).exists():
                    shutil.copyfile(self._source / name, path / name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CRFEntityRecognizer:
        """Load ``crf.model`` and its tables from ``path``."""
        self._source = Path(path)
        self.tagger = CRFTagger.from_directory(self._source)
        return self
