"""Text features for the section classifier: article fields, light stems, TF-IDF rows.

The classifier reads an article's title, lede and body, normalizes them with the ``search``
profile and reduces every word to a *light stem* (Larkey et al.'s light10: strip the
conjunction و, the article ال and its attached prepositions, and common suffixes). Stems
generalize across outlets better than surface words (a story about ``اللاعبين`` and one about
``لاعب`` share the stem ``لاعب``), which is what matters when the model meets a new outlet.

Example:
    >>> from arabnews_nlp.sections.features import TermAnalyzer
    >>> TermAnalyzer()("والمنتخب اللاعبين بالشركات موسكو")
    ['منتخب', 'لاعب', 'شرك', 'موسكو']
    >>> TermAnalyzer()("فاز المنتخبُ الوطنيّ بالمباراة")
    ['فاز', 'منتخب', 'وطن', 'مبارا']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.normalize import Normalizer
from arabnews_nlp.tokenize import STOP_WORDS

__all__ = [
    "ArticleLike",
    "TermAnalyzer",
    "TfidfSpace",
    "article_fields",
    "article_label",
    "count_matrix",
]

#: What the classifier accepts as one document.
ArticleLike: TypeAlias = Article | Mapping[str, Any] | str

# Prefixes and suffixes of light10, written in search-normalized form (ة→ه, ى→ي).
_PREFIXES = ("وال", "بال", "كال", "فال", "لل", "ال")
_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ه", "ي")
_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")


def _section_stem(word: str) -> str:
    """The section model's term: the light10 stem of one search-normalized word (digits map to
    ``0``).

    Only affixes that leave at least two letters are stripped, so short words survive. The
    public clitic stripper is :func:`arabnews_nlp.tokenize.strip_proclitics`; this variant
    stays because the shipped section model's vocabulary is made of its stems, and retraining
    the model on another stemmer removes it.

    Example:
        >>> _section_stem("وبالمنتخبات"), _section_stem("هو")
        ('منتخب', 'هو')
    """
    if _DIGITS.search(word):
        # Scores, prices and dates: the exact number never generalizes, its shape might.
        return _DIGITS.sub("0", word)
    if len(word) > 3 and word[0] == "و":
        word = word[1:]
    for prefix in _PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            word = word[len(prefix) :]
            break
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            word = word[: -len(suffix)]
    return word


# Word → stem memo shared by all analyzers: a news vocabulary repeats, and one dict lookup
# per token is several times cheaper than stemming it (or an lru_cache call) again.
_STEMS: dict[str, str] = {}
_STEMS_MAX = 1 << 19


def _stem_new(word: str) -> str:
    if len(_STEMS) >= _STEMS_MAX:
        _STEMS.clear()  # bounded memory on an endless stream of new words
    stem = _STEMS[word] = _section_stem(word)
    return stem


def article_fields(doc: ArticleLike) -> tuple[str, str, str]:
    """``(title, lede, body)`` of an :class:`Article`, a mapping or a plain string (the body).

    Example:
        >>> article_fields({"title": "عنوان", "body": "نص"})
        ('عنوان', '', 'نص')
    """
    if isinstance(doc, Article):
        return doc.title or "", doc.lede or "", doc.body or ""
    if isinstance(doc, str):
        return "", "", doc
    if isinstance(doc, Mapping):
        return (
            str(doc.get("title") or ""),
            str(doc.get("lede") or ""),
            str(doc.get("body") or doc.get("text") or ""),
        )
    raise TypeError(f"expected an Article, a mapping or a string, got {type(doc).__name__}")


def article_label(doc: ArticleLike, field: str = "section") -> str | None:
    """The label stored on an article (``section`` by default; ``meta`` keys work too)."""
    if isinstance(doc, Article):
        value = getattr(doc, field, None) if field != "meta" else None
        if value is None:
            value = doc.meta.get(field)
    elif isinstance(doc, Mapping):
        value = doc.get(field)
        if value is None and isinstance(doc.get("meta"), Mapping):
            value = doc["meta"].get(field)
    else:
        return None
    return None if value is None or value == "" else str(value)


class TermAnalyzer:
    """Turn an article into its list of terms: normalized, tokenized, light-stemmed.

    Args:
        title_weight: How many times the title's terms count (headlines are dense in topic
            words; repeating them is the cheapest way to up-weight them in TF-IDF).
        max_body_chars: Read at most this many characters of the body (long features keep
            adding the same topic words; this bounds prediction time).
        stop_words: Drop the words of :data:`arabnews_nlp.tokenize.STOP_WORDS` before
            stemming (they are as frequent in every section and only add noise).

    Example:
        >>> TermAnalyzer(title_weight=2)({"title": "ميسي", "body": "هدف رائع"})
        ['ميس', 'ميس', 'هدف', 'رائع']
    """

    def __init__(
        self, title_weight: int = 1, max_body_chars: int | None = None, stop_words: bool = False
    ) -> None:
        self.title_weight = title_weight
        self.max_body_chars = max_body_chars
        self.stop_words = stop_words
        self._normalize = Normalizer("search").normalize

    def _words(self, text: str) -> list[str]:
        if not text:
            return []
        words = _WORD.findall(self._normalize(text))
        if self.stop_words:
            words = [w for w in words if w not in STOP_WORDS]
        return words

    def words(self, doc: ArticleLike) -> list[str]:
        """The normalized words of ``doc`` that become terms (before stemming).

        Example:
            >>> TermAnalyzer(stop_words=True).words({"title": "فاز المنتخب", "body": "في المباراة"})
            ['فاز', 'المنتخب', 'المباراه']
        """
        title, lede, body = article_fields(doc)
        if self.max_body_chars is not None:
            body = body[: self.max_body_chars]
        return self._words(title) * self.title_weight + self._words(lede) + self._words(body)

    @staticmethod
    def stems(words: Iterable[str]) -> list[str]:
        """Light stems of normalized words (memoized across analyzers)."""
        get = _STEMS.get
        return [get(w) or _stem_new(w) for w in words]

    def _terms(self, text: str) -> list[str]:
        return self.stems(self._words(text))

    def __call__(self, doc: ArticleLike) -> list[str]:
        return self.stems(self.words(doc))

    def surface_forms(self, doc: ArticleLike) -> dict[str, str]:
        """The first written form of every term of ``doc`` (for showing terms to people).

        Example:
            >>> TermAnalyzer().surface_forms("اللاعبون والمنتخب")
            {'لاعب': 'اللاعبون', 'منتخب': 'والمنتخب'}
        """
        forms: dict[str, str] = {}
        for text in article_fields(doc):
            for word in _WORD.findall(text):
                for term in self._terms(word):
                    forms.setdefault(term, word)
        return forms


def count_matrix(indices: Sequence[int], indptr: Sequence[int], n_columns: int) -> sp.csr_matrix:
    """Counts from CSR-style column lists: row ``i`` holds ``indices[indptr[i]:indptr[i+1]]``,
    repeats allowed (they add up).

    Example:
        >>> count_matrix([2, 0, 2, 1], [0, 3, 4], 3).toarray().tolist()
        [[1.0, 0.0, 2.0], [0.0, 1.0, 0.0]]
    """
    data = np.ones(len(indices), dtype=np.float32)
    matrix = sp.csr_matrix(
        (data, np.asarray(indices, dtype=np.int32), np.asarray(indptr, dtype=np.int64)),
        shape=(len(indptr) - 1, n_columns),
    )
    matrix.sum_duplicates()  # merges repeated terms into counts
    return matrix


class TfidfSpace:
    """A fixed vocabulary with IDF weights: terms → sublinear TF-IDF rows of unit length.

    Args:
        vocabulary: Terms in column order.
        idf: One IDF weight per term.

    Example:
        >>> space = TfidfSpace(["هدف", "مباراه"], np.array([1.0, 2.0]))
        >>> space.transform([["هدف", "هدف", "غريب"]]).toarray().round(3).tolist()
        [[1.0, 0.0]]
    """

    def __init__(self, vocabulary: Sequence[str], idf: np.ndarray) -> None:
        if len(vocabulary) != len(idf):
            raise ValueError(f"{len(vocabulary)} terms but {len(idf)} IDF weights")
        self.vocabulary = list(vocabulary)
        self.index = {term: i for i, term in enumerate(self.vocabulary)}
        if len(self.index) != len(self.vocabulary):
            raise ValueError("the vocabulary has duplicate terms")
        self.idf = np.asarray(idf, dtype=np.float32)

    @classmethod
    def fit(
        cls, docs: Iterable[Sequence[str]], min_df: int = 2, extra_terms: Iterable[str] = ()
    ) -> tuple[TfidfSpace, sp.csr_matrix]:
        """Learn vocabulary and IDF from term lists; return the space and the counts matrix.

        Terms seen in fewer than ``min_df`` documents are dropped, except ``extra_terms``
        (e.g. terms that have a word vector), which are kept with the IDF of an unseen term.
        """
        df: dict[str, int] = {}
        rows = []
        for terms in docs:
            uniq = set(terms)
            rows.append(terms)
            for t in uniq:
                df[t] = df.get(t, 0) + 1
        n_docs = len(rows)
        kept = sorted(t for t, c in df.items() if c >= min_df)
        known = set(kept)
        kept += sorted(t for t in set(extra_terms) if t not in known)
        freq = np.array([df.get(t, 0) for t in kept], dtype=np.float64)
        # The smooth IDF of scikit-learn: as if one extra document held every term once.
        idf = np.log((1.0 + n_docs) / (1.0 + freq)) + 1.0
        space = cls(kept, idf)
        return space, space.counts(rows)

    def __len__(self) -> int:
        return len(self.vocabulary)

    def counts(self, docs: Iterable[Sequence[str]]) -> sp.csr_matrix:
        """Raw term counts (documents × vocabulary), out-of-vocabulary terms ignored."""
        get = self.index.get
        indices: list[int] = []
        indptr = [0]
        for terms in docs:
            indices += [j for j in map(get, terms) if j is not None]
            indptr.append(len(indices))
        return count_matrix(indices, indptr, len(self.vocabulary))

    def weight(self, counts: sp.csr_matrix) -> sp.csr_matrix:
        """Sublinear TF (1 + log count) times IDF, each row scaled to unit L2 norm."""
        x = counts.tocsr(copy=True).astype(np.float32)
        x.data = np.log(x.data) + 1.0
        x = x.multiply(self.idf).tocsr()
        norms = np.sqrt(np.asarray(x.multiply(x).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sp.diags(1.0 / norms).dot(x).tocsr().astype(np.float32)

    def transform(self, docs: Iterable[Sequence[str]]) -> sp.csr_matrix:
        """TF-IDF rows of unit length for term lists."""
        return self.weight(self.counts(docs))
