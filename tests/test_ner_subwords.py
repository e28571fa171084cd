"""Subword vectors: gensim's n-gram hashing reimplemented, quantized export, save/load."""

from __future__ import annotations

import numpy as np
import pytest

from arabnews_nlp.entities.subwords import SubwordVectors, fnv1a_signed, ngram_hashes, ngrams

# Original sentences written for these tests.
SENTENCES = [
    ["زار", "الرئيس", "ماكرون", "بيروت", "امس"],
    ["وصل", "الوزير", "الى", "القاهره", "صباحا"],
    ["التقى", "الامين", "العام", "بالرئيس", "في", "دمشق"],
] * 40
UNSEEN = ["وببيروت", "بوتين", "ماكرونيه", "x", "é"]


def test_ngrams_follow_fasttext() -> None:
    assert ngrams("دمشق", 3, 3) == ["<دم", "دمش", "مشق", "شق>"]
    # One-character n-grams are kept except the bare boundary markers.
    assert ngrams("ab", 1, 1) == ["a", "b"]


def test_fnv_reads_bytes_as_signed_like_fasttext() -> None:
    # ASCII bytes: the plain FNV-1a; bytes >= 0x80 are sign-extended (Arabic letters are).
    assert fnv1a_signed(b"a") == (2166136261 ^ 0x61) * 16777619 % 2**32
    assert fnv1a_signed("د".encode()) != fnv1a_signed(b"\x06\x2f")


def test_hashing_and_vectors_match_gensim() -> None:
    gensim = pytest.importorskip("gensim")
    from gensim.models.fasttext import ft_ngram_hashes
    from gensim.models.fasttext_inner import compute_ngrams_bytes

    model = gensim.models.FastText(
        sentences=SENTENCES, vector_size=12, min_count=1, epochs=1, min_n=2, max_n=5,
        bucket=3000, seed=0, workers=1,
    )  # fmt: skip
    for word in [*UNSEEN, "ماكرون"]:
        assert [g.encode() for g in ngrams(word, 2, 5)] == compute_ngrams_bytes(word, 2, 5)
        assert ngram_hashes(word, 2, 5, 3000).tolist() == ft_ngram_hashes(word, 2, 5, 3000)
    wv = model.wv
    ones = np.ones(len(wv.vectors_ngrams), dtype=np.float32)
    raw = SubwordVectors(
        wv.index_to_key, wv.vectors, ones[: len(wv.vectors)], wv.vectors_ngrams, ones, 2, 5, 0
    )
    for word in [*UNSEEN, "ماكرون", "القاهره"]:
        np.testing.assert_allclose(raw.raw(word), wv[word], rtol=1e-6, atol=1e-7)
    # The int8 export stays close to gensim's vectors (direction within a few per cent).
    packed = SubwordVectors.from_gensim(wv, max_words=5, scale=1.0)
    for word in [*UNSEEN, "ماكرون"]:
        cosine = packed.vector(word) @ (wv[word] / np.linalg.norm(wv[word]))
        assert cosine > 0.98


def test_save_load_round_trip(tmp_path) -> None:
    rng = np.random.default_rng(0)
    words = ["بيروت", "دمشق", "القاهره"]
    vectors = SubwordVectors(
        words,
        rng.integers(-127, 128, (3, 8), dtype=np.int8),
        np.full(3, 0.01, dtype=np.float32),
        rng.integers(-127, 128, (50, 8), dtype=np.int8),
        np.full(50, 0.02, dtype=np.float32),
        2,
        4,
        scale=3.0,
    )
    vectors.save(tmp_path / "v.npz")
    again = SubwordVectors.load(tmp_path / "v.npz")
    assert again.words == words and (again.min_n, again.max_n, again.dim) == (2, 4, 8)
    for word in [*words, "وبدمشق"]:
        np.testing.assert_array_equal(again.vector(word), vectors.vector(word))
        assert np.linalg.norm(again.vector(word)) == pytest.approx(3.0, rel=1e-5)
    assert again.matrix([]).shape == (0, 8)
