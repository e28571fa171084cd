"""The CRF entity tagger: feature extraction, training, and the spaCy component that runs it.

A linear-chain CRF (python-crfsuite) over hand-written features: the normalized word, its
clitic-stripped stem, affixes, shape, name-list membership (:mod:`.lexicons`), word-cluster ids
learned from unlabelled news (:mod:`.clusters`), and the same for a ±2-token window. It is a
plain spaCy component (``arabnews_crf_ner``) that sets ``doc.ents`` to ``PER``/``LOC``/``ORG``
spans and ``span._.score`` to a confidence in [0, 1]: the smallest per-token marginal
probability of the span's tags.

Example:
    >>> fx = FeatureExtractor()
    >>> feats = fx.sentence_features(["زار", "ماكرون", "بيروت"])
    >>> "w=ماكرون" in feats[1], "-1:w=زار" in feats[1], "+1:w=بيروت" in feats[1]
    (True, True, True)
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pycrfsuite

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.entities.data import PUBLIC_LABELS, Sentence, tag_spans
from arabnews_nlp.entities.lexicons import Lexicons
from arabnews_nlp.normalize import normalize

__all__ = [
    "CRFEntityRecognizer",
    "CRFTagger",
    "FeatureExtractor",
    "register_component",
    "sentence_slices",
    "strip_clitics",
]

# Proclitic clusters that attach to names in news text (و+ب+ال...), longest first. A stem must
# keep at least three letters ("بمصر" → "مصر", but "ولي" stays whole).
_PROCLITICS = (
    "وبال",
    "وكال",
    "وال",
    "بال",
    "فال",
    "كال",
    "ولل",
    "لل",
    "ال",
    "و",
    "ف",
    "ب",
    "ل",
    "ك",
)
_SENTENCE_END = {".", "!", "?", "؟"}
_PUNCT = set(".,،؛;:!?؟\"'«»()[]{}-–—/\\*•·…")
_CACHE_LIMIT = 300_000

MODEL_FILE = "crf.model"
CLUSTERS_FILE = "clusters.tsv.gz"
LEXICONS_FILE = "lexicons.json.gz"
CONFIG_FILE = "features.json"


def strip_clitics(word: str) -> str:
    """The word without its leading conjunction/preposition/article (normalized input).

    The stem is a feature next to the word itself, so an occasional over-strip ("لبنان" →
    "بنان") costs little while "وبوتين" and "بوتين" now share evidence.

    >>> strip_clitics("وبالقاهره"), strip_clitics("فبغداد"), strip_clitics("ولي")
    ('قاهره', 'بغداد', 'ولي')
    """
    for prefix in _PROCLITICS:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return word[len(prefix) :]
    return word


def _shape(word: str) -> str:
    if word.isdigit():
        return "digit"
    if all(ch in _PUNCT for ch in word):
        return "punct"
    if word.isascii():
        return "latin-cap" if word[:1].isupper() else "latin"
    if any(ch.isdigit() for ch in word):
        return "mixed"
    return "arabic"


class _TokenFeatures(NamedTuple):
    own: list[str]  # the token's own features (with "bias")
    given: dict[int, list[str]]  # offset -> the features it gives the token at that offset
    norm: str  # normalized form
    cluster: str  # middle-level cluster id ("-" when unknown), for cluster bigrams


class FeatureExtractor:
    """Turns a token list into one feature-string list per token.

    Each token's own features and the smaller set it contributes to its neighbours are cached by
    surface form, so tagging cost is dominated by the window assembly (a few list extends).

    Args:
        clusters: word-cluster table (optional).
        lexicons: name lists (optional).
        window: how many neighbours on each side contribute features.
        near_window: neighbours this close give their full set (word, shape, lists, all
            cluster levels); farther ones give only the word and the coarsest cluster.
        cluster_bigrams: add the pairs of middle-level cluster ids of adjacent tokens.
    """

    def __init__(
        self,
        clusters: ClusterTable | None = None,
        lexicons: Lexicons | None = None,
        window: int = 2,
        near_window: int = 1,
        cluster_bigrams: bool = False,
    ) -> None:
        self.clusters = clusters
        self.lexicons = lexicons
        self.window = window
        self.near_window = near_window
        self.cluster_bigrams = cluster_bigrams
        self._cache: dict[str, _TokenFeatures] = {}
        self._offsets = [o for o in range(-window, window + 1) if o]
        self._edges = {o: f"{o:+d}:edge" for o in self._offsets}

    def _lookup_clusters(self, norm: str, stem: str) -> tuple[int, ...] | None:
        if self.clusters is None:
            return None
        found = self.clusters.lookup(norm)
        # An unseen inflected form ("وبوتين") borrows the clusters of its stem ("بوتين").
        return found if found is not None else self.clusters.lookup(stem)

    def _token(self, token: str) -> _TokenFeatures:
        """The cached features of one surface form (its own, and those it gives neighbours)."""
        cached = self._cache.get(token)
        if cached is not None:
            return cached
        norm = normalize(token, profile="ner") or token
        stem = strip_clitics(norm)
        shape = _shape(norm)
        own = [f"w={norm}", f"stem={stem}", f"shape={shape}", f"len={min(len(stem), 8)}"]
        own += [f"p{k}={norm[:k]}" for k in (1, 2, 3, 4) if len(norm) > k]
        own += [f"s{k}={norm[-k:]}" for k in (1, 2, 3, 4) if len(norm) > k]
        if stem != norm:
            own.append(f"clitic={norm[: len(norm) - len(stem)]}")
        near = [f"w={norm}", f"shape={shape}"]
        far = [f"w={norm}"]
        if self.lexicons is not None:
            tags = set(self.lexicons.tags(norm)) | {f"{t}~" for t in self.lexicons.tags(stem)}
            own += [f"lex={t}" for t in sorted(tags)]
            near += [f"lex={t}" for t in sorted(tags)]
        ids = self._lookup_clusters(norm, stem)
        if ids is not None:
            own += [f"c{i}={c}" for i, c in enumerate(ids)]
            near += [f"c{i}={c}" for i, c in enumerate(ids)]
            far.append(f"c{len(ids) - 1}={ids[-1]}")
        else:
            own.append("c=none")
        # Neighbour features are stored already prefixed with their offset: building these
        # strings per occurrence was the largest cost of tagging.
        given = {
            o: [f"{o:+d}:{f}" for f in (near if abs(o) <= self.near_window else far)]
            for o in self._offsets
        }
        if len(self._cache) > _CACHE_LIMIT:
            self._cache.clear()
        middle = str(ids[len(ids) // 2]) if ids is not None else "-"
        entry = _TokenFeatures(["bias", *own], given, norm, middle)
        self._cache[token] = entry
        return entry

    def sentence_features(self, tokens: Sequence[str]) -> list[list[str]]:
        """Feature strings for every token of one sentence."""
        parts = [self._token(t) for t in tokens]
        n = len(parts)
        out: list[list[str]] = []
        for i, part in enumerate(parts):
            feats = list(part.own)
            for offset in self._offsets:
                j = i + offset
                if 0 <= j < n:
                    feats.extend(parts[j].given[offset])
                else:
                    feats.append(self._edges[offset])
            if i > 0:
                feats.append(f"bi-={parts[i - 1].norm}|{part.norm}")
                if self.cluster_bigrams:
                    feats.append(f"cb-={parts[i - 1].cluster}|{part.cluster}")
            if i + 1 < n:
                feats.append(f"bi+={part.norm}|{parts[i + 1].norm}")
                if self.cluster_bigrams:
                    feats.append(f"cb+={part.cluster}|{parts[i + 1].cluster}")
            out.append(feats)
        return out

    def config(self) -> dict[str, Any]:
        """The JSON-serializable settings (the tables are saved separately)."""
        return {
            "window": self.window,
            "near_window": self.near_window,
            "cluster_bigrams": self.cluster_bigrams,
        }


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
        """Load a trained crfsuite model file."""
        tagger = pycrfsuite.Tagger()
        tagger.open(str(model_path))
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
        )
        return cls(extractor).open(directory / MODEL_FILE)


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
        words = [t.text for t in doc]
        is_space = [t.is_space for t in doc]
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
