"""Score quote attribution and date extraction on the hand-written gold sets.

Quotes: span-level precision/recall/F1 (speaker exact after folding, content overlap >= 0.8),
plus content-only figures and cue/kind/negation accuracy on matched quotes. Dates: exact-value
accuracy on explicit and relative gold mentions, and the share of predictions that overlap a
gold mention. ``--errors`` lists the misses of the chosen split.

Usage:
    python scripts/evaluate_quotes_dates.py [--split dev|heldout|all] [--errors]
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from arabnews_nlp.dates.evaluate import load_date_gold, score_dates
from arabnews_nlp.quotes.evaluate import load_quote_gold, score_quotes

FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "heldout", "all"), default="all")
    parser.add_argument("--errors", action="store_true", help="print the misses")
    args = parser.parse_args(argv)
    splits = ("dev", "heldout") if args.split == "all" else (args.split,)
    for split in splits:
        quotes = score_quotes(load_quote_gold(FIXTURES / "quotes" / f"{split}.txt"))
        dates = score_dates(load_date_gold(FIXTURES / "dates" / f"{split}.tsv"))
        print(
            json.dumps(
                {"split": split, "quotes": quotes.to_dict(), "dates": dates.to_dict()},
                ensure_ascii=False,
            )
        )
        if args.errors:
            for error in [*quotes.errors, *dates.errors]:
                print("  ", json.dumps(error, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
