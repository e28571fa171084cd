"""Fit (and measure) the person-name transliterator on the English↔Arabic name pairs in ../shared.

Pairs: the words of Wikidata full names (CC0) whose Arabic and Latin forms have as many words,
Wikidata name parts (CC0), NETransliteration tokens (CC0) and arabnamer (CC BY 4.0).
Persian/Urdu-script rows are left out.

``--eval`` holds out every tenth Wikidata full name (by a hash of its Arabic form) and fits on
the rest *without* the name-part table (which is derived from all the names, held-out ones
included), then prints exact match (case-insensitive) and character error rate of the full
names, and the same for words the token table had never seen. Without ``--eval`` it fits on
everything and writes ``src/arabnews_nlp/resources/kb/translit.json.gz``.

Usage:
    python scripts/build_translit.py [--eval] [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
import unicodedata
import zlib
from collections.abc import Iterator
from pathlib import Path

from arabnews_nlp.entities.canonical import entity_key
from arabnews_nlp.entities.kb import KB_DIR
from arabnews_nlp.entities.translit import MODEL_FILE, Transliterator

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


def evaluate(gaz: Path) -> None:
    names = full_names(gaz)
    best: dict[str, tuple[int, str]] = {}
    for arabic, latin, count in names:
        if len(arabic.split()) > 1 and count > best.get(arabic, (-1, ""))[0]:
            best[arabic] = (count, latin)
    test = {a: lat for a, (_, lat) in best.items() if zlib.crc32(a.encode()) % 10 == 0}
    train = [p for p in names if p[0] not in test]
    model = Transliterator().fit(word_pairs(train) + other_pairs(gaz, with_units=False))
    exact = loose_exact = chars = errors = 0
    unseen_exact = unseen = unseen_chars = unseen_errors = 0
    for arabic, gold in test.items():
        guess = model.predict(arabic).lower()
        want = gold.lower()
        exact += guess == want
        loose_exact += loose(guess) == loose(want)
        chars += len(want)
        errors += _distance(guess, want)
        for word, gold_word in zip(arabic.split(), want.split(), strict=False):
            if entity_key(word) not in model.tokens_:
                got = model.predict_word(word).lower()
                unseen += 1
                unseen_exact += got == gold_word
                unseen_chars += len(gold_word)
                unseen_errors += _distance(got, gold_word)
    print(f"held-out full names: {len(test)} (fit on {len(train)} names, NETranslit, arabnamer)")
    print(
        f"full names: exact {exact / len(test):.3f} (case-insensitive), "
        f"{loose_exact / len(test):.3f} (hyphens, spaces, accents folded); CER {errors / chars:.3f}"
    )
    if unseen:
        share = unseen / sum(len(a.split()) for a in test)
        print(
            f"words unseen by the token table: {unseen} ({share:.1%}), letter model "
            f"exact {unseen_exact / unseen:.3f}  CER {unseen_errors / unseen_chars:.3f}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--eval", action="store_true")
    args = parser.parse_args()
    gaz = args.shared / "data" / "gazetteers"
    if args.eval:
        evaluate(gaz)
        return
    names = full_names(gaz)
    model = Transliterator().fit(word_pairs(names) + other_pairs(gaz, with_units=True))
    path = KB_DIR / MODEL_FILE
    model.save(path)
    print(
        f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB, {len(model.tokens_)} words, "
        f"{len(model.letters_)} letter contexts)"
    )


if __name__ == "__main__":
    main()
