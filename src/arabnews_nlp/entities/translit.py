"""Latin spellings of Arabic person names: a learned token table plus a learned letter model.

Arabic writes few vowels, so there is no rule that turns محمد into "Mohammed"; but most name
*words* recur, and English↔Arabic name pairs (Wikidata labels, NETransliteration, arabnamer)
say how each is usually spelled. :class:`Transliterator` learns

* a **token table**: each Arabic word (search-normalized) → its most frequent Latin spelling;
* **country tables**: where the names of one country spell a word otherwise (محمد is "Mohamed"
  in Egypt, "Mohammed" in Iraq, "Muhammad" in Pakistan; الغنوشي drops the article in Tunisia),
  that country's spelling, used when the caller knows the person's country (Wikidata's, or the
  country an article is about);
* a **letter model** for words the table lacks
  (:class:`~arabnews_nlp.entities.translit_letters.LetterModel`): every pair is aligned by EM
  into one Latin chunk per Arabic letter (a chunk carries the vowels Arabic does not write),
  then each chunk is predicted from the letters around it and the previous chunk, with a beam.

A word with the article is spelled ``al-`` + the rest ("الشرع" → "al-Sharaa") when the table
does not know it whole. Figures (held-out Wikidata names): ``docs/entities.md``.

Example:
    >>> t = Transliterator().fit([("سمير", "Samir", 3), ("سامي", "Sami", 2), ("نبيل", "Nabil", 1)])
    >>> t.predict("سمير نبيل")
    'Samir Nabil'
    >>> t.predict("الرامي")
    'al-Rami'
    >>> t = Transliterator().fit([("محمد", "Mohammed", 3, "IQ"), ("محمد", "Mohamed", 2, "EG")])
    >>> t.predict("محمد"), t.predict("محمد", country="EG")
    ('Mohammed', 'Mohamed')
"""

from __future__ import annotations

import gzip
import json
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from arabnews_nlp.entities.canonical import entity_key
from arabnews_nlp.entities.kb import KB_DIR
from arabnews_nlp.entities.translit_letters import LetterModel

__all__ = ["Transliterator", "load_transliterator", "transliterate"]

MODEL_FILE = "translit.json.gz"


def letters_pair(key: str, latin: str) -> tuple[str, str] | None:
    """A single-word pair as the letter model learns it: plain lower-case Latin letters, the
    article split off both sides ("الشبل"/"al-Shibl" → "شبل"/"shibl"); None when the Latin
    side drops the article ("الجزولي"/"Jazouli") or is not plain letters."""
    plain = "".join(
        c for c in unicodedata.normalize("NFKD", latin.lower()) if c.isascii() and c.isalpha()
    )
    if key.startswith("ال") and len(key) > 3:
        if not plain.startswith(("al", "el")):
            return None
        key, plain = key[2:], plain[2:]
    return (key, plain) if plain and " " not in key else None


class Transliterator:
    """Arabic name → Latin spelling; fit on ``(arabic, latin, count[, country])`` token pairs.

    Follows the scikit-learn habit: hyperparameters in ``__init__``, learned state with a
    trailing underscore set by :meth:`fit`.

    Args:
        letters: The (unfitted) model for words the table lacks; default
            :class:`~arabnews_nlp.entities.translit_letters.LetterModel` ``()``.
        country_prior: How many pairs' worth of weight the all-countries spelling
            distribution gets against one country's own counts (``c_country(y) + w·P(y)``):
            small → a country's spelling wins on little evidence.
    """

    def __init__(self, letters: LetterModel | None = None, country_prior: float = 2.0) -> None:
        self.letters = letters
        self.country_prior = country_prior

    def fit(
        self, pairs: Iterable[tuple[str, str, int] | tuple[str, str, int, str]]
    ) -> Transliterator:
        """Learn the token table, the country tables and the letter model from single-word
        name pairs (the optional fourth field: the ISO country of the person, or "")."""
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        by_country: dict[str, dict[str, Counter[str]]] = defaultdict(lambda: defaultdict(Counter))
        letter_pairs: Counter[tuple[str, str]] = Counter()
        for arabic, latin, count, *rest in pairs:
            key = entity_key(arabic)
            if not key or not latin:
                continue
            spellings[key][latin] += count
            if rest and rest[0]:
                by_country[rest[0]][key][latin] += count
            pair = letters_pair(key, latin)
            if pair is not None:
                letter_pairs[pair] += count
        self.tokens_ = {k: c.most_common(1)[0][0] for k, c in spellings.items()}
        self.countries_ = {
            code: local
            for code, table in sorted(by_country.items())
            if (local := self._local(table, spellings))
        }
        model = self.letters if self.letters is not None else LetterModel()
        self.letters_ = model.fit((a, b, n) for (a, b), n in sorted(letter_pairs.items()))
        return self

    def _local(
        self, table: dict[str, Counter[str]], spellings: dict[str, Counter[str]]
    ) -> dict[str, str]:
        """One country's spellings that differ from the token table's: the spelling that
        maximizes its count in the country + ``country_prior`` × its share over all pairs."""
        out = {}
        for key, counts in sorted(table.items()):
            overall, total, default = (
                spellings[key],
                sum(spellings[key].values()),
                self.tokens_[key],
            )
            scores = {
                y: counts[y] + self.country_prior * overall[y] / total for y in {*counts, default}
            }
            best = max(sorted(scores), key=scores.__getitem__)
            if scores[best] > scores[default]:
                out[key] = best
        return out

    def _lookup(self, key: str, country: str | None) -> str | None:
        local = self.countries_.get(country or "")
        if local is not None and key in local:
            return local[key]
        return self.tokens_.get(key)

    def _spell(self, key: str) -> str:
        """The letter model's spelling of one search-normalized word."""
        text = self.letters_.spell(key)
        return text[:1].upper() + text[1:]

    def predict_word(self, word: str, country: str | None = None) -> str:
        """One word: the table's spelling (the country's where it has one), ``al-`` + the
        rest, or the letter model's."""
        key = entity_key(word)
        found = self._lookup(key, country)
        if found is not None:
            return found
        if key.startswith("ال") and len(key) > 3:
            rest = key[2:]
            return "al-" + (self._lookup(rest, country) or self._spell(rest))
        return self._spell(key)

    def predict(self, name: str, country: str | None = None) -> str:
        """The Latin spelling of a (multi-word) name; a compound the table knows as one
        ("عبد الله" → "Abdullah", "أبو بكر") is spelled as one.

        Args:
            name: The Arabic name.
            country: ISO 3166-1 alpha-2 code of the person's country, when known: the
                country's usual spellings are preferred.
        """
        words, out, i = name.split(), [], 0
        while i < len(words):
            pair = entity_key(" ".join(words[i : i + 2])) if i + 1 < len(words) else ""
            found = self._lookup(pair, country) if pair else None
            if found is not None:
                out.append(found)
                i += 2
            else:
                out.append(self.predict_word(words[i], country))
                i += 1
        return " ".join(out)

    def save(self, path: str | Path) -> None:
        """Write the learned tables as gzip JSON (sorted: reproducible)."""
        data = {
            "tokens": dict(sorted(self.tokens_.items())),
            "countries": self.countries_,
            "letters": self.letters_.to_dict(),
        }
        with gzip.GzipFile(path, "wb", compresslevel=9, mtime=0) as raw:
            raw.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode())

    @classmethod
    def load(cls, path: str | Path) -> Transliterator:
        """Read tables written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            data = json.load(handle)
        model = cls()
        model.tokens_ = data["tokens"]
        model.countries_ = data.get("countries", {})
        model.letters_ = LetterModel.from_dict(data["letters"])
        return model


@lru_cache(maxsize=1)
def load_transliterator() -> Transliterator:
    """The shipped model (``resources/kb/translit.json.gz``), loaded once."""
    return Transliterator.load(KB_DIR / MODEL_FILE)


@lru_cache(maxsize=1 << 14)
def transliterate(name: str, country: str | None = None) -> str:
    """The Latin spelling of an Arabic person name with the shipped model; ``country`` (ISO
    alpha-2, when known) picks that country's usual spellings.

    >>> transliterate("أحمد")
    'Ahmed'
    """
    return load_transliterator().predict(name, country)
