"""The vectorizer's counts by word (``char_wb``) equal, bit for bit, the per-occurrence counts
it made before: each n-gram occurrence hashed on its own, summed by COO -> CSR."""

from __future__ import annotations

from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import scipy.sparse as sp

from arabnews_nlp import Article
from arabnews_nlp.corpus import read_articles
from arabnews_nlp.related import ArticleVectorizer
from arabnews_nlp.related.hashing import hash_ngrams


def _reference_transform(vec: ArticleVectorizer, docs: list[Article | str]) -> sp.csr_matrix:
    """The vectorizer before counting by word: every n-gram occurrence of every field."""
    texts, rows, field_weights = vec._segments(docs)  # the fields, as transform reads them
    segment, feature = hash_ngrams(texts, vec.analyzer, vec._ngram_range(), vec.n_features)
    counts = sp.csr_matrix(
        (np.asarray(field_weights)[segment], (np.asarray(rows, dtype=np.int64)[segment], feature)),
        shape=(len(docs), vec.n_features),
    )
    counts.sum_duplicates()
    counts = sp.csr_matrix(counts, dtype=np.float32)
    counts.indices = counts.indices.astype(np.int32, copy=False)
    if vec.sublinear_tf:
        data = counts.data
        counts.data = np.where(data > 1, 1 + np.log(np.maximum(data, 1)), data)
    return counts


def _assert_same_bits(got: sp.csr_matrix, want: sp.csr_matrix) -> None:
    assert got.shape == want.shape
    assert got.dtype == want.dtype == np.float32
    assert got.indices.dtype == want.indices.dtype
    np.testing.assert_array_equal(got.indptr, want.indptr)
    np.testing.assert_array_equal(got.indices, want.indices)
    np.testing.assert_array_equal(got.data.view(np.uint32), want.data.view(np.uint32))
    assert got.has_sorted_indices


SETTINGS: list[dict[str, Any]] = [
    {},
    # n = 1 (the padding spaces are not unigrams), weights whose sums round in float64
    {"ngram_range": (1, 3), "title_weight": 0.3, "lede_weight": 0.7, "tail_weight": 0.1},
    {"n_features": 2**30, "sublinear_tf": False},  # counted over renumbered columns
    {"ngram_range": (3, 6), "max_chars": 0, "head_chars": 40, "n_features": 2**12},
]


@pytest.mark.parametrize("params", SETTINGS)
def test_counts_by_word_equal_counts_by_occurrence(sample_path: Path, params: dict) -> None:
    docs: list[Article | str] = list(read_articles(sample_path))
    docs += [
        "زيارة الرئيس السوري إلى موسكو",  # a headline query
        "",
        "   \n\t ",
        Article(title="دمشق دمشق دمشق", body="دمشق"),  # one word, every field
        Article(title="ب", body="أ ب ت"),  # words shorter than the n-grams
    ]
    vec = ArticleVectorizer(**params)
    _assert_same_bits(vec.transform(docs), _reference_transform(vec, docs))


@pytest.mark.shared
def test_counts_by_word_equal_counts_by_occurrence_on_ant(shared_dir: Path) -> None:
    corpus = shared_dir / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
    if not corpus.exists():
        pytest.skip("ANT corpus not available")
    docs: list[Article | str] = list(islice(read_articles(corpus), 1500))
    vec = ArticleVectorizer()
    _assert_same_bits(vec.transform(docs), _reference_transform(vec, docs))


def test_other_analyzers_still_count_by_occurrence(sample_path: Path) -> None:
    docs: list[Article | str] = list(read_articles(sample_path))[:10]
    for analyzer in ("char", "word"):
        vec = ArticleVectorizer(analyzer=analyzer, ngram_range=(1, 3), n_features=2**16)
        _assert_same_bits(vec.transform(docs), _reference_transform(vec, docs))
