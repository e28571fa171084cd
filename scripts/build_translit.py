"""Fit the person-name transliterator on the English↔Arabic name pairs in ../shared.

Pairs: the words of Wikidata full names (CC0) whose Arabic and Latin forms have as many words,
with the person's country (for the country tables), Wikidata name parts (CC0),
NETransliteration tokens (CC0) and arabnamer (CC BY 4.0). Persian/Urdu-script rows are left out.

It fits on everything and writes ``src/arabnews_nlp/resources/kb/translit.json.gz``
(byte-for-byte reproducible). The measures are in ``scripts/eval_translit.py``.

Usage:
    python scripts/build_translit.py [--shared ../shared]
"""

from __future__ import annotations

import argparse
import csv
import json
import lzma
from collections.abc import Iterator
from pathlib import Path

from arabnews_nlp.entities.kb import KB_DIR
from arabnews_nlp.entities.translit import MODEL_FILE, Transliterator

ROOT = Path(__file__).resolve().parents[1]
_PERSIAN = set("پچژگکیٹڈڑںھہےۀە")
_SKIP_COUNTRIES = {"IR", "PK", "AF", "IN", "TJ"}
Pair = tuple[str, str, int, str]  # arabic, latin, count, country ('' unknown)


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
        (r["arabic_key"], r["latin"], int(r["count"] or 1), r["country"])
        for r in _rows(gaz / "wikidata-person-names-ar/full_names.tsv.xz")
    ]


# Words that form one name with the next: "عبد الله" is often one Latin word, "Abdullah".
_BOUND = ("عبد", "ابو", "أبو", "ابن")


def word_pairs(names: list[Pair]) -> list[Pair]:
    """Word-by-word pairs of full names with as many words on both sides, and compounds
    (عبد/أبو + the next word) paired with one Latin word when that makes the counts match."""
    out = []
    for arabic, latin, count, country in names:
        a, b = arabic.split(), latin.split()
        if len(a) == len(b) + 1:
            bound = [i for i, w in enumerate(a[:-1]) if w in _BOUND]
            if len(bound) == 1:
                i = bound[0]
                a = [*a[:i], a[i] + " " + a[i + 1], *a[i + 2 :]]
        if len(a) == len(b) > 1:
            out += [(x, y, count, country) for x, y in zip(a, b, strict=True)]
    return out


def other_pairs(gaz: Path, with_units: bool) -> list[Pair]:
    pairs: list[Pair] = []
    if with_units:
        pairs += [
            (r["arabic_key"], r["latin"], int(r["count"] or 1), r["country"])
            for r in _rows(gaz / "wikidata-person-names-ar/units.tsv.xz")
        ]
    with open(
        gaz / "netranslit-wikidata-ar/wd_arabic.normalized.aligned.tokens", encoding="utf-8"
    ) as f:
        for line in f:
            latin, arabic, count = line.rstrip("\n").split("\t")
            pairs.append((arabic.replace(" ", ""), latin.capitalize(), int(count), ""))
    names = json.loads((gaz / "arabnamer-en-ar-names/dict_FINAL.json").read_text("utf-8"))
    pairs += [(arabic, latin.capitalize(), 1, "") for latin, arabic in names.items()]
    return pairs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = parser.parse_args()
    gaz = args.shared / "data" / "gazetteers"
    names = full_names(gaz)
    model = Transliterator().fit(word_pairs(names) + other_pairs(gaz, with_units=True))
    path = KB_DIR / MODEL_FILE
    model.save(path)
    print(
        f"wrote {path} ({path.stat().st_size / 1e3:.0f} kB, {len(model.tokens_)} words, "
        f"{len(model.letters_.table_)} letter contexts, "
        f"{sum(map(len, model.countries_.values()))} country spellings)"
    )


if __name__ == "__main__":
    main()
