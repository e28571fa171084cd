"""Field-weighted, hashed character n-gram counts of articles (the raw material of the index).

The vectorizer is stateless: character n-grams of the search-normalized text are hashed into
``n_features`` columns, so any process can vectorize any article without a vocabulary, and an
index can grow one story at a time. Document frequencies and IDF live in the index.

Why character n-grams: Arabic words carry clitics and inflections (``والروسية``, ``الروسي``);
``char_wb`` 2–5-grams match their shared stems without a morphological analyser and beat word
n-grams by 5–7 points of recall@1 on same-story headline pairs (see ``docs/related.md``).

Example:
    >>> from arabnews_nlp import Article
    >>> vec = ArticleVectorizer(n_features=2**18)
    >>> X = vec.transform([Article(title="بوتين يستقبل الشرع", body="وصل الرئيس إلى موسكو.")])
    >>> X.shape, X.dtype.name, bool(X.nnz > 0)
    ((1, 262144), 'float32', True)
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator

from arabnews_nlp.article import Article
from arabnews_nlp.normalize import normalize
from arabnews_nlp.related.hashing import hash_ngrams, ngram_strings, word_ngram_counts

__all__ = ["ArticleVectorizer", "weighted_fields"]


def weighted_fields(doc: Article | str, head_chars: int, max_chars: int) -> dict[str, str]:
    """Split an article (or a bare text, treated as a title) into the fields the vectorizer
    weights: ``title``, ``lede``, ``head`` and ``tail``.

    ``head`` is the first ``head_chars`` characters of the body (cut at a word boundary),
    ``tail`` the rest up to ``max_chars``: stories put the who/what/where first, and the tail
    (background paragraphs, boilerplate) is what makes unrelated stories look alike.

    >>> f = weighted_fields(Article(title="عنوان", body="جملة أولى. جملة ثانية طويلة"), 10, 100)
    >>> f["head"], f["tail"]
    ('جملة أولى.', 'جملة ثانية طويلة')
    """
    if isinstance(doc, str):
        return {"title": doc, "lede": "", "head": "", "tail": ""}
    body = doc.body or ""
    lede = doc.lede or ""
    if lede and body.startswith(lede[: min(len(lede), 80)]):
        # Some feeds (ANT) repeat the body's opening as the abstract: count it once.
        lede = ""
    cut = _word_cut(body, head_chars)
    end = _word_cut(body, max_chars) if max_chars > 0 else len(body)
    return {
        "title": doc.title or "",
        "lede": lede,
        "head": body[:cut].strip(),
        "tail": body[cut:end].strip(),
    }


def _word_cut(text: str, limit: int) -> int:
    """The last whitespace position at or before ``limit`` (or ``limit`` if there is none)."""
    if len(text) <= limit:
        return len(text)
    space = text.rfind(" ", 0, limit + 1)
    newline = text.rfind("\n", 0, limit + 1)
    cut = max(space, newline)
    return cut if cut > 0 else limit


class ArticleVectorizer(BaseEstimator):
    """Hash field-weighted character n-grams of normalized articles into a sparse count matrix.

    Each field (title, lede, body head, body tail) is counted separately, the counts are summed
    with the field weights, and ``1 + log(count)`` is taken when ``sublinear_tf`` (so a word
    repeated through a long body does not drown the title). No IDF and no length normalization:
    those depend on the corpus and are applied by :class:`~arabnews_nlp.related.RelatedIndex`.
    A scikit-learn estimator (``get_params``, ``set_params``, :func:`sklearn.base.clone`) with
    nothing to fit.

    Args:
        analyzer: ``"char_wb"`` (default), ``"char"`` or ``"word"``, as in scikit-learn.
        ngram_range: n-gram lengths, ``(2, 5)`` by default.
        n_features: Hash space size (a power of two; collisions are rare at ``2**20``).
        title_weight, lede_weight, head_weight, tail_weight: Multipliers of each field's counts.
        head_chars: Characters of the body that count as its head.
        max_chars: Characters of the body read at all (0 = everything); bounds the cost of
            very long articles.
        sublinear_tf: Use ``1 + log(count)`` instead of the count.
        profile: Normalization profile applied before hashing.

    Example:
        >>> vec = ArticleVectorizer(analyzer="word", ngram_range=(1, 1), n_features=2**10)
        >>> int(vec.transform(["موسكو موسكو دمشق"]).nnz)
        2
    """

    # scikit-learn: one parameter per hyper-parameter, however many there are.
    def __init__(  # noqa: PLR0913
        self,
        analyzer: str = "char_wb",
        ngram_range: tuple[int, int] = (2, 5),
        n_features: int = 2**20,
        *,
        title_weight: float = 3.0,
        lede_weight: float = 2.0,
        head_weight: float = 1.0,
        tail_weight: float = 0.5,
        head_chars: int = 300,
        max_chars: int = 3000,
        sublinear_tf: bool = True,
        profile: str = "search",
    ) -> None:
        self.analyzer = analyzer
        self.ngram_range = ngram_range
        self.n_features = n_features
        self.title_weight = title_weight
        self.lede_weight = lede_weight
        self.head_weight = head_weight
        self.tail_weight = tail_weight
        self.head_chars = head_chars
        self.max_chars = max_chars
        self.sublinear_tf = sublinear_tf
        self.profile = profile

    def fit(
        self, docs: Iterable[Article | str] | None = None, y: object = None
    ) -> ArticleVectorizer:
        """Nothing to learn (the hash space is fixed); returns self, as scikit-learn's."""
        return self

    def weights(self) -> dict[str, float]:
        """Field name -> weight."""
        return {
            "title": self.title_weight,
            "lede": self.lede_weight,
            "head": self.head_weight,
            "tail": self.tail_weight,
        }

    def _preprocess(self, text: str) -> str:
        return normalize(text, profile=self.profile)

    def analyze(self, text: str) -> list[str]:
        """The n-grams one text is hashed from (for explanations and debugging).

        >>> ArticleVectorizer(ngram_range=(2, 3)).analyze("سوريا")[:3]
        [' س', 'سو', 'ور']
        """
        return ngram_strings(self._preprocess(text), self.analyzer, self._ngram_range())

    def hash_text(self, text: str) -> np.ndarray:
        """The hashed feature of every n-gram of ``text``, in :meth:`analyze` order."""
        _, features = hash_ngrams(
            [self._preprocess(text)], self.analyzer, self._ngram_range(), self.n_features
        )
        return features

    def _ngram_range(self) -> tuple[int, int]:
        low, high = self.ngram_range
        return int(low), int(high)

    def _segments(self, docs: list[Article | str]) -> tuple[list[str], list[int], list[float]]:
        """The normalized weighted fields of ``docs``: texts, their document rows, weights."""
        weights = self.weights()
        texts: list[str] = []
        rows: list[int] = []
        text_weights: list[float] = []
        for row, doc in enumerate(docs):
            for name, text in weighted_fields(doc, self.head_chars, self.max_chars).items():
                if text and weights[name] != 0:
                    texts.append(self._preprocess(text))
                    rows.append(row)
                    text_weights.append(weights[name])
        return texts, rows, text_weights

    def transform(self, docs: Iterable[Article | str]) -> sp.csr_matrix:
        """Field-weighted (sublinear) n-gram counts, one CSR row per document, float32.

        A plain string is treated as a title: that is how a headline query is matched
        against articles.
        """
        docs = list(docs)
        seg_texts, seg_doc, seg_weight = self._segments(docs)
        if self.analyzer == "char_wb":
            counts = word_ngram_counts(
                seg_texts,
                np.asarray(seg_doc, dtype=np.int64),
                np.asarray(seg_weight),
                len(docs),
                self._ngram_range(),
                self.n_features,
            )
        else:
            segment, feature = hash_ngrams(
                seg_texts, self.analyzer, self._ngram_range(), self.n_features
            )
            # COO -> CSR sums the weights of equal (row, feature) pairs in compiled code;
            # float64 sums, then float32.
            rows = np.asarray(seg_doc, dtype=np.int64)[segment]
            counts = sp.csr_matrix(
                (np.asarray(seg_weight)[segment], (rows, feature)),
                shape=(len(docs), self.n_features),
            )
            counts.sum_duplicates()
        counts = sp.csr_matrix(counts, dtype=np.float32)
        counts.indices = counts.indices.astype(np.int32, copy=False)
        data = counts.data
        if self.sublinear_tf:
            # Weighted counts below 1 (a tail-only n-gram) keep their small weight.
            above = data > 1
            data[above] = 1 + np.log(data[above])
        return counts
