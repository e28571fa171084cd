"""`SectionClassifier`: TF-IDF over light stems + a linear SVM, with calibrated scores.

Example:
    >>> from arabnews_nlp.sections import SectionClassifier
    >>> docs = ["فاز الفريق بالمباراة وسجل اللاعب هدفين", "ارتفعت أسعار النفط وتراجعت البورصة",
    ...         "سجل المهاجم هدف الفوز في الدوري", "البنك المركزي يرفع سعر الفائدة"]
    >>> clf = SectionClassifier(calibrate=False).fit(docs, ["sports", "economy"] * 2)
    >>> clf.predict(["هدف قاتل في المباراة"]).tolist()
    ['sports']
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import repeat
from typing import Any

import numpy as np
import scipy.sparse as sp
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.model_selection import StratifiedKFold
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from arabnews_nlp.sections.clusters import (
    ClusterLookup,
    load_cluster_lookup,
    lookup_from_config,
    table_reference,
)
from arabnews_nlp.sections.defaults import DEFAULT_C, DEFAULT_MIN_DF
from arabnews_nlp.sections.features import (
    ArticleLike,
    TermAnalyzer,
    TfidfSpace,
    article_label,
    count_matrix,
)
from arabnews_nlp.sections.persist import read_model_dir, write_model_dir
from arabnews_nlp.sections.vectors import WordVectors
from arabnews_nlp.tokenize import STOP_WORDS, is_stop_word

__all__ = ["SectionClassifier", "TermContribution"]

_PARAMS = (
    "C",
    "balance",
    "min_df",
    "title_weight",
    "max_body_chars",
    "stop_words",
    "clusters",
    "cluster_levels",
    "cluster_weight",
)
_BALANCE = ("section_source", "section", None)


@dataclass(frozen=True)
class TermContribution:
    """One term's share of a decision.

    Attributes:
        term: The word as written in the article (first occurrence).
        stem: The model's feature (search-normalized light stem).
        weight: How much it moved the score toward the predicted section and away from
            the runner-up (positive = for the prediction).
    """

    term: str
    stem: str
    weight: float


class SectionClassifier(ClassifierMixin, BaseEstimator):
    """Classify Arabic news articles into sections (scikit-learn estimator).

    Each article's title, lede and body are search-normalized, split into words and reduced
    to light stems; sublinear TF-IDF rows feed a linear SVM. Scores become probabilities by
    a softmax over the SVM margins with a temperature fitted on cross-validated margins.

    Args:
        C: Inverse regularization strength of the linear SVM.
        balance: How training articles are weighted. ``"section_source"``: every section
            weighs the same in total, and within a section every source the same, so one big
            outlet cannot define a section's vocabulary alone (``"section"`` when ``fit``
            gets fewer than two sources). ``"section"``: sections weigh the same
            (scikit-learn's ``class_weight="balanced"``). None: every article weighs 1.
        min_df: Drop terms seen in fewer training articles.
        title_weight: Count title terms this many times.
        max_body_chars: Read at most this many body characters (None: all).
        stop_words: Leave stop words out of the features (explanations never show them).
        clusters: Add a bag of word-cluster ids to the features: ``"ner"`` for the NER
            model's table (see :mod:`arabnews_nlp.sections.clusters`), a table path, or None.
            Outlets use different words for one topic; their clusters often agree.
        cluster_levels: Cluster granularities to use (sizes of the table's levels).
        cluster_weight: Scale of the cluster TF-IDF block (unit rows) against the terms'.
        word_vectors: Optional :class:`~arabnews_nlp.sections.vectors.WordVectors` in the
            stem space; used during ``fit`` only (see that module).
        vector_weight: Scale of the word-vector features relative to the TF-IDF ones.
        calibrate: Fit the softmax temperature by 3-fold cross-validation (else 1.0).
        random_state: Seed for the SVM and the calibration folds.

    Attributes:
        classes_: Section names, in score column order.
        vocabulary_: Terms (light stems) in feature order.
        cluster_vocabulary_: Cluster terms (``"c1024:517"``), empty without ``clusters``.
        idf_: IDF weight of each term, then of each cluster term.
        coef_: ``(n_classes, n_terms + n_cluster_terms)`` weights; ``intercept_``:
            ``(n_classes,)``.
        temperature_: Softmax temperature for :meth:`predict_proba`.

    Example:
        >>> clf = SectionClassifier(calibrate=False)
        >>> clf = clf.fit(["هدف في المرمى", "سعر الدولار"] * 2, ["sports", "economy"] * 2)
        >>> clf.classes_.tolist()
        ['economy', 'sports']
    """

    # scikit-learn: one keyword-only parameter per hyper-parameter, however many there are.
    def __init__(  # noqa: PLR0913
        self,
        *,
        C: float = DEFAULT_C,
        balance: str | None = "section_source",
        min_df: int = DEFAULT_MIN_DF,
        title_weight: int = 1,
        max_body_chars: int | None = None,
        stop_words: bool = True,
        clusters: str | None = None,
        cluster_levels: tuple[int, ...] = (1024, 256, 64),
        cluster_weight: float = 0.5,
        word_vectors: WordVectors | None = None,
        vector_weight: float = 0.5,
        calibrate: bool = True,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.balance = balance
        self.min_df = min_df
        self.title_weight = title_weight
        self.max_body_chars = max_body_chars
        self.stop_words = stop_words
        self.clusters = clusters
        self.cluster_levels = cluster_levels
        self.cluster_weight = cluster_weight
        self.word_vectors = word_vectors
        self.vector_weight = vector_weight
        self.calibrate = calibrate
        self.random_state = random_state

    # ------------------------------------------------------------------ training
    def fit(
        self,
        X: Iterable[ArticleLike],
        y: Sequence[str] | None = None,
        *,
        sources: Sequence[str | None] | None = None,
    ) -> SectionClassifier:
        """Learn vocabulary, IDF, weights and temperature.

        Args:
            X: Articles (:class:`~arabnews_nlp.article.Article`, dicts or strings).
            y: Section labels; by default each article's ``section``.
            sources: The outlet of each article for ``balance``; by default each
                article's ``source`` when it has one.

        Returns:
            self
        """
        docs = list(X)
        labels = [article_label(d) for d in docs] if y is None else [str(v) for v in y]
        if len(labels) != len(docs):
            raise ValueError(f"{len(docs)} articles but {len(labels)} labels")
        if any(label is None for label in labels):
            raise ValueError("every article needs a label (pass y or set article.section)")
        if len(set(labels)) < 2:
            raise ValueError("need at least two different sections to train")
        if sources is None:
            sources = [article_label(d, "source") for d in docs]
        elif len(sources) != len(docs):
            raise ValueError(f"{len(docs)} articles but {len(sources)} sources")
        y_arr = np.asarray(labels)

        analyzer = self._analyzer()
        words = [analyzer.words(d) for d in docs]
        extra = self.word_vectors.terms if self.word_vectors is not None else ()
        space, counts = TfidfSpace.fit(map(analyzer.stems, words), self.min_df, extra)
        self._cluster_space: TfidfSpace | None = None
        self._lookup: ClusterLookup | None = None
        self._columns: tuple[dict[str, int], sp.csr_matrix] | None = None
        self.cluster_table_: dict[str, str] | None = None
        if self.clusters is not None:
            self._lookup, digest = load_cluster_lookup(self.clusters, self.cluster_levels)
            self.cluster_table_ = {"file": table_reference(self.clusters), "sha256": digest}
            self._cluster_space, _ = TfidfSpace.fit(map(self._lookup, words), self.min_df)
        self._space = space
        features = self._stack(space.weight(counts), words)
        design, embed = self._design(features, space.vocabulary)
        weights = self._sample_weights(y_arr, sources)

        svm = self._svm().fit(design, y_arr, sample_weight=weights)
        coef, intercept = self._fold(svm.coef_, svm.intercept_, features.shape[1], embed)
        self.classes_ = svm.classes_
        self.vocabulary_ = space.vocabulary
        self.cluster_vocabulary_ = self._cluster_space.vocabulary if self._cluster_space else []
        self.idf_ = np.concatenate(
            [space.idf, self._cluster_space.idf if self._cluster_space else []]
        )
        self.coef_ = coef.astype(np.float32)
        self.intercept_ = intercept.astype(np.float32)
        self.temperature_ = self._fit_temperature(design, y_arr, weights) if self.calibrate else 1.0
        self.metadata_: dict[str, Any] = {}
        return self

    def _stack(self, features: sp.csr_matrix, words: Sequence[Sequence[str]]) -> sp.csr_matrix:
        """Append the weighted cluster block (unit rows) to the term features, if any."""
        space = self._cluster_space
        if space is None or self._lookup is None:
            return features
        if self._columns is None:  # built once: word → code of its cluster columns
            self._columns = self._lookup.columns(space.index)
        codes, spread = self._columns
        get = codes.get
        indices: list[int] = []
        indptr = [0]
        for doc in words:
            indices.extend(map(get, doc, repeat(0)))  # 0: unknown word, an empty row of spread
            indptr.append(len(indices))
        counts = count_matrix(indices, indptr, spread.shape[0]) @ spread
        block = space.weight(counts.tocsr())
        block.data *= np.float32(self.cluster_weight)
        return sp.hstack([features, block], format="csr")

    def _analyzer(self) -> TermAnalyzer:
        return TermAnalyzer(
            title_weight=self.title_weight,
            max_body_chars=self.max_body_chars,
            stop_words=self.stop_words,
        )

    def _svm(self) -> LinearSVC:
        return LinearSVC(C=self.C, random_state=self.random_state)

    def _design(
        self, features: sp.csr_matrix, vocabulary: Sequence[str]
    ) -> tuple[sp.csr_matrix, np.ndarray | None]:
        """The training design matrix: TF-IDF, plus the vector features when given."""
        if self.word_vectors is None:
            return features, None
        embed = self.word_vectors.matrix(vocabulary) * np.float32(self.vector_weight)
        # Cluster columns have no word vector: zero rows keep the fold below aligned.
        embed = np.vstack([embed, np.zeros((features.shape[1] - len(vocabulary), embed.shape[1]))])
        embed = embed.astype(np.float32)
        dense = features @ embed
        return sp.hstack([features, sp.csr_matrix(dense)], format="csr"), embed

    @staticmethod
    def _fold(
        coef: np.ndarray, intercept: np.ndarray, n_terms: int, embed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Fold vector weights into term weights; give a binary model one row per class."""
        term_coef = coef[:, :n_terms]
        if embed is not None:
            term_coef = term_coef + coef[:, n_terms:] @ embed.T
        if term_coef.shape[0] == 1:  # binary LinearSVC: one margin, positive for classes_[1]
            term_coef = np.vstack([-term_coef, term_coef]) / 2.0
            intercept = np.array([-intercept[0], intercept[0]]) / 2.0
        return term_coef, intercept

    def _sample_weights(self, y: np.ndarray, sources: Sequence[str | None]) -> np.ndarray | None:
        """Per-article weights for ``balance`` (mean 1), or None for uniform weights."""
        if self.balance not in _BALANCE:
            raise ValueError(f"balance must be one of {_BALANCE}, got {self.balance!r}")
        if self.balance is None:
            return None
        by_source = self.balance == "section_source" and len({s for s in sources if s}) >= 2
        keys = [(y_i, (s or "") if by_source else "") for y_i, s in zip(y, sources, strict=True)]
        per_key = Counter(keys)
        keys_per_section = Counter(label for label, _ in per_key)
        # Each section totals 1, split evenly over its sources, then evenly over articles.
        weights = np.array([1.0 / (keys_per_section[k[0]] * per_key[k]) for k in keys])
        return weights * (len(weights) / weights.sum())

    def _fit_temperature(
        self, design: sp.csr_matrix, y: np.ndarray, weights: np.ndarray | None
    ) -> float:
        """Temperature minimizing the log loss of softmax(margin / T) on held-out folds."""
        n_folds = min(3, int(min(Counter(y.tolist()).values())))
        if n_folds < 2:
            return 1.0
        folds = StratifiedKFold(n_folds, shuffle=True, random_state=self.random_state)
        margins = np.zeros((len(y), len(self.classes_)))
        for train, test in folds.split(design, y):
            svm = self._svm().fit(
                design[train], y[train], sample_weight=None if weights is None else weights[train]
            )
            coef, intercept = self._fold(svm.coef_, svm.intercept_, design.shape[1], None)
            margins[test] = design[test] @ coef.T + intercept
        target = np.searchsorted(self.classes_, y)

        def loss(log_t: float) -> float:
            logp = log_softmax(margins / np.exp(log_t), axis=1)
            return float(-logp[np.arange(len(y)), target].mean())

        best = minimize_scalar(loss, bounds=(-5.0, 3.0), method="bounded")
        return float(np.exp(best.x))

    # ---------------------------------------------------------------- prediction
    def _features(self, X: Iterable[ArticleLike]) -> sp.csr_matrix:
        check_is_fitted(self, "coef_")
        analyzer = self._analyzer()
        words = [analyzer.words(d) for d in X]
        return self._stack(self._space.transform(map(analyzer.stems, words)), words)

    def decision_function(self, X: Iterable[ArticleLike]) -> np.ndarray:
        """Margins, one column per class in :attr:`classes_` order (float64)."""
        margins = self._features(X) @ self.coef_.T + self.intercept_
        return np.asarray(margins, dtype=np.float64)

    def predict_proba(self, X: Iterable[ArticleLike]) -> np.ndarray:
        """Calibrated probabilities: softmax of margins divided by :attr:`temperature_`."""
        return np.asarray(softmax(self.decision_function(X) / self.temperature_, axis=1))

    def predict(self, X: Iterable[ArticleLike]) -> np.ndarray:
        """The most likely section of each article."""
        return np.asarray(self.classes_[np.argmax(self.decision_function(X), axis=1)])

    def explain(self, article: ArticleLike, k: int = 10) -> list[TermContribution]:
        """The ``k`` terms that pushed ``article`` most toward its predicted section.

        A term's weight is its TF-IDF value times the difference between its weight for the
        predicted section and for the runner-up, so the list answers "why this section and
        not the next best one". Stop words (:data:`arabnews_nlp.tokenize.STOP_WORDS`) are
        left out.

        Example:
            >>> from arabnews_nlp.sections import load_section_model
            >>> top = load_section_model().explain("سجل اللاعب هدفين في المباراة", k=3)
            >>> [(t.term, t.stem) for t in top]
            [('اللاعب', 'لاعب'), ('المباراة', 'مبارا'), ('سجل', 'سجل')]
        """
        x = self._features([article])
        scores = np.asarray(x @ self.coef_.T + self.intercept_).ravel()
        best, runner_up = np.argsort(scores)[::-1][:2]
        delta = self.coef_[best] - self.coef_[runner_up]
        cols, values = x.indices, x.data
        contrib = values * delta[cols]
        order = np.argsort(contrib)[::-1]
        surface = self._analyzer().surface_forms(article)
        out: list[TermContribution] = []
        n_terms = len(self.vocabulary_)
        for i in order:
            if contrib[i] <= 0 or len(out) == k:
                break
            if cols[i] >= n_terms:  # a cluster id explains nothing to a reader
                continue
            stem = self.vocabulary_[cols[i]]
            word = surface.get(stem, stem)
            # Function words ("بعد", "خلال") can carry weight in a model trained with them,
            # but they explain nothing to a reader.
            if stem in STOP_WORDS or is_stop_word(word):
                continue
            out.append(TermContribution(word, stem, float(contrib[i])))
        return out

    # --------------------------------------------------------------- persistence
    def save(
        self, directory: str | os.PathLike[str], metadata: dict[str, Any] | None = None
    ) -> None:
        """Write the model as ``config.json`` + ``vocab.json`` + ``weights.npz`` (no pickle).

        Args:
            directory: Target folder (created if needed).
            metadata: JSON-serializable notes kept in ``config.json`` (training data, scores).
        """
        check_is_fitted(self, "coef_")
        config: dict[str, Any] = {
            "classes": [str(c) for c in self.classes_],
            "temperature": float(self.temperature_),
            "params": {name: getattr(self, name) for name in _PARAMS},
            "metadata": dict(metadata or {}),
        }
        if self.cluster_table_ is not None:
            # The table is read from its own file at load time; its checksum pins it.
            config["cluster_table"] = {
                **self.cluster_table_,
                "n_terms": len(self.cluster_vocabulary_),
            }
        arrays = {"coef": self.coef_, "intercept": self.intercept_, "idf": self.idf_}
        vocabulary = list(self.vocabulary_) + list(self.cluster_vocabulary_)
        write_model_dir(directory, config, vocabulary, arrays)

    @classmethod
    def load(cls, directory: str | os.PathLike[str]) -> SectionClassifier:
        """Load a model written by :meth:`save`; validates it and never unpickles.

        Raises:
            ModelFormatError: when the directory is missing, corrupt or modified, or when the
                model uses word clusters and their table is missing or not the one it was
                trained with.
        """
        config, vocabulary, arrays = read_model_dir(directory)
        params = {k: v for k, v in dict(config.get("params") or {}).items() if k in _PARAMS}
        params.setdefault("stop_words", False)  # models saved before the option kept them
        if "cluster_levels" in params:
            params["cluster_levels"] = tuple(params["cluster_levels"])
        model = cls(**params)
        idf = arrays["idf"].astype(np.float32)
        n_clusters = 0
        model._lookup, model._cluster_space, model.cluster_table_ = None, None, None
        model._columns = None
        if model.clusters is not None:
            model._lookup, model.cluster_table_, n_clusters = lookup_from_config(
                config, model.cluster_levels
            )
        n_terms = len(vocabulary) - n_clusters
        model.classes_ = np.asarray(config["classes"])
        model.vocabulary_ = vocabulary[:n_terms]
        model.cluster_vocabulary_ = vocabulary[n_terms:]
        model.idf_ = idf
        model.coef_ = arrays["coef"].astype(np.float32)
        model.intercept_ = arrays["intercept"].astype(np.float32)
        model.temperature_ = float(config["temperature"])
        model.metadata_ = dict(config.get("metadata") or {})
        model._space = TfidfSpace(model.vocabulary_, idf[:n_terms])
        if n_clusters:
            model._cluster_space = TfidfSpace(model.cluster_vocabulary_, idf[n_terms:])
        return model
