"""Subword (fastText-style) word vectors that ship with the neural tagger, read in numpy.

The vectors are trained with gensim's ``FastText`` (skip-gram with character n-grams) on
unlabelled news normalized and tokenized like the NER input, so a form never seen in training
(a new name, a name with a clitic attached: ``وبوتين``) still gets a vector: the mean of its
character n-gram vectors. Only what inference needs ships: the vectors of the most frequent
words and the n-gram hash table, quantized to int8 with one scale per row. The n-gram hashing
is gensim's (FNV-1a over the UTF-8 bytes of each n-gram of ``<word>``, bytes read as *signed*
chars, as in Facebook's fastText), reimplemented here so inference needs no gensim.

Example:
    >>> ngrams("بيت", 2, 3)
    ['<ب', '<بي', 'بي', 'بيت', 'يت', 'يت>', 'ت>']
    >>> int(ngram_hashes("بيت", 2, 3, 1000)[0]) == fnv1a_signed("<ب".encode()) % 1000
    True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["SubwordVectors", "fnv1a_signed", "ngram_hashes", "ngrams"]

_FNV_OFFSET, _FNV_PRIME, _MASK = 2166136261, 16777619, 0xFFFFFFFF


def fnv1a_signed(data: bytes) -> int:
    """32-bit FNV-1a of ``data`` with each byte sign-extended first (fastText's variant)."""
    h = _FNV_OFFSET
    for b in data:
        h = ((h ^ ((b - 256) & _MASK if b > 127 else b)) * _FNV_PRIME) & _MASK
    return h


def ngrams(word: str, min_n: int, max_n: int) -> list[str]:
    """The character n-grams of ``<word>`` that fastText hashes, in gensim's order.

    Single characters are kept except the boundary markers ``<`` and ``>`` alone.
    """
    marked = f"<{word}>"
    out = []
    for i in range(len(marked)):
        for n in range(min_n, max_n + 1):
            if i + n > len(marked):
                break
            if n == 1 and (i == 0 or i + n == len(marked)):
                continue
            out.append(marked[i : i + n])
    return out


def ngram_hashes(word: str, min_n: int, max_n: int, buckets: int) -> np.ndarray:
    """Bucket ids of the n-grams of ``word`` (gensim's ``ft_ngram_hashes``), in :func:`ngrams`
    order.

    FNV-1a reads bytes left to right, so the hash of an n-gram extends the hash of its prefix:
    one pass per start position serves every length (the cold path of inference hashes each
    new word type once).
    """
    marked = f"<{word}>"
    size = len(marked)
    signed = [[(b - 256) & _MASK if b > 127 else b for b in ch.encode("utf-8")] for ch in marked]
    out = []
    for i in range(size):
        h = _FNV_OFFSET
        for n in range(1, min(max_n, size - i) + 1):
            for b in signed[i + n - 1]:
                h = ((h ^ b) * _FNV_PRIME) & _MASK
            if n >= min_n and not (n == 1 and (i == 0 or i + n == size)):
                out.append(h % buckets)
    return np.array(out, dtype=np.int64)


def _quantize(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """int8 rows and a float32 scale per row (``row ≈ q * scale``)."""
    scale = np.abs(matrix).max(axis=1) / 127.0
    scale[scale == 0] = 1.0
    q = np.round(matrix / scale[:, None]).astype(np.int8)
    return q, scale.astype(np.float32)


class SubwordVectors:
    """Word vectors for known words, n-gram means for the rest, L2-normalized and scaled.

    Args:
        words: The known words, by row.
        word_q, word_scale: Their int8 vectors and per-row scales.
        ngram_q, ngram_scale: The n-gram bucket table (int8) and per-row scales.
        min_n, max_n: The n-gram lengths.
        scale: The length every returned vector is normalized to (0 keeps raw vectors).
    """

    def __init__(  # noqa: PLR0917 - the stored arrays, in the order save() writes them
        self,
        words: Sequence[str],
        word_q: np.ndarray,
        word_scale: np.ndarray,
        ngram_q: np.ndarray,
        ngram_scale: np.ndarray,
        min_n: int,
        max_n: int,
        scale: float = 3.0,
    ) -> None:
        self.index = {w: i for i, w in enumerate(words)}
        self.words = list(words)
        self.word_q, self.word_scale = word_q, word_scale
        self.ngram_q, self.ngram_scale = ngram_q, ngram_scale
        self.min_n, self.max_n, self.scale = min_n, max_n, scale
        self._cache: dict[str, np.ndarray] = {}
        self._buckets: dict[str, int] = {}

    @property
    def dim(self) -> int:
        """Vector length."""
        return int(self.word_q.shape[1])

    def raw(self, word: str) -> np.ndarray:
        """The unnormalized vector of ``word`` (dequantized; zeros for an empty word)."""
        row = self.index.get(word)
        if row is not None:
            return self.word_q[row].astype(np.float32) * self.word_scale[row]
        ids = self._bucket_ids(word)
        if not len(ids):
            return np.zeros(self.dim, dtype=np.float32)
        rows = self.ngram_q[ids].astype(np.float32) * self.ngram_scale[ids, None]
        return rows.mean(axis=0)

    def _bucket_ids(self, word: str) -> np.ndarray:
        """:func:`ngram_hashes` of ``word``, each n-gram hashed once per instance: the n-grams
        of unseen words repeat (affixes, clitics), the bytewise hash in Python does not pay."""
        known = self._buckets
        if len(known) > 200_000:  # bounded on a long stream
            known.clear()
        out = []
        for gram in ngrams(word, self.min_n, self.max_n):
            bucket = known.get(gram)
            if bucket is None:
                bucket = known[gram] = fnv1a_signed(gram.encode("utf-8")) % len(self.ngram_q)
            out.append(bucket)
        return np.array(out, dtype=np.int64)

    def vector(self, word: str) -> np.ndarray:
        """The vector the tagger sees: :meth:`raw`, L2-normalized, times ``scale`` (cached)."""
        vec = self._cache.get(word)
        if vec is None:
            vec = self.raw(word)
            norm = float(np.linalg.norm(vec))
            if self.scale and norm > 0:
                vec = vec * (self.scale / norm)
            # Bounded below the tagger's projection table (20k types), which caches what
            # matters: a batch of new types reads its vectors uncached (:meth:`vectors`).
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[word] = vec
        return vec

    def vectors(self, words: Sequence[str]) -> np.ndarray:
        """``(len(words), dim)`` float32: :meth:`vector` of each word (the same bits), known
        words' rows scaled in one product; not cached."""
        out = np.empty((len(words), self.dim), dtype=np.float32)
        rows = np.array([self.index.get(w, -1) for w in words], dtype=np.intp)
        known = rows >= 0
        out[known] = (
            self.word_q[rows[known]].astype(np.float32) * self.word_scale[rows[known], None]
        )
        for j in np.flatnonzero(~known).tolist():
            out[j] = self.raw(words[j])
        if self.scale:
            # vector()'s normalization: a float32 norm per row (np.linalg.norm's dot), the
            # factor rounded to float32 as numpy does for a Python float.
            norms = [float(np.linalg.norm(row)) for row in out]
            factors = [self.scale / n if n > 0 else 1.0 for n in norms]
            out *= np.array(factors).astype(np.float32)[:, None]
        return out

    def matrix(self, words: Sequence[str]) -> np.ndarray:
        """``(len(words), dim)`` float32 vectors of ``words``."""
        if not words:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.stack([self.vector(w) for w in words]).astype(np.float32)

    def save(self, path: str | Path) -> None:
        """Write an ``.npz`` (no pickle)."""
        np.savez_compressed(
            path,
            words=np.array("\n".join(self.words)),
            word_q=self.word_q,
            word_scale=self.word_scale,
            ngram_q=self.ngram_q,
            ngram_scale=self.ngram_scale,
            meta=np.array([self.min_n, self.max_n], dtype=np.int64),
            scale=np.array(self.scale, dtype=np.float64),
        )

    @classmethod
    def load(cls, path: str | Path) -> SubwordVectors:
        """Read a file written by :meth:`save`."""
        with np.load(path, allow_pickle=False) as z:
            words = str(z["words"]).split("\n") if z["words"].size else []
            min_n, max_n = (int(v) for v in z["meta"])
            return cls(
                words,
                z["word_q"],
                z["word_scale"],
                z["ngram_q"],
                z["ngram_scale"],
                min_n,
                max_n,
                float(z["scale"]),
            )

    @classmethod
    def from_gensim(cls, wv: Any, max_words: int = 50_000, scale: float = 3.0) -> SubwordVectors:
        """Keep the ``max_words`` most frequent words of a gensim ``FastTextKeyedVectors``
        (gensim orders them by count) and its whole n-gram table, quantized."""
        words = list(wv.index_to_key[:max_words])
        word_q, word_scale = _quantize(np.asarray(wv.vectors[: len(words)], dtype=np.float32))
        ngram_q, ngram_scale = _quantize(np.asarray(wv.vectors_ngrams, dtype=np.float32))
        return cls(words, word_q, word_scale, ngram_q, ngram_scale, wv.min_n, wv.max_n, scale=scale)
