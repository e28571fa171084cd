"""Release check: score the shipped entity taggers on news that is in no training or dev data.

Scores each model of ``--models`` on ``--data`` (default ``tests/fixtures/ner/release.txt``,
original sentences written for this check) and prints, per model, P/R/F1 and entity counts per
label and micro, the tagging speed in words per CPU second on one BLAS thread (first pass, cold
caches, and a second pass), and the recall on gold entities whose surface form is / is not an
entity of ANERcorp's training file (``--train``; *seen*: the same tokens are an entity there, of
any label): the unseen names are the figure that matters. It is a release check, never a tuning
set.

Usage:
    python scripts/ner/release_check.py --models crf,neural,ensemble
    python scripts/ner/release_check.py --models crf,/tmp/my-pipeline --out /tmp/release.json
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import Any

from threadpoolctl import threadpool_limits  # a scikit-learn dependency

from arabnews_nlp.entities.crossval import paired_bootstrap
from arabnews_nlp.entities.data import PUBLIC_LABELS, read_anercorp, read_conll
from arabnews_nlp.entities.release import entity_surfaces, load_tagger, release_scores

ROOT = Path(__file__).resolve().parents[2]


def _timed(tag: Any, tokens: list[list[str]]) -> tuple[list[list[str]], float]:
    # One BLAS thread: the figure is per core, and idle BLAS threads spin, billing CPU time.
    with threadpool_limits(1):
        start = time.process_time()
        tags = tag(tokens)
        return tags, time.process_time() - start


def _print(name: str, r: dict[str, Any]) -> None:
    for key in (*PUBLIC_LABELS, "micro"):
        s = r[key]
        print(
            f"{name:10s} {key:5s} {s['gold']:5d} {s['pred']:5d} {s['correct']:7d}  "
            f"{s['precision']:.3f}  {s['recall']:.3f}  {s['f1']:.3f}"
        )
    n = r["novelty"]
    cells = "  ".join(
        f"{g} {n[g]['unseen']['recall']:.3f} ({n[g]['unseen']['found']}/{n[g]['unseen']['gold']})"
        for g in (*PUBLIC_LABELS, "all")
    )
    print(
        f"{name:10s} recall seen {n['all']['seen']['recall']:.3f}; unseen: {cells}; "
        f"{r['words_per_second']:,.0f} words/CPU-s cold, {r['words_per_second_warm']:,.0f} warm"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--models", default="crf,neural,ensemble", help="names or folders")
    parser.add_argument("--data", type=Path, default=ROOT / "tests/fixtures/ner/release.txt")
    parser.add_argument(
        "--train", type=Path, default=ROOT.parent / "shared/data/ner/anercorp-train.txt"
    )
    parser.add_argument("--out", type=Path, default=None, help="write the figures as JSON")
    args = parser.parse_args()

    gold = read_conll(args.data)
    tokens = [s.tokens for s in gold]
    words = sum(len(t) for t in tokens)
    seen = entity_surfaces(read_anercorp(args.train)) if args.train.exists() else frozenset()
    if not seen:
        print(f"{args.train} not found: every gold entity counts as unseen")
    # Scoring the gold against itself counts the gold entities, seen and unseen, per label.
    novelty = release_scores(gold, [s.tags for s in gold], seen)["novelty"]
    counts = ", ".join(
        f"{g} {n['seen']['gold'] + n['unseen']['gold']} ({n['unseen']['gold']} unseen)"
        for g, n in novelty.items()
    )
    print(f"{args.data.name}: {len(gold)} sentences, {words:,} words; gold entities: {counts}")
    print(f"{'model':10s} {'label':5s} {'gold':>5s} {'pred':>5s} {'correct':>7s}  P      R      F1")
    results: dict[str, Any] = {}
    preds: dict[str, list[list[str]]] = {}
    for name in args.models.split(","):
        try:
            tag = load_tagger(name)
        except (OSError, ValueError) as error:  # a model that is not there: say so, go on
            print(f"{name}: not loaded ({error})")
            continue
        pred, seconds = _timed(tag, tokens)
        warm = _timed(tag, tokens)[1]
        r = release_scores(gold, pred, seen)
        r.update(words_per_second=words / seconds, words_per_second_warm=words / warm)
        results[name], preds[name] = r, pred
        _print(name, r)
    # 75 sentences are few: how far apart two models really are, by a paired bootstrap.
    names = list(results)
    for name in names[1:]:
        d = paired_bootstrap([s.tags for s in gold], preds[names[0]], preds[name])
        results[name]["vs_" + names[0]] = d
        print(
            f"{name} vs {names[0]}: micro F1 {d['delta']:+.3f} "
            f"(95% CI {d['low']:+.3f} to {d['high']:+.3f}, paired bootstrap over sentences)"
        )
    if args.out:
        args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
