"""Spelling an unseen Arabic name word in Latin letters: an EM-aligned chunk model.

Each Arabic letter is written as a Latin *chunk* of 0–4 letters (ح → "h", م → "mo", ع → "");
short vowels are unwritten in Arabic, so a chunk carries the vowels heard after its letter.

* **Alignment** (hard EM): every training pair is split into one chunk per Arabic letter by
  dynamic programming. The first pass scores chunks with a small table of the consonants each
  letter may be written with (:data:`SEEDS`); later passes with the chunk probabilities
  counted from the previous pass, so letters learn spellings the table lacks.
* **Model**: the chunk of letter *i* given a nested chain of contexts — the letter; + the next
  letter; + the previous one; + the previous chunk; ± two letters and the previous chunk —
  counted from the alignments and interpolated (Witten–Bell) from the widest context down.
* **Decoding**: beam search left to right (the previous chunk is part of the state).

Pure Python dictionaries at run time: no array library, no network.

Example:
    >>> pairs = [("سمير", "samir", 3), ("سامي", "sami", 2), ("نبيل", "nabil", 1)]
    >>> LetterModel().fit(pairs).spell("نمير")
    'namir'
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

__all__ = ["SEEDS", "LetterModel", "align"]

#: The Latin consonant spellings each Arabic letter (search-normalized) may take; "" = silent.
#: Only the first alignment pass uses them.
SEEDS: dict[str, tuple[str, ...]] = {
    "ا": ("a", "e", "o", "i", "u", ""),
    "ب": ("b", "p"),
    "ت": ("t",),
    "ث": ("th", "s", "t"),
    "ج": ("j", "g", "dj", "zh"),
    "ح": ("h", "kh"),
    "خ": ("kh", "h", "ch", "j", "x"),
    "د": ("d",),
    "ذ": ("dh", "z", "th", "d"),
    "ر": ("r",),
    "ز": ("z", "s"),
    "س": ("s", "ss", "c"),
    "ش": ("sh", "ch", "sch", "s", "sz"),
    "ص": ("s", "ss", "c"),
    "ض": ("d", "dh", "z"),
    "ط": ("t", "tt"),
    "ظ": ("z", "dh"),
    "ع": ("", "a", "e", "i", "o", "u"),
    "غ": ("gh", "g", "r", "h"),
    "ف": ("f", "ph", "v"),
    "ق": ("q", "k", "g", "kk", "c"),
    "ك": ("k", "c", "ch", "ck", "q"),
    "ل": ("l",),
    "م": ("m",),
    "ن": ("n",),
    "ه": ("h", "a", "e", ""),
    "و": ("w", "o", "u", "ou", "v", "oo", ""),
    "ي": ("y", "i", "ee", "ie", "j", "e", ""),
    "ء": ("", "a", "e"),
    "ئ": ("", "i", "e", "y"),
    "ؤ": ("", "o", "u"),
}
_VOWELS = frozenset("aeiouy")
_MAX_CHUNK = 4
_EDGE = "#"
_Scorer = dict[str, dict[str, float]]


def _seed_scores() -> _Scorer:
    """Log-score of chunks for the first pass: a seed consonant (or its double, for an
    unwritten shadda) plus up to three vowels; a silent letter is discouraged."""
    scores: _Scorer = {}
    for letter, cores in SEEDS.items():
        table: dict[str, float] = {}
        for core in cores:
            doubled = [core + core] if len(core) == 1 and core not in _VOWELS else []
            for c in [core, *doubled]:
                for tail in ("", "a", "e", "i", "o", "u", "aa", "ou", "ee", "ia", "ie", "ai"):
                    chunk = c + tail
                    if len(chunk) <= _MAX_CHUNK:
                        cost = 2.0 if not chunk else (1.0 if not c and tail else 0.0)
                        table[chunk] = max(table.get(chunk, -99.0), -cost - 0.1 * len(tail))
        scores[letter] = table
    return scores


def align(arabic: str, latin: str, scores: _Scorer, unknown: float = -12.0) -> list[str] | None:
    """The best split of ``latin`` into one chunk per Arabic letter (None when none fits).

    ``scores[letter][chunk]`` is a log-score; a chunk absent from it costs ``unknown`` plus one
    per letter (so the first pass, with ``unknown=-inf``, keeps to the seed table).
    """
    n, m = len(arabic), len(latin)
    best: list[dict[int, tuple[float, int]]] = [{} for _ in range(n + 1)]
    best[0][0] = (0.0, -1)
    for i, letter in enumerate(arabic):
        table = scores.get(letter, {})
        for j, (score, _) in best[i].items():
            for k in range(j, min(m, j + _MAX_CHUNK) + 1):
                s = table.get(latin[j:k])
                if s is None:
                    if unknown == -math.inf:
                        continue
                    s = unknown - (k - j)
                total = score + s
                if k not in best[i + 1] or total > best[i + 1][k][0]:
                    best[i + 1][k] = (total, j)
    if m not in best[n]:
        return None
    chunks, k = [], m
    for i in range(n, 0, -1):
        _, j = best[i][k]
        chunks.append(latin[j:k])
        k = j
    return chunks[::-1]


def _contexts(word: str, i: int, prev: str) -> tuple[str, ...]:
    """Keys of the nested contexts of letter ``i`` (narrowest first); ``prev`` = the chunk
    chosen for the letter before."""
    padded = _EDGE * 2 + word + _EDGE * 2
    j = i + 2
    return (
        padded[j],
        padded[j : j + 2],
        padded[j - 1 : j + 2],
        padded[j - 1 : j + 2] + "|" + prev,
        padded[j - 2 : j + 3] + "|" + prev,
    )


class LetterModel:
    """Arabic word → Latin spelling; fit on ``(arabic, latin, count)`` single-word pairs.

    Args:
        iterations: Alignment passes (the first uses :data:`SEEDS`).
        min_count: Contexts (beyond a single letter) seen fewer times are dropped when fitting,
            which keeps the shipped model small; they back off to narrower ones.
        beam: Hypotheses kept per letter when spelling.
        candidates: Chunks tried per letter (the letter's most frequent ones, plus every chunk
            seen in its widest known context).
    """

    def __init__(
        self, iterations: int = 3, min_count: int = 2, beam: int = 8, candidates: int = 12
    ) -> None:
        self.iterations = iterations
        self.min_count = min_count
        self.beam = beam
        self.candidates = candidates

    def fit(self, pairs: Iterable[tuple[str, str, int]]) -> LetterModel:
        """Align the pairs (Latin lower-case letters only) and count chunks in context."""
        data = [(a, lat, c) for a, lat, c in pairs if a and lat and lat.isalpha()]
        seeds = scores = _seed_scores()
        unknown = -math.inf
        alignments: list[tuple[str, list[str], int]] = []
        for _ in range(self.iterations):
            alignments = []
            counts: dict[str, Counter[str]] = defaultdict(Counter)
            for arabic, latin, count in data:
                chunks = align(arabic, latin, scores, unknown)
                if chunks is not None:
                    alignments.append((arabic, chunks, count))
                    for letter, chunk in zip(arabic, chunks, strict=True):
                        counts[letter][chunk] += count
            # Chunks seen once are mostly noisy pairs: they fall back to the seed table (at a
            # cost below any counted chunk), else to the unknown cost.
            scores = {
                letter: {ch: s - 8.0 for ch, s in seeds.get(letter, {}).items()}
                | {ch: math.log(n / sum(c.values())) for ch, n in c.items() if n > 1}
                for letter, c in counts.items()
            }
            unknown = -12.0
        table: dict[str, Counter[str]] = defaultdict(Counter)
        for arabic, chunks, count in alignments:
            prev = _EDGE
            for i, chunk in enumerate(chunks):
                for ctx in _contexts(arabic, i, prev):
                    table[ctx][chunk] += count
                prev = chunk
        self.table_ = {
            ctx: dict(c.most_common())
            for ctx, c in sorted(table.items())
            if len(ctx) == 1 or sum(c.values()) >= self.min_count
        }
        self.aligned_ = len(alignments)
        return self

    def _probabilities(self, contexts: tuple[str, ...], chunks: list[str]) -> list[float]:
        """Witten–Bell interpolated P(chunk | contexts) for each candidate chunk."""
        probs = [1.0 / 64] * len(chunks)
        for ctx in contexts:
            seen = self.table_.get(ctx)
            if not seen:
                continue
            total, types = sum(seen.values()), len(seen)
            probs = [
                (seen.get(ch, 0) + types * p) / (total + types)
                for ch, p in zip(chunks, probs, strict=True)
            ]
        return probs

    def spell_all(self, word: str) -> list[tuple[str, float]]:
        """The beam's spellings of one search-normalized word with their log-probabilities,
        best first."""
        hyps: list[tuple[float, str, str]] = [(0.0, "", _EDGE)]
        for i, letter in enumerate(word):
            # A letter the pairs never had (too few of them): its first seed consonant.
            own = list(self.table_.get(letter) or SEEDS.get(letter, ("",))[:1])
            own = own[: self.candidates]
            grown: dict[str, tuple[float, str]] = {}
            for score, text, prev in hyps:
                contexts = _contexts(word, i, prev)
                widest = next((self.table_[c] for c in contexts[::-1] if c in self.table_), {})
                chunks = list(dict.fromkeys([*own, *widest]))
                for chunk, p in zip(chunks, self._probabilities(contexts, chunks), strict=True):
                    key, s = text + chunk + "|" + chunk, score + math.log(p)
                    if key not in grown or s > grown[key][0]:
                        grown[key] = (s, chunk)
            ranked = sorted(grown.items(), key=lambda kv: -kv[1][0])[: self.beam]
            hyps = [(s, key.rsplit("|", 1)[0], chunk) for key, (s, chunk) in ranked]
        merged: dict[str, float] = {}
        for score, text, _ in hyps:
            merged[text] = max(merged.get(text, -math.inf), score)
        return sorted(merged.items(), key=lambda kv: -kv[1])

    def spell(self, word: str) -> str:
        """The most probable Latin spelling (lower case) of one search-normalized word."""
        spellings = self.spell_all(word)
        return spellings[0][0] if spellings else ""

    def to_dict(self) -> dict[str, object]:
        """The hyperparameters and the learned table, JSON-ready (contexts sorted)."""
        return {
            "params": {"beam": self.beam, "candidates": self.candidates},
            "table": self.table_,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LetterModel:
        """A fitted model from :meth:`to_dict`'s output."""
        model = cls(**data["params"])
        model.table_ = data["table"]
        return model
