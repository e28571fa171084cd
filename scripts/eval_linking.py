"""Evaluate entity linking on the gold test set (tests/fixtures/linking/gold.jsonl by default).

Prints precision/recall of ``kb_id``, Latin-name exact match, ambiguous-mention accuracy, the
confusion of wrong ambiguous mentions and (with ``--errors``) every wrong mention; exits 1 when
a target is missed (precision ≥ 0.95, recall ≥ 0.80, ambiguous accuracy ≥ 0.85).

Usage:
    python scripts/eval_linking.py [GOLD] [--errors]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from arabnews_nlp.entities.link_eval import evaluate_linking, read_gold

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"precision": 0.95, "recall": 0.80, "ambiguous_accuracy": 0.85}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "gold", nargs="?", type=Path, default=ROOT / "tests/fixtures/linking/gold.jsonl"
    )
    parser.add_argument("--errors", action="store_true", help="list every wrong mention")
    args = parser.parse_args()
    result = evaluate_linking(read_gold(args.gold))
    print(
        f"mentions {result['mentions']} (resolvable {result['gold_resolvable']}, "
        f"ambiguous {result['ambiguous']})"
    )
    for name in ("precision", "recall", "latin_exact", "ambiguous_accuracy"):
        target = TARGETS.get(name)
        note = f" (target >= {target})" if target else ""
        print(f"{name:20} {result[name]:.3f}{note}")
    if result["confusion"]:
        print("ambiguous mentions linked wrongly (surface: gold -> predicted):")
        for line, n in result["confusion"].items():
            print(f"  {n} x {line}")
    if args.errors:
        for err in result["errors"]:
            print(f"  {err['label']} {err['text']}: {err['gold']} -> {err['got']}")
    return 0 if all(result[k] >= v for k, v in TARGETS.items()) else 1


if __name__ == "__main__":
    sys.exit(main())
