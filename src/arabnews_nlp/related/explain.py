"""Why two articles matched: the shared words that carry the score, and shared entities.

The index scores character n-grams, which a reader cannot check; the explanation maps the
score back to words. A query word is *shared* when all of its n-grams occur in the
candidate, and its weight is the part of the cosine its n-grams contribute. Stop words are
skipped; a word that only matches without its proclitics (``وموسكو`` ~ ``موسكو``) is shown
without them.

Example:
    >>> from arabnews_nlp.related.vectorize import ArticleVectorizer
    >>> vec = ArticleVectorizer(n_features=2**18)
    >>> q = vec.transform(["وفد روسي في دمشق"]); d = vec.transform(["دمشق تستقبل وفدا روسيا"])
    >>> shared_terms("وفد روسي في دمشق", q, d, d, vec)
    ['دمشق']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.normalize import normalize
from arabnews_nlp.related.hashing import hash_ngrams
from arabnews_nlp.related.vectorize import ArticleVectorizer
from arabnews_nlp.tokenize import is_stop_word, iter_tokens, strip_proclitics

__all__ = [
    "TermExplainer",
    "candidate_words",
    "entity_names",
    "shared_entities",
    "shared_terms",
]

_WORD_KINDS = frozenset({"arabic", "latin", "number", "hashtag"})


def candidate_words(text: str) -> list[tuple[str, str]]:
    """Distinct content words of ``text`` as ``(display form, normalized form)`` pairs.

    Each word is offered as written and, if different, without its proclitics.

    >>> candidate_words("وصل الوفد إلى وموسكو")
    [('وصل', 'وصل'), ('الوفد', 'الوفد'), ('وموسكو', 'وموسكو'), ('موسكو', 'موسكو')]
    """
    seen: set[str] = set()
    out: list[tuple[str, str]] = []
    for token in iter_tokens(text):
        if token.kind not in _WORD_KINDS:
            continue
        surface = token.text.lstrip("#")
        for form in dict.fromkeys((surface, strip_proclitics(surface))):
            key = normalize(form, profile="search")
            if len(key) < 2 or key in seen or is_stop_word(form):
                continue
            seen.add(key)
            out.append((form, key))
    return out


class TermExplainer:
    """Shared words between one query and any number of candidates.

    The query's words, their n-gram features and the query's weights are computed once;
    :meth:`terms` then costs a few array lookups per candidate.

    Args:
        query_text: The query's text (title, lede and body head, or the bare query text).
        query_vector: The query's weighted row (1 x n_columns).
        vectorizer: The index's vectorizer (to hash the words the same way).
        min_coverage: Share of a word's n-grams the candidate must contain (1.0: all).
    """

    def __init__(
        self,
        query_text: str,
        query_vector: sp.spmatrix,
        vectorizer: ArticleVectorizer,
        *,
        min_coverage: float = 1.0,
    ) -> None:
        self.words = candidate_words(query_text)
        self.min_coverage = min_coverage
        self.owner, self.features = hash_ngrams(
            [key for _, key in self.words],
            vectorizer.analyzer,
            (int(vectorizer.ngram_range[0]), int(vectorizer.ngram_range[1])),
            vectorizer.n_features,
        )
        self.query_weights = _row_lookup(query_vector, self.features)
        self.n_grams = np.maximum(np.bincount(self.owner, minlength=len(self.words)), 1)
        self.stems = [normalize(strip_proclitics(form), profile="search") for form, _ in self.words]

    def terms(
        self,
        candidate_weights: sp.spmatrix,
        candidate_counts: sp.spmatrix,
        n_terms: int = 5,
        candidate_title: str = "",
    ) -> list[str]:
        """The query words found in the candidate, most score-bearing first.

        Args:
            candidate_weights: The candidate's weighted row in the index.
            candidate_counts: The candidate's stored counts row (which n-grams it contains).
            n_terms: At most this many words.
            candidate_title: The candidate's title: a query word that is one of its words is
                shared even when the index pruned some of the word's n-grams.
        """
        if not self.words:
            return []
        n = len(self.words)
        present = _row_lookup(candidate_counts, self.features) > 0
        contribution = self.query_weights * _row_lookup(candidate_weights, self.features)
        coverage = np.bincount(self.owner, weights=present, minlength=n) / self.n_grams
        score = np.bincount(self.owner, weights=contribution, minlength=n)
        title_keys = {key for _, key in candidate_words(candidate_title)}
        in_title = np.array([key in title_keys for _, key in self.words], dtype=bool)
        qualifies = ((coverage >= self.min_coverage) | in_title) & (score > 0)
        # A word and its clitic-less form are one term: keep its best score, show the stem if
        # it qualifies on its own (وموسكو -> موسكو).
        best: dict[str, tuple[float, str]] = {}
        for i in np.flatnonzero(qualifies):
            form, key = self.words[i]
            stem = self.stems[i]
            prev = best.get(stem)
            shown = form if prev is None or key == stem else prev[1]
            best[stem] = (max(float(score[i]), prev[0] if prev else 0.0), shown)
        ranked = sorted(best.values(), key=lambda item: -item[0])
        return [form for _, form in ranked[:n_terms]]


def shared_terms(
    query_text: str,
    query_vector: sp.spmatrix,
    candidate_weights: sp.spmatrix,
    candidate_counts: sp.spmatrix,
    vectorizer: ArticleVectorizer,
    *,
    n_terms: int = 5,
    min_coverage: float = 1.0,
) -> list[str]:
    """The query words found in one candidate (see :class:`TermExplainer`)."""
    explainer = TermExplainer(query_text, query_vector, vectorizer, min_coverage=min_coverage)
    return explainer.terms(candidate_weights, candidate_counts, n_terms)


def _row_lookup(row: sp.spmatrix, features: np.ndarray) -> np.ndarray:
    """Values of a 1-row sparse matrix at ``features`` (0 where absent)."""
    row = sp.csr_matrix(row)
    cols = row.indices
    vals = row.data
    if not row.has_sorted_indices:
        order = np.argsort(cols)
        cols, vals = cols[order], vals[order]
    pos = np.searchsorted(cols, features)
    pos = np.clip(pos, 0, max(len(cols) - 1, 0))
    if len(cols) == 0:
        return np.zeros(len(features), dtype=np.float64)
    hit = cols[pos] == features
    return np.where(hit, vals[pos], 0.0).astype(np.float64)


def entity_names(entities: Iterable[Any]) -> list[str]:
    """Canonical names from entities given as strings, dicts or objects, deduplicated.

    Accepts what ``article.meta["entities"]`` or an extractor may hold: plain names,
    dicts with ``canonical`` (or ``text``), or objects with a ``canonical`` attribute
    (:class:`arabnews_nlp.entities.Entity`).

    >>> entity_names(["موسكو", {"canonical": "بوتين", "label": "PER"}, "موسكو"])
    ['موسكو', 'بوتين']
    """
    out: dict[str, str] = {}
    for ent in entities:
        if isinstance(ent, str):
            name = ent
        elif isinstance(ent, dict):
            name = str(ent.get("canonical") or ent.get("text") or "")
        else:
            name = str(getattr(ent, "canonical", "") or getattr(ent, "text", ""))
        key = normalize(name, profile="search")
        if key and key not in out:
            out[key] = name.strip()
    return list(out.values())


def shared_entities(query: list[str], candidate: list[str]) -> list[str]:
    """Entities of ``query`` that ``candidate`` also has (matched after normalization).

    >>> shared_entities(["موسكو", "بوتين"], ["الشرع", "مُوسكو"])
    ['موسكو']
    """
    keys = {normalize(c, profile="search") for c in candidate}
    return [q for q in query if normalize(q, profile="search") in keys]
