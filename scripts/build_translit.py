"""Fit (and measure) the person-name transliterator on the English↔Arabic name pairs in ../shared.

Pairs: the words of Wikidata full names (CC0) whose Arabic and Latin forms have as many words,
Wikidata name parts (CC0), NETransliteration tokens (CC0) and arabnamer (CC BY 4.0).
Persian/Urdu-script rows are left out.

``--eval`` prints two measures:

* **held-out full names** (the figure kept comparable across versions): every tenth
  multi-word Wikidata name (by a hash of its Arabic form) is held out and the model is fit on
  the rest *without* the name-part table (derived from all names, held-out ones included);
  exact match (case-insensitive; also with hyphens, spaces and accents folded; also against any
  spelling the data has for that name), a lenient score (every word is the gold word or a
  spelling the training pairs give that Arabic word at least twice), CER and CPU ms per name;
* **held-out word types**: every tenth Arabic word (by a hash) is removed from *all* pairs and
  the letter model alone spells it: exact against its most frequent spelling and against any.

Without ``--eval`` it fits on everything and writes
``src/arabnews_nlp/resources/kb/translit.json.gz`` (byte-for-byte reproducible).

Usage:
    python scripts/build_translit.py [--eval] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import time
import unicodedata
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from arabnews_nlp.entities.canonical import entity_key
from arabnews_nlp.entities.kb import KB_DIR
from arabnews_nlp.entities.translit import MODEL_FILE, Transliterator, letters_pair
from arabnews_nlp.entities.translit_letters import LetterModel

ROOT = Path(__file__).resolve().parents[1]
_PERSIAN = set("پچژگکیٹڈڑںھہےۀە")
_SKIP_COUNTRIES = {"IR", "PK", "AF", "IN", "TJ"}
Pair = tuple[str, str, int]


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with lzma.open(path, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if (
                row["source"] == "wikidata"
                and row["country"] not in _SKIP_COUNTRIES
                and row.get("latin_lang", "en") in ("en", "")
                and not _PERSIAN & set(row["arabic_key"])
            ):
                yield row


def full_names(gaz: Path) -> list[Pair]:
    return [
        (r["arabic_key"], r["latin"], int(r["count"] or 1))
        for r in _rows(gaz / "wikidata-person-names-ar/full_names.tsv.xz")
    ]


# Words that form one name with the next: "عبد الله" is often one Latin word, "Abdullah".
_BOUND = ("عبد", "ابو", "أبو", "ابن")


def word_pairs(names: list[Pair]) -> list[Pair]:
    """Word-by-word pairs of full names with as many words on both sides, and compounds
    (عبد/أبو + the next word) paired with one Latin word when that makes the counts match."""
    out = []
    for arabic, latin, count in names:
        a, b = arabic.split(), latin.split()
        if len(a) == len(b) + 1:
            bound = [i for i, w in enumerate(a[:-1]) if w in _BOUND]
            if len(bound) == 1:
                i = bound[0]
                a = [*a[:i], a[i] + " " + a[i + 1], *a[i + 2 :]]
        if len(a) == len(b) > 1:
            out += [(x, y, count) for x, y in zip(a, b, strict=True)]
    return out


def other_pairs(gaz: Path, with_units: bool) -> list[Pair]:
    pairs: list[Pair] = []
    if with_units:
        pairs += [
            (r["arabic_key"], r["latin"], int(r["count"] or 1))
            for r in _rows(gaz / "wikidata-person-names-ar/units.tsv.xz")
        ]
    with open(
        gaz / "netranslit-wikidata-ar/wd_arabic.normalized.aligned.tokens", encoding="utf-8"
    ) as f:
        for line in f:
            latin, arabic, count = line.rstrip("\n").split("\t")
            pairs.append((arabic.replace(" ", ""), latin.capitalize(), int(count)))
    names = json.loads((gaz / "arabnamer-en-ar-names/dict_FINAL.json").read_text("utf-8"))
    pairs += [(arabic, latin.capitalize(), 1) for latin, arabic in names.items()]
    return pairs


def loose(name: str) -> str:
    """A spelling with case, accents, hyphens, apostrophes and spaces folded ("Al-Hamed" ==
    "al Hamed"): the variants a reader does not count as a different name."""
    plain = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in plain if c.isalnum())


def _distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def _held_out_names(gaz: Path) -> tuple[dict[str, str], list[Pair], dict[str, set[str]]]:
    """Every tenth multi-word Wikidata name (by a hash of its Arabic form) with its most frequent
    spelling, the other names' pairs, and every spelling the data gives each held-out name."""
    names = full_names(gaz)
    best: dict[str, tuple[int, str]] = {}
    known: dict[str, set[str]] = defaultdict(set)
    for arabic, latin, count in names:
        known[arabic].add(latin.lower())
        if len(arabic.split()) > 1 and count > best.get(arabic, (-1, ""))[0]:
            best[arabic] = (count, latin)
    test = {a: lat for a, (_, lat) in best.items() if zlib.crc32(a.encode()) % 10 == 0}
    return test, [p for p in names if p[0] not in test], known


def _word_spellings(pairs: list[Pair]) -> dict[str, Counter[str]]:
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for arabic, latin, count in pairs:
        spellings[entity_key(arabic)][latin.lower()] += count
    return spellings


def evaluate_names(gaz: Path) -> None:
    """Full held-out names (the figure kept comparable across versions), strict and lenient."""
    test, train, known = _held_out_names(gaz)
    pairs = word_pairs(train) + other_pairs(gaz, with_units=False)
    model = Transliterator().fit(pairs)
    attested = _word_spellings(pairs)
    exact = loose_exact = any_exact = words_ok = chars = errors = 0
    start = time.process_time()
    guesses = {arabic: model.predict(arabic).lower() for arabic in test}
    per_name = (time.process_time() - start) / len(test)
    for arabic, gold in test.items():
        guess, want = guesses[arabic], gold.lower()
        exact += guess == want
        loose_exact += loose(guess) == loose(want)
        any_exact += guess in known[arabic]
        chars += len(want)
        errors += _distance(guess, want)
        # Lenient: each word is the gold word or a spelling the training pairs give that
        # Arabic word at least twice (Ahmed/Ahmad, Abdel/Abdul are both "right").
        words = word_pairs([(arabic, guess, 1)])
        gold_words = word_pairs([(arabic, want, 1)])
        if len(words) == len(gold_words) and words:
            words_ok += all(
                g == w or attested[entity_key(a)][g] >= 2
                for (a, g, _), (_, w, _) in zip(words, gold_words, strict=True)
            )
    n = len(test)
    print(f"held-out full names: {n} (fit on {len(train)} names, NETranslit, arabnamer)")
    print(
        f"full names: exact {exact / n:.3f} (case-insensitive), {loose_exact / n:.3f} (hyphens, "
        f"spaces, accents folded), {any_exact / n:.3f} (any spelling the data has for the name); "
        f"CER {errors / chars:.3f}"
    )
    print(
        f"lenient: {words_ok / n:.3f} of names have every word spelled as the gold or as a "
        f"spelling the training pairs give that word at least twice"
    )
    print(f"speed: {1000 * per_name:.2f} ms CPU per name (cold cache)")


def evaluate_words(gaz: Path) -> None:
    """The letter model alone on Arabic words it never saw: every tenth word type (by a hash of
    its form) is held out of *all* pairs, so no spelling of it leaks into training."""
    names = full_names(gaz)
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for arabic, latin, count in word_pairs(names) + other_pairs(gaz, with_units=True):
        pair = letters_pair(entity_key(arabic), latin)
        if pair is not None:
            spellings[pair[0]][pair[1]] += count
    test = sorted(k for k in spellings if zlib.crc32(k.encode()) % 10 == 0)
    train = [(k, lat, n) for k, c in spellings.items() if k not in test for lat, n in c.items()]
    model = LetterModel().fit(train)
    exact = any_exact = chars = errors = 0
    start = time.process_time()
    guesses = [model.spell(k) for k in test]
    per_word = (time.process_time() - start) / len(test)
    for key, guess in zip(test, guesses, strict=True):
        gold = spellings[key].most_common(1)[0][0]
        exact += guess == gold
        any_exact += guess in spellings[key]
        chars += len(gold)
        errors += _distance(guess, gold)
    n = len(test)
    print(f"held-out word types: {n} (letter model fit on {len(train)} pairs of the others)")
    print(
        f"letter model: exact {exact / n:.3f} (most frequent spelling), {any_exact / n:.3f} "
        f"(any spelling in the data); CER {errors / chars:.3f}; {1000 * per_word:.2f} ms per word"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--eval", action="store_true")
    args = parser.parse_args()
    gaz = args.shared / "data" / "gazetteers"
    if args.eval:
        evaluate_names(gaz)
        evaluate_words(gaz)
        return
    names = full_names(gaz)
    model = Transliterator().fit(word_pairs(names) + other_pairs(gaz, with_units=True))
    path = KB_DIR / MODEL_FILE
    model.save(path)
    print(
        f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB, {len(model.tokens_)} words, "
        f"{len(model.letters_.table_)} letter contexts)"
    )


if __name__ == "__main__":
    main()
