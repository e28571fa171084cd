"""Vectorized feature hashing of character n-grams and words.

scikit-learn's ``HashingVectorizer(analyzer="char_wb")`` builds every n-gram as a Python string
(~4 ms per news article); here the n-grams of a whole batch are hashed at once with numpy
rolling polynomial hashes over the code points, ~30x faster, with the same n-grams:
``char_wb`` n-grams are those of each whitespace-separated word padded with one space.

:func:`word_ngram_counts` counts the ``char_wb`` n-grams of many texts by word: a news batch
repeats its words (~7 tokens per distinct word), and an n-gram never crosses a word, so each
distinct word is hashed once and its n-grams are counted as often as the word occurs.

Example:
    >>> seg, feat = hash_ngrams(["دمشق"], "char_wb", (2, 3), 2**20)
    >>> len(feat) == len(ngram_strings("دمشق", "char_wb", (2, 3)))  # ' د','دم',...,'دمش',...
    True
    >>> bool((hash_ngrams(["دمشق"], "char_wb", (2, 3), 2**20)[1] == feat).all())
    True
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

__all__ = ["ANALYZERS", "hash_ngrams", "ngram_strings", "token_code", "word_ngram_counts"]

#: Supported analyzers: word-bounded character n-grams, raw character n-grams, words.
ANALYZERS = ("char_wb", "char", "word")

_PRIME = np.uint64(0x100000001B3)  # FNV-64 prime: odd, so the rolling hash keeps all bits
_MIX = np.uint64(0x9E3779B97F4A7C15)  # Fibonacci hashing: top bits of h * 2^64/phi
_WORD = re.compile(r"\w\w+")  # scikit-learn's default token pattern
_SPACE = ord(" ")
#: Hash spaces above this are counted over the batch's own n-grams, renumbered (a sparse
#: product over all columns would allocate per column).
_DIRECT_FEATURES = 2**24


def _check(analyzer: str, ngram_range: tuple[int, int], n_features: int) -> int:
    if analyzer not in ANALYZERS:
        raise ValueError(f"unknown analyzer {analyzer!r}; choose from {ANALYZERS}")
    low, high = ngram_range
    if not 1 <= low <= high:
        raise ValueError(f"bad ngram_range {ngram_range!r}")
    bits = int(n_features).bit_length() - 1
    if n_features < 2 or 1 << bits != n_features or bits > 40:
        raise ValueError(f"n_features must be a power of two up to 2**40, got {n_features}")
    return bits


def _prepare(text: str, analyzer: str) -> str:
    words = text.split()
    if analyzer == "word":
        return " ".join(words)
    if analyzer == "char_wb":
        return " " + " ".join(words) + " " if words else ""
    return " ".join(words)


def hash_ngrams(
    texts: Sequence[str],
    analyzer: str,
    ngram_range: tuple[int, int],
    n_features: int,
) -> tuple[np.ndarray, np.ndarray]:
    """Hash every n-gram occurrence of every text.

    Args:
        texts: Already-normalized texts (whitespace runs are treated as one space).
        analyzer: ``"char_wb"``, ``"char"`` or ``"word"`` (word n-grams of ``\\w\\w+`` tokens).
        ngram_range: Smallest and largest n.
        n_features: Power-of-two hash space.

    Returns:
        ``(text_index, feature)``: two int64 arrays with one entry per n-gram occurrence.
    """
    bits = _check(analyzer, ngram_range, n_features)
    prepared = [_prepare(t, analyzer) for t in texts]
    if analyzer == "word":
        return _hash_words(prepared, ngram_range, bits)
    lengths = np.fromiter(map(len, prepared), dtype=np.int64, count=len(prepared))
    return _hash_joined("".join(prepared), lengths, ngram_range, bits, analyzer == "char_wb")


def _hash_joined(
    joined: str, lengths: np.ndarray, ngram_range: tuple[int, int], bits: int, bounded: bool
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_hash_codes` of texts joined into one string, ``lengths[i]`` characters each."""
    if not joined:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    codes = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32)
    owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    return _hash_codes(codes.astype(np.uint64), owner, ngram_range, bits, bounded)


def _hash_codes(
    codes: np.ndarray, owner: np.ndarray, ngram_range: tuple[int, int], bits: int, bounded: bool
) -> tuple[np.ndarray, np.ndarray]:
    """Rolling hashes of all n-grams of a code-point array (``owner[i]`` = text of char i)."""
    low, high = ngram_range
    space = codes == _SPACE
    # interior_space[i] = some char strictly inside the current n-gram starting at i is a space.
    interior_space = np.zeros(len(codes), dtype=bool)
    rolling = codes.copy()
    out_owner: list[np.ndarray] = []
    out_feat: list[np.ndarray] = []
    for n in range(1, high + 1):
        if n > 1:
            m = len(codes) - n + 1
            if m <= 0:
                break
            rolling = rolling[:m] * _PRIME + codes[n - 1 :]
            if n > 2:
                interior_space = interior_space[:m] | space[n - 2 : n - 2 + m]
            else:
                interior_space = interior_space[:m]
        if n < low:
            continue
        m = len(rolling)
        valid = owner[:m] == owner[n - 1 :]
        if bounded:
            valid &= ~interior_space
            if n == 1:
                valid &= ~space
        hashed = (rolling[valid] ^ np.uint64(n)) * _MIX
        out_feat.append((hashed >> np.uint64(64 - bits)).astype(np.int64))
        out_owner.append(owner[:m][valid])
    if not out_feat:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return np.concatenate(out_owner), np.concatenate(out_feat)


def word_ngram_counts(
    texts: Sequence[str],
    rows: np.ndarray,
    weights: np.ndarray,
    n_rows: int,
    ngram_range: tuple[int, int],
    n_features: int,
) -> sp.csr_matrix:
    """Weighted ``char_wb`` n-gram counts of ``texts`` summed into rows: CSR float64 with
    sorted column indices, row ``rows[i]`` adding ``weights[i]`` for every n-gram occurrence
    of ``texts[i]``, the sums of :func:`hash_ngrams`'s occurrences.

    The float64 sums are added in another order than one occurrence at a time: the same bits
    wherever they are exact (the default field weights, any multiples of a power of two), and
    within float64 rounding otherwise, far below the float32 the vectorizer keeps (the
    order of the occurrences' sums was scipy's sort of duplicates before, not a documented one).

    >>> X = word_ngram_counts(["في دمشق", "دمشق"], np.array([0, 0]), np.array([1.0, 3.0]),
    ...                       1, (3, 3), 2**20)
    >>> sorted(X.data.tolist())  # ' في', 'في ' once; ' دم', 'دمش', 'مشق', 'شق ' 1 + 3 times
    [1.0, 1.0, 4.0, 4.0, 4.0, 4.0]
    """
    vocabulary: dict[str, int] = {}
    tokens: list[int] = []
    n_tokens = np.empty(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        words = text.split()
        tokens.extend([vocabulary.setdefault(w, len(vocabulary)) for w in words])
        n_tokens[i] = len(words)
    # Words x rows: the summed weight of each word's occurrences in each row.
    occurrences = sp.csr_matrix(
        (
            np.repeat(np.asarray(weights, dtype=np.float64), n_tokens),
            (np.asarray(tokens, dtype=np.int64), np.repeat(np.asarray(rows), n_tokens)),
        ),
        shape=(len(vocabulary), n_rows),
    )
    # Each word padded with one space, as char_wb pads it.
    words = list(vocabulary)
    lengths = np.fromiter(map(len, words), dtype=np.int64, count=len(words)) + 2
    bits = _check("char_wb", ngram_range, n_features)
    word, feature = _hash_joined(
        " " + "  ".join(words) + " " if words else "", lengths, ngram_range, bits, True
    )
    columns = None
    if n_features > _DIRECT_FEATURES:
        columns, feature = np.unique(feature, return_inverse=True)
    # Columns x words: how often each n-gram occurs in each word. Their product is the
    # transposed counts; CSC -> CSR sorts the columns of every row.
    n_columns = n_features if columns is None else len(columns)
    grams = sp.csr_matrix(
        (np.ones(len(feature)), (feature, word)), shape=(n_columns, len(vocabulary))
    )
    counts = sp.csr_matrix((grams @ occurrences).T)
    if columns is not None:
        counts = sp.csr_matrix(
            (counts.data, columns[counts.indices], counts.indptr), shape=(n_rows, n_features)
        )
    return counts


def _hash_words(
    prepared: list[str], ngram_range: tuple[int, int], bits: int
) -> tuple[np.ndarray, np.ndarray]:
    """Word n-grams: each token gets one code, then the same rolling hash runs over tokens."""
    low, high = ngram_range
    token_ids: dict[str, int] = {}
    codes: list[int] = []
    owner: list[int] = []
    for i, text in enumerate(prepared):
        for token in _WORD.findall(text):
            code = token_ids.get(token)
            if code is None:
                token_ids[token] = code = token_code(token)
            codes.append(code)
            owner.append(i)
    if not codes:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    return _hash_codes(
        np.asarray(codes, dtype=np.uint64),
        np.asarray(owner, dtype=np.int64),
        (low, high),
        bits,
        bounded=False,
    )


def token_code(token: str) -> int:
    """A stable 64-bit code of a string (FNV-1a over its UTF-8 bytes; no per-process salt).

    >>> token_code("موسكو") == token_code("موسكو"), token_code("a") != token_code("b")
    (True, True)
    """
    h = 0xCBF29CE484222325
    for byte in token.encode("utf-8"):
        h = ((h ^ byte) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def ngram_strings(text: str, analyzer: str, ngram_range: tuple[int, int]) -> list[str]:
    """The n-grams of ``text`` as strings, in the order :func:`hash_ngrams` hashes them.

    >>> ngram_strings("في دمشق", "char_wb", (3, 3))
    [' في', 'في ', ' دم', 'دمش', 'مشق', 'شق ']
    """
    low, high = ngram_range
    prepared = _prepare(text, analyzer)
    if analyzer == "word":
        units: list[str] = _WORD.findall(prepared)
        joiner = " "
    else:
        units = list(prepared)
        joiner = ""
    out: list[str] = []
    for n in range(low, high + 1):
        for i in range(len(units) - n + 1):
            gram = units[i : i + n]
            if analyzer == "char_wb" and (" " in gram[1:-1] or (n == 1 and gram[0] == " ")):
                continue
            out.append(joiner.join(gram))
    return out
