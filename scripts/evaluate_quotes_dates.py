"""Score quote attribution and date extraction on the hand-written gold sets.

Quotes: span-level precision/recall/F1 (speaker exact after folding, content overlap >= 0.8),
plus content-only figures and cue/kind/negation accuracy on matched quotes. Dates: exact-value
accuracy on explicit and relative gold mentions, and the share of predictions that overlap a
gold mention. ``--errors`` lists the misses of the chosen split.

Splits: ``dev`` and ``heldout`` (short attributed sentences, and dates), ``dev-hard`` and
``heldout-hard`` (wire-style paragraphs: appositions, clause subjects, quoted names; quotes
only), ``dev-wire`` and ``heldout-wire`` (wire constructions: وفق ما, نقلا عن, passive نُقل عن,
continuation cues, long appositions; quotes only). Rules are tuned on the dev splits only.

Usage:
    python scripts/evaluate_quotes_dates.py [--split dev|heldout|dev-hard|heldout-hard|
        dev-wire|heldout-wire|all] [--errors]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from arabnews_nlp.dates.evaluate import load_date_gold, score_dates
from arabnews_nlp.quotes.evaluate import load_quote_gold, score_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
SPLITS = ("dev", "heldout", "dev-hard", "heldout-hard", "dev-wire", "heldout-wire", "ranges")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=(*SPLITS, "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="print the misses")
    args = parser.parse_args(argv)
    splits = SPLITS if args.split == "all" else (args.split,)
    for split in splits:
        result: dict[str, object] = {"split": split}
        errors: list[dict[str, object]] = []
        quote_file = FIXTURES / "quotes" / f"{split}.txt"
        date_file = FIXTURES / "dates" / f"{split}.tsv"
        if quote_file.exists():
            quotes = score_quotes(load_quote_gold(quote_file))
            result["quotes"] = quotes.to_dict()
            errors += quotes.errors
        if date_file.exists():  # the "hard" splits are quotes only
            dates = score_dates(load_date_gold(date_file))
            result["dates"] = dates.to_dict()
            errors += dates.errors
        print(json.dumps(result, ensure_ascii=False))
        if args.errors:
            for error in errors:
                print("  ", json.dumps(error, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
