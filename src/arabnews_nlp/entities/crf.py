"""The CRF entity tagger: training, tagging, and the spaCy component that runs it.

A linear-chain CRF over the hand-written features of :mod:`.features` (word, stem, affixes,
shape, name lists, word clusters, ±2-token window), trained with python-crfsuite and decoded
with the batched numpy decoder of :mod:`.linear_chain` (same tags and marginals, several
times faster on whole articles: :class:`EmissionTable` sums each word type's weights once).
It is a plain spaCy
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

import numpy as np
import pycrfsuite
import scipy.sparse as sp

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.entities.data import PUBLIC_LABELS, Sentence, doc_words, tag_spans
from arabnews_nlp.entities.features import FeatureExtractor, TokenFeatures, strip_clitics
from arabnews_nlp.entities.lexicons import Lexicons
from arabnews_nlp.entities.linear_chain import CRFWeights, Decoded, decode, read_cqdb_keys

__all__ = [
    "CRFEntityRecognizer",
    "CRFTagger",
    "EmissionTable",
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
    """A CRF tagger with its feature extractor: trained by crfsuite, decoded in numpy.

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
        weights = CRFWeights.read(model_path)
        self.extractor.restrict_to(weights.attributes)
        self.weights_ = weights
        self.emissions_ = EmissionTable(self.extractor, weights)
        return self

    def decode(self, sentences: Sequence[Sequence[str]]) -> list[Decoded]:
        """The best label path of each sentence, with each token's confidence in its label."""
        if not hasattr(self, "weights_"):
            raise RuntimeError("the tagger is not trained or opened")
        return decode(self.emissions_.emissions(sentences), self.weights_.transitions)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """IOB2 tags of one sentence."""
        [decoded] = self.decode([tokens])
        labels = self.weights_.labels
        return [labels[i] for i in decoded.labels.tolist()]

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
    """The attribute (feature) strings a crfsuite CRF1d model file knows, by id.

    Reads the attribute table directly: ``Tagger.info()`` gives the same list but dumps the
    whole model as text first, 20 times slower.
    """
    buf = Path(model_path).read_bytes()
    if buf[:4] != b"lCRF" or len(buf) < 48:
        raise ValueError(f"not a crfsuite model: {model_path}")
    (base,) = struct.unpack_from("<I", buf, 36)  # header: offset of the attribute CQDB
    return read_cqdb_keys(buf, base)


class EmissionTable:
    """State scores of word types: what a token adds to each label, summed once per type.

    For every surface form the extractor's cached feature strings (its own, and what it gives
    each window neighbour) become label-score vectors on first sight; a sentence's state
    scores are then array lookups plus the few context features (bigrams, head phrases).

    Args:
        extractor: The feature extractor (restricted to the model's attributes).
        weights: The model's weights.
        limit: Word types kept before the table starts afresh (bounds memory on a long
            stream; about 400 bytes per type).
    """

    def __init__(self, extractor: FeatureExtractor, weights: CRFWeights, limit: int = 200_000):
        self.extractor = extractor
        self.weights = weights
        self.limit = limit
        self._offsets = extractor.offsets
        self._reset()

    def _reset(self) -> None:
        self._rows: dict[str, int] = {}
        self._parts: list[TokenFeatures] = []
        # Per row: the type's own score, then what it gives each window slot.
        self._vectors = np.zeros((1024, 1 + len(self._offsets), self.weights.n_labels))
        self._add([self.extractor.edge])  # row 0 pads every sentence

    def _add(self, parts: list[TokenFeatures]) -> None:
        """Append the score vectors of new word types, all in one sparse product."""
        first, n_slots = len(self._parts), self._vectors.shape[1]
        while first + len(parts) > len(self._vectors):  # grow by doubling
            self._vectors = np.concatenate([self._vectors, np.zeros_like(self._vectors)])
        ids = self.weights.attribute_ids
        segment: list[int] = []
        attribute: list[int] = []
        for j, part in enumerate(parts):
            for k, features in enumerate((part.own, *part.given)):
                segment += [j * n_slots + k] * len(features)
                attribute += [ids[f] for f in features]  # the extractor keeps known ones only
        incidence = sp.csr_matrix(
            (np.ones(len(segment)), (segment, attribute)),
            shape=(len(parts) * n_slots, len(self.weights.attributes)),
        )
        vectors = np.asarray(incidence @ self.weights.state)
        self._vectors[first : first + len(parts)] = vectors.reshape(len(parts), n_slots, -1)
        self._parts += parts

    def _ids(self, tokens: Sequence[str]) -> list[int]:
        rows = self._rows
        new = [t for t in dict.fromkeys(tokens) if t not in rows]
        if new:
            rows.update((t, len(self._parts) + j) for j, t in enumerate(new))
            self._add([self.extractor.token_features(t) for t in new])
        return [rows[t] for t in tokens]

    def emissions(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """One ``(n_tokens, n_labels)`` state-score array per sentence."""
        if len(self._rows) > self.limit:
            self._reset()
        rows = self._ids([t for tokens in sentences for t in tokens])
        lengths = np.array([len(t) for t in sentences], dtype=np.int64)
        w = max((abs(o) for o in self._offsets), default=0)
        # Every sentence in one array of rows with ``w`` edge rows (row 0) around each, so a
        # window lookup never leaves its sentence's padding.
        positions = np.arange(len(rows)) + w * (np.repeat(np.arange(len(lengths)), lengths) + 1)
        flat = np.zeros(len(rows) + w * (len(lengths) + 1), dtype=np.int64)
        flat[positions] = rows
        scores = self._vectors[rows, 0]
        for k, offset in enumerate(self._offsets, start=1):
            scores += self._vectors[flat[positions + offset], k]
        self._add_context(lengths.tolist(), rows, scores)
        bounds = np.cumsum([0, *lengths.tolist()])
        return [scores[bounds[i] : bounds[i + 1]] for i in range(len(lengths))]

    def _add_context(self, lengths: list[int], rows: list[int], scores: np.ndarray) -> None:
        """Add the bigram and head-phrase features, which depend on the neighbours' forms."""
        ids = self.weights.attribute_ids
        token_index: list[int] = []
        attribute: list[int] = []
        start = 0
        for length in lengths:
            parts = [self._parts[r] for r in rows[start : start + length]]
            for i, features in enumerate(self.extractor.context_features(parts), start=start):
                for f in features:
                    token_index.append(i)
                    attribute.append(ids[f])
            start += length
        if token_index:
            np.add.at(scores, np.asarray(token_index), self.weights.state[attribute])


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
        [done] = self.pipe([doc])
        return done

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterable[Any]:
        """Tag docs in batches: the sentences of a whole batch are decoded together."""
        from itertools import islice

        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            yield from self._tag_batch(batch)

    def _tag_batch(self, docs: list[Any]) -> list[Any]:
        from spacy.attrs import IS_SPACE
        from spacy.tokens import Span

        if self.tagger is None:
            raise RuntimeError(f"component {self.name!r} has no model: load it with from_disk")
        sentences: list[list[str]] = []
        slices: list[list[list[int]]] = []
        for doc in docs:
            words = doc_words(doc)
            is_space = [bool(space) for space in doc.to_array(IS_SPACE).tolist()]
            slices.append(sentence_slices(words, is_space))
            sentences += [[words[i] for i in indices] for indices in slices[-1]]
        decoded = iter(self.tagger.decode(sentences))
        labels = self.tagger.weights_.labels
        for doc, doc_slices in zip(docs, slices, strict=True):
            ents = []
            for indices in doc_slices:
                path = next(decoded)
                tags = [labels[i] for i in path.labels.tolist()]
                for label, start, end in tag_spans(tags):
                    if label not in self.labels:
                        continue
                    span = Span(doc, indices[start], indices[end - 1] + 1, label=label)
                    # Confidence of the entity: the lowest marginal of its tags.
                    span._.score = float(path.confidence[start:end].min())
                    ents.append(span)
            doc.ents = ents
        return docs

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
