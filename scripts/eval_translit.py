"""Measure the person-name transliterator on held-out Wikidata names (and its letter model alone).

**Held-out full names.** Every multi-word Wikidata name is put, by a hash of its Arabic form,
into *test* (one in ten), *dev* (another one in ten) or training. ``--split test`` fits on
everything but the test names (the figure kept comparable across versions); ``--split dev``
also leaves the dev names out and scores them (for choices: never tune on test). The model is
fit without the name-part table (built from all names, held-out ones included). Gold = the
name's most frequent Wikidata spelling; its country (Wikidata's citizenship) is what a caller
would pass as ``country``. Printed per variant — without the country, with it:

* exact (case-insensitive); exact with hyphens, spaces and accents folded; exact against any
  spelling the data has for that name;
* lenient: every word is the gold word or a spelling the training pairs give that Arabic word at
  least twice (Ahmed/Ahmad, Abdel/Abdul both "right");
* CER (character error rate against the gold, case-insensitive);
* and the ceiling of any word-by-word speller: the share of names whose every gold word is a
  spelling the training pairs have for that Arabic word.

**Held-out word types** (``--words``): every tenth Arabic word (by a hash) is removed from *all*
pairs and the letter model alone spells it.

Usage:
    python scripts/eval_translit.py [--split dev|test] [--words] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import time
import unicodedata
import zlib
from collections import Counter, defaultdict
from pathlib import Path

from build_translit import Pair, full_names, other_pairs, word_pairs

from arabnews_nlp.entities.canonical import entity_key
from arabnews_nlp.entities.translit import Transliterator, letters_pair
from arabnews_nlp.entities.translit_letters import LetterModel

ROOT = Path(__file__).resolve().parents[1]
SPLITS = {"test": 0, "dev": 1}


def loose(name: str) -> str:
    """A spelling with case, accents, hyphens, apostrophes and spaces folded ("Al-Hamed" ==
    "al Hamed"): the variants a reader does not count as a different name."""
    plain = unicodedata.normalize("NFKD", name.lower())
    return "".join(c for c in plain if c.isalnum())


def distance(a: str, b: str) -> int:
    """Levenshtein distance."""
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def held_out(gaz: Path, split: str) -> tuple[dict[str, tuple[str, str]], list[Pair], dict]:
    """The held-out names (Arabic → (gold spelling, country)), the training names' pairs, and
    every spelling the data gives each held-out name."""
    names = full_names(gaz)
    best: dict[str, tuple[int, str, str]] = {}
    known: dict[str, set[str]] = defaultdict(set)
    for arabic, latin, count, country in names:
        known[arabic].add(latin.lower())
        if len(arabic.split()) > 1 and count > best.get(arabic, (-1, "", ""))[0]:
            best[arabic] = (count, latin, country)
    bucket = {a: zlib.crc32(a.encode()) % 10 for a in best}
    held = {a: (lat, cc) for a, (_, lat, cc) in best.items() if bucket[a] == SPLITS[split]}
    out = {a for a in best if bucket[a] in {0, SPLITS[split]}}
    return held, [p for p in names if p[0] not in out], known


def evaluate_names(gaz: Path, split: str) -> None:
    held, train, known = held_out(gaz, split)
    pairs = word_pairs(train) + other_pairs(gaz, with_units=False)
    model = Transliterator().fit(pairs)
    attested: dict[str, Counter[str]] = defaultdict(Counter)
    for arabic, latin, count, _ in pairs:
        attested[entity_key(arabic)][latin.lower()] += count
    print(f"{split}: {len(held)} held-out full names (fit on {len(train)} names + other pairs)")
    ceiling = 0
    for arabic, (gold, country) in held.items():
        words = word_pairs([(arabic, gold.lower(), 1, country)])
        ceiling += bool(words) and all(attested[entity_key(a)][w] for a, w, _, _ in words)
    for variant, with_country in (("word table, no country", False), ("+ country", True)):
        start = time.process_time()
        guesses = {
            a: model.predict(a, cc if with_country else None).lower() for a, (_, cc) in held.items()
        }
        per_name = (time.process_time() - start) / len(held)
        exact = folded = any_exact = lenient = chars = errors = 0
        for arabic, (gold, country) in held.items():
            guess, want = guesses[arabic], gold.lower()
            exact += guess == want
            folded += loose(guess) == loose(want)
            any_exact += guess in known[arabic]
            chars += len(want)
            errors += distance(guess, want)
            words = word_pairs([(arabic, guess, 1, country)])
            gold_words = word_pairs([(arabic, want, 1, country)])
            if len(words) == len(gold_words) and words:
                lenient += all(
                    g == w or attested[entity_key(a)][g] >= 2
                    for (a, g, _, _), (_, w, _, _) in zip(words, gold_words, strict=True)
                )
        n = len(held)
        print(
            f"{variant}: exact {exact / n:.3f}, folded {folded / n:.3f}, any spelling "
            f"{any_exact / n:.3f}, lenient {lenient / n:.3f}, CER {errors / chars:.3f}; "
            f"{1000 * per_name:.2f} ms CPU per name"
        )
    print(
        f"ceiling of a word-by-word speller (every gold word attested): {ceiling / len(held):.3f}"
    )


def evaluate_words(gaz: Path) -> None:
    """The letter model alone on Arabic words it never saw: every tenth word type (by a hash of
    its form) is held out of *all* pairs, so no spelling of it leaks into training."""
    spellings: dict[str, Counter[str]] = defaultdict(Counter)
    for arabic, latin, count, _ in word_pairs(full_names(gaz)) + other_pairs(gaz, True):
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
        errors += distance(guess, gold)
    n = len(test)
    print(f"held-out word types: {n} (letter model fit on {len(train)} pairs of the others)")
    print(
        f"letter model: exact {exact / n:.3f} (most frequent spelling), {any_exact / n:.3f} "
        f"(any spelling in the data); CER {errors / chars:.3f}; {1000 * per_word:.2f} ms per word"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--split", choices=sorted(SPLITS), default="test")
    parser.add_argument("--words", action="store_true", help="also the letter model alone")
    args = parser.parse_args()
    gaz = args.shared / "data" / "gazetteers"
    evaluate_names(gaz, args.split)
    if args.words:
        evaluate_words(gaz)


if __name__ == "__main__":
    main()
