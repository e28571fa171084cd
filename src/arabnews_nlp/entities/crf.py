"""The CRF entity tagger: training, tagging, and the spaCy component that runs it.

A linear-chain CRF over the hand-written features of :mod:`.features` (word, stem, affixes,
shape, name lists, word clusters, ±2-token window), trained with python-crfsuite and decoded
with the batched numpy decoder of :mod:`.linear_chain` (crfsuite's tags and marginals, without
a call per sentence; :class:`EmissionTable` sums each word type's weights once). It is a plain
spaCy component (``arabnews_crf_ner``, registered by :mod:`.components`) that sets ``doc.ents``
to ``PER``/``LOC``/``ORG`` spans and ``span._.score`` to a confidence in [0, 1]: the smallest
per-token marginal probability of the span's tags.

Example:
    >>> tagger = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    >>> tagger.tag(["زار", "ماكرون", "بيروت", "."])
    ['O', 'B-PER', 'B-LOC', 'O']
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from functools import cached_property
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pycrfsuite

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.entities.constants import COMPONENT_NAME, DEFAULT_COMPONENT_DIR
from arabnews_nlp.entities.data import (
    _NER_SENTENCE_END,
    PUBLIC_LABELS,
    Sentence,
    doc_words,
    tag_spans,
)
from arabnews_nlp.entities.emissions import EmissionTable
from arabnews_nlp.entities.features import FeatureExtractor
from arabnews_nlp.entities.lexicons import Lexicons
from arabnews_nlp.entities.linear_chain import CRFWeights, Decoded, decode, posteriors
from arabnews_nlp.files import atomic_file

__all__ = [
    "CRFEntityRecognizer",
    "CRFTagger",
    "model_attributes",
    "sentence_slices",
]

#: Decimals of ``span._.score``.
SCORE_DECIMALS = 6
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

    @property
    def lexicons(self) -> Lexicons | None:
        """The name lists the features read, if any."""
        return self.extractor.lexicons

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

    @property
    def labels(self) -> tuple[str, ...]:
        """Tag names, by id."""
        return self.weights_.labels

    def decode(self, sentences: Sequence[Sequence[str]]) -> list[Decoded]:
        """The best label path of each sentence, with each token's confidence in its label."""
        if not hasattr(self, "weights_"):
            raise RuntimeError("the tagger is not trained or opened")
        return decode(self.emissions_.emissions(sentences), self.weights_.transitions)

    def marginals(self, sentences: Sequence[Sequence[str]]) -> list[np.ndarray]:
        """Per sentence, ``(tokens, labels)`` marginal probabilities (labels as ``weights_``)."""
        if not hasattr(self, "weights_"):
            raise RuntimeError("the tagger is not trained or opened")
        return posteriors(self.emissions_.emissions(sentences), self.weights_.transitions)

    def tag(self, tokens: Sequence[str]) -> list[str]:
        """IOB2 tags of one sentence."""
        [decoded] = self.decode([tokens])
        labels = self.weights_.labels
        return [labels[i] for i in decoded.labels.tolist()]

    def save_tables(self, directory: Path) -> None:
        """Write the feature settings and the cluster/lexicon tables next to the model."""
        fx = self.extractor
        with atomic_file(directory / CONFIG_FILE) as fh:
            fh.write(json.dumps(fx.config(), indent=2) + "\n")
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
            stemmer=config.get("stemmer", "crf"),
            org_phrases=config.get("org_phrases", False),
        )
        return cls(extractor).open(directory / MODEL_FILE)


def model_attributes(model_path: str | Path) -> list[str]:
    """The attribute (feature) strings a crfsuite CRF1d model file knows, by id.

    Read from the file (see :class:`CRFWeights`): ``Tagger.info()`` gives the same list but
    dumps the whole model as text first, 20 times slower.
    """
    return list(CRFWeights.read(model_path).attributes)


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
        if word in _NER_SENTENCE_END:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


# ------------------------------------------------------------------ spaCy component
class CRFEntityRecognizer:
    """spaCy pipeline component that runs a :class:`CRFTagger` and sets ``doc.ents``.

    Only ``labels`` (default ``PER``/``LOC``/``ORG``) reach ``doc.ents``; the tagger's ``MISC``
    spans are dropped. Each entity gets ``span._.score``. The model files are read by
    :meth:`from_disk` (which ``spacy.load`` calls on the pipeline directory); a component that
    reads none runs the model shipped in the package, loaded on first use.

    Subclasses run other taggers (anything with ``labels`` and ``decode``): they set
    :attr:`files`, :attr:`default_dir` and :meth:`load_tagger` (the neural component).
    """

    #: The files of a saved model (what :meth:`to_disk` copies).
    files: tuple[str, ...] = (MODEL_FILE, CONFIG_FILE, CLUSTERS_FILE, LEXICONS_FILE)
    #: The model a component runs when it reads none.
    default_dir: Path = DEFAULT_COMPONENT_DIR
    #: The component's name when none is given (its factory's name).
    default_name: str = COMPONENT_NAME

    def __init__(self, name: str | None = None, labels: Sequence[str] = PUBLIC_LABELS) -> None:
        self.name = name if name is not None else self.default_name
        self.labels = tuple(labels)
        self._tagger: Any = None
        self._source: Path | None = None

    @property
    def tagger(self) -> Any:
        """The tagger: the one read by :meth:`from_disk`, else the shipped one."""
        if self._tagger is None:
            self.from_disk(self.default_dir)
            assert self._tagger is not None
        return self._tagger

    def lexicons(self) -> Lexicons | None:
        """The name lists the model reads, if any."""
        return self.tagger.lexicons

    @cached_property
    def known_names(self) -> frozenset[str]:
        """Whole names (``ner``-normalized) in the model's gazetteers: countries, cities, places,
        given names and surnames; empty when the model has no gazetteers."""
        lexicons = self.lexicons()
        if lexicons is None:
            return frozenset()
        # "*_part" lists hold single words of multi-word names (وادي, بير ...): too loose.
        lists = lexicons.lists
        return frozenset().union(*(words for name, words in lists.items() if "_part" not in name))

    def __call__(self, doc: Any) -> Any:
        [done] = self.pipe([doc])
        return done

    def pipe(self, docs: Iterable[Any], batch_size: int = 128) -> Iterable[Any]:
        """Tag docs in batches: the sentences of a whole batch are decoded together."""
        iterator = iter(docs)
        while batch := list(islice(iterator, batch_size)):
            yield from self._tag_batch(batch)

    def _tag_batch(self, docs: list[Any]) -> list[Any]:
        from spacy.attrs import IS_SPACE
        from spacy.tokens import Span

        tagger = self.tagger
        sentences: list[list[str]] = []
        slices: list[list[list[int]]] = []
        for doc in docs:
            words = doc_words(doc)
            is_space = [bool(space) for space in doc.to_array(IS_SPACE).tolist()]
            slices.append(sentence_slices(words, is_space))
            sentences += [[words[i] for i in indices] for indices in slices[-1]]
        decoded = iter(tagger.decode(sentences))
        labels = tagger.labels
        for doc, doc_slices in zip(docs, slices, strict=True):
            ents = []
            for indices in doc_slices:
                path = next(decoded)
                tags = [labels[i] for i in path.labels.tolist()]
                for label, start, end in tag_spans(tags):
                    if label not in self.labels:
                        continue
                    span = Span(doc, indices[start], indices[end - 1] + 1, label=label)
                    # Confidence of the entity: the lowest marginal of its tags, rounded so
                    # that the forward-backward's float drift with the batch a sentence is
                    # tagged in (~1e-16) never reaches the output.
                    span._.score = round(float(path.confidence[start:end].min()), SCORE_DECIMALS)
                    ents.append(span)
            doc.ents = ents
        return docs

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Copy the model files into ``path`` (the component's folder in a pipeline)."""
        import shutil

        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        source = self._source if self._source is not None else self.default_dir
        if source.resolve() != path.resolve():
            for name in self.files:
                if (source / name).exists():
                    shutil.copyfile(source / name, path / name)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> CRFEntityRecognizer:
        """Load the model files (for the CRF ``crf.model`` and its tables) from ``path``."""
        self._source = Path(path)
        self._tagger = self.load_tagger(self._source)
        self.__dict__.pop("known_names", None)  # the names of the model read before, if any
        return self

    def load_tagger(self, path: Path) -> Any:
        """The tagger saved in ``path``."""
        return CRFTagger.from_directory(path)
