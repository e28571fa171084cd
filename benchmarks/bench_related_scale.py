"""Related articles at archive scale: the targets of issue 18, checked on the ANT corpus.

Measures, in CPU seconds of this process (wall time is noisy on a shared machine):

* index build (vectorize + fit) per article, against the 0.3 ms/article target;
* exact all-pairs top-10 over ANT, against the 5 CPU-s target;
* the date-bounded all-pairs search (``within_days``) against the unbounded search with the same
  filter, on the same vectors with dates spread uniformly over 10 years (an archive's shape;
  ANT's own dates fall almost all within one year), and whether both give the same answers.

Prints each figure with its ratio to the target and exits 1 when a target is missed.

Usage:
    python benchmarks/bench_related_scale.py [CORPUS] [--limit N] [--window DAYS]
"""

from __future__ import annotations

import argparse
import sys
import time
from itertools import islice
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
BUILD_MS_PER_ARTICLE = 0.3
ALL_PAIRS_CPU_S = 5.0


def _check(name: str, value: float, target: float, unit: str) -> bool:
    ok = value <= target
    print(f"{name:<44} {value:8.2f} {unit:<12} target <= {target:g}  ratio {value / target:5.2f}  "
          f"{'ok' if ok else 'MISSED'}")  # fmt: skip
    return ok


def main(argv: list[str] | None = None) -> int:
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.related import RelatedIndex
    from arabnews_nlp.related.filters import CandidateFilter
    from arabnews_nlp.related.topk import topk_blocks
    from arabnews_nlp.related.window import windowed_topk

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--window", type=float, default=30.0, help="days either side")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    articles = list(islice(read_articles(args.corpus), args.limit))
    n = len(articles)
    print(f"{n} articles from {args.corpus.name} (CPU seconds of this process)\n")

    start = time.process_time()
    index = RelatedIndex().fit(articles)
    build = time.process_time() - start
    matrix, postings = index.matrix_, index.view_.inverted
    results = [_check("index build", 1000 * build / n, BUILD_MS_PER_ARTICLE, "ms/article")]

    start = time.process_time()
    topk_blocks(matrix, matrix, 10, exclude_self=True, index_t=postings)
    results.append(
        _check("exact all-pairs top-10", time.process_time() - start, ALL_PAIRS_CPU_S, "CPU-s")
    )

    days = np.random.default_rng(0).uniform(0, 3652.5, n)  # ten years, rows in random order
    start = time.process_time()
    bounded = windowed_topk(matrix, days, 10, args.window)
    bounded_s = time.process_time() - start
    mask = CandidateFilter(args.window).mask(days, [None] * n, days, [None] * n)
    start = time.process_time()
    filtered = topk_blocks(matrix, matrix, 10, exclude_self=True, mask=mask, index_t=postings)
    filtered_s = time.process_time() - start
    same = np.array_equal(bounded.indices, filtered.indices) and np.array_equal(
        bounded.scores, filtered.scores
    )
    print(f"\nall-pairs top-10 within +-{args.window:g} days (dates over 10 years):")
    print(f"  date-bounded {bounded_s:.2f} CPU-s, unbounded + filter {filtered_s:.2f} CPU-s: "
          f"{filtered_s / max(bounded_s, 1e-9):.1f}x faster, same answers: {same}")  # fmt: skip
    results.append(_check("date-bounded all-pairs top-10", bounded_s, ALL_PAIRS_CPU_S, "CPU-s"))
    results.append(same)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
