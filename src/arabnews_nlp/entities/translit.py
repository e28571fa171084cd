"""Latin spellings of Arabic person names: a learned token table plus a learned letter model.

Arabic writes few vowels, so there is no rule that turns محمد into "Mohammed"; but most name
*words* recur, and English↔Arabic name pairs (Wikidata labels, NETransliteration, arabnamer)
say how each is usually spelled. :class:`Transliterator` learns

* a **token table**: each Arabic word (search-normalized) → its most frequent Latin spelling;
* a **letter model** for unseen words: every training pair is aligned letter by letter against
  a small table of the consonants each Arabic letter may be written with (:data:`SEEDS`; a
  Latin vowel run after a consonant belongs to the Arabic letter before it, as short vowels are
  unwritten), and the model keeps, for each letter in its context (previous, this, next
  letter), the Latin chunk it was most often written as, backing off to shorter contexts.

A word with the article is spelled ``al-`` + the rest ("الشرع" → "al-Sharaa") when the table
does not know it whole. Figures (held-out Wikidata names): ``docs/entities.md``.

Example:
    >>> t = Transliterator().fit([("سمير", "Samir", 3), ("سامي", "Sami", 2), ("نبيل", "Nabil", 1)])
    >>> t.predict("سمير نبيل")
    'Samir Nabil'
    >>> t.predict("الرامي")
    'al-Rami'
"""

from __future__ import annotations

import gzip
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from arabnews_nlp.entities.canonical import entity_key
from arabnews_nlp.entities.kb import KB_DIR

__all__ = ["SEEDS", "Transliterator", "load_transliterator", "transliterate"]

MODEL_FILE = "translit.json.gz"
_VOWELS = frozenset("aeiouy")
#: The Latin consonant spellings each Arabic letter (search-normalized) may take; "" = silent.
SEEDS: dict[str, tuple[str, ...]] = {
    "ا": ("a", "e", "o", "i", "u", ""),
    "ب": ("b", "p"),
    "ت": ("t",),
    "ث": ("th", "s", "t"),
    "ج": ("j", "g", "dj", "dj", "zh"),
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
    "ء": ("", "a", "e", "'"),
    "ئ": ("", "i", "e", "y", "'"),
    "ؤ": ("", "o", "u", "'"),
}
_MAX_VOWELS = 3
_START, _END = "^", "$"


def _align(arabic: str, latin: str) -> list[str] | None:
    """The Latin chunk of each Arabic letter, or None when the pair does not align.

    Each letter takes one of its seed consonants (doubled for an unwritten shadda) plus the
    vowels after it; among alignments the one leaving fewest vowels to silent letters wins.
    """
    n, m = len(arabic), len(latin)
    # best[i][j]: (cost, chunk, previous j) reaching letter i at Latin position j.
    best: list[dict[int, tuple[int, str, int]]] = [{} for _ in range(n + 1)]
    best[0][0] = (0, "", -1)
    for i, letter in enumerate(arabic):
        seeds = SEEDS.get(letter)
        if seeds is None:
            return None
        for j, (cost, _, _) in best[i].items():
            for core in seeds:
                options = [core] + ([core + core] if len(core) == 1 and core not in _VOWELS else [])
                for c in options:
                    if not latin.startswith(c, j):
                        continue
                    k = j + len(c)
                    for extra in range(_MAX_VOWELS + 1):
                        if extra and (k + extra > m or latin[k + extra - 1] not in _VOWELS):
                            break
                        end = k + extra
                        # An empty chunk (silent letter) costs, so letters take their sounds.
                        total = cost + (2 if end == j else 0) + (1 if not c and extra else 0)
                        if end not in best[i + 1] or total < best[i + 1][end][0]:
                            best[i + 1][end] = (total, latin[j:end], j)
    if m not in best[n]:
        return None
    chunks, j = [], m
    for i in range(n, 0, -1):
        _, chunk, j = best[i][j]
        chunks.append(chunk)
    return chunks[::-1]


def _contexts(word: str, i: int) -> tuple[str, str, str, str]:
    prev = word[i - 1] if i else _START
    nxt = word[i + 1] if i + 1 < len(word) else _END
    cur = word[i]
    return (prev + cur + nxt, cur + nxt, prev + cur, cur)


class Transliterator:
    """Arabic name → Latin spelling; fit on ``(arabic, latin, count)`` token pairs.

    Follows the scikit-learn habit: hyperparameters in ``__init__``, learned state with a
    trailing underscore set by :meth:`fit`.

    Args:
        min_count: Letter-model contexts seen fewer times are not kept (they back off).
    """

    def __init__(self, min_count: int = 2) -> None:
        self.min_count = min_count

    def fit(self, pairs: Iterable[tuple[str, str, int]]) -> Transliterator:
        """Learn the token table and the letter model from single-word name pairs."""
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        chunks: dict[str, Counter[str]] = defaultdict(Counter)
        for arabic, latin, count in pairs:
            key = entity_key(arabic)
            if not key or not latin:
                continue
            spellings[key][latin] += count
            if " " in key:  # a compound ("عبد الله" → "Abdullah"): the table only
                continue
            lower = latin.lower().replace("-", "").replace("'", "")
            aligned = _align(key, lower)
            if aligned is None:
                continue
            for i, chunk in enumerate(aligned):
                for context in _contexts(key, i):
                    chunks[context][chunk] += count
        self.tokens_ = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
        self.letters_ = {
            ctx: c.most_common(1)[0][0]
            for ctx, c in chunks.items()
            if sum(c.values()) >= self.min_count or len(ctx) == 1
        }
        return self

    def _spell(self, key: str) -> str:
        """The letter model's spelling of one search-normalized word."""
        out = []
        for i in range(len(key)):
            chunk = next((self.letters_[c] for c in _contexts(key, i) if c in self.letters_), "")
            out.append(chunk)
        text = "".join(out)
        return text[:1].upper() + text[1:]

    def predict_word(self, word: str) -> str:
        """One word: the table's spelling, ``al-`` + the rest, or the letter model's."""
        key = entity_key(word)
        if key in self.tokens_:
            return self.tokens_[key]
        if key.startswith("ال") and len(key) > 3:
            rest = key[2:]
            return "al-" + self.tokens_.get(rest, self._spell(rest))
        return self._spell(key)

    def predict(self, name: str) -> str:
        """The Latin spelling of a (multi-word) name; a compound the table knows as one
        ("عبد الله" → "Abdullah", "أبو بكر") is spelled as one."""
        words, out, i = name.split(), [], 0
        while i < len(words):
            pair = entity_key(" ".join(words[i : i + 2])) if i + 1 < len(words) else ""
            if pair in self.tokens_:
                out.append(self.tokens_[pair])
                i += 2
            else:
                out.append(self.predict_word(words[i]))
                i += 1
        return " ".join(out)

    def save(self, path: str | Path) -> None:
        """Write the learned tables as gzip JSON (sorted: reproducible)."""
        data = {
            "tokens": dict(sorted(self.tokens_.items())),
            "letters": dict(sorted(self.letters_.items())),
        }
        with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as raw:
            raw.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())

    @classmethod
    def load(cls, path: str | Path) -> Transliterator:
        """Read tables written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        model = cls()
        model.tokens_, model.letters_ = data["tokens"], data["letters"]
        return model


@lru_cache(maxsize=1)
def load_transliterator() -> Transliterator:
    """The shipped model (``resources/kb/translit.json.gz``), loaded once."""
    return Transliterator.load(KB_DIR / MODEL_FILE)


@lru_cache(maxsize=1 << 14)
def transliterate(name: str) -> str:
    """The Latin spelling of an Arabic person name with the shipped model.

    >>> transliterate("أحمد")
    'Ahmed'
    """
    return load_transliterator().predict(name)
