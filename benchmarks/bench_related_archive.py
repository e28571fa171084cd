"""Related articles on a synthetic archive: ANT's stored rows recombined, dates over 10 years.

Builds an index of ``--size`` articles from ANT's pruned count rows (the real rows first, then
mixes keeping ~80% of one article's n-grams and ~20% of another's, as ``bench_related.py
scale`` makes them), each dated uniformly over ten years, and measures in CPU seconds of this
process, with peak RSS:

* the build (adding the rows: document frequencies, pruning) and the weighting + postings;
* the candidate search's fitting (``ClusterSearch``) and its all-pairs top-10 on
  ``--sample`` query rows (the clusters they probe are gathered then), and on the next
  ``--sample`` rows, extrapolated to every row (marked ``~``), beside the exact search on the
  first rows, and the recall of the exact top-10 on them;
* the newsroom's day: ``--day`` new ANT articles added to the index (``add``), then each one
  queried against the grown index (first query: the weighting and the candidate search are
  rebuilt; then per query, median and p95), against the 20 ms per query target.

Exits 1 when the projected all-pairs time exceeds one hour or a query the 20 ms target.

Usage:
    python benchmarks/bench_related_archive.py --size 200000 [--sample 2000] [--day 300]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_related import ANT, synthesize

HOUR_CPU_S = 3600.0
QUERY_MS = 20.0


def _peak_gb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0**2


def _build(articles: list[Any], size: int) -> Any:
    """The index of ``size`` synthetic rows, dated over ten years; prints its cost."""
    from arabnews_nlp import Article
    from arabnews_nlp.related import RelatedIndex

    raw = synthesize(RelatedIndex().fit(articles).counts_, size)
    days = np.random.default_rng(0).uniform(0, 3652.5, size)
    stubs = [Article(id=f"s{i}", title="", published=_iso(d)) for i, d in enumerate(days)]
    print(f"{size} synthetic articles from {len(articles)} ANT rows (CPU seconds)")
    start = time.process_time()
    index = RelatedIndex()
    for lo in range(0, size, index.batch_size):
        hi = min(lo + index.batch_size, size)
        index.add_counts(raw[lo:hi], stubs[lo:hi], entities=[[]] * (hi - lo))
    add_s = time.process_time() - start
    start = time.process_time()
    index.view_.inverted  # noqa: B018 - the weighting and the postings
    weigh_s = time.process_time() - start
    print(f"build: add {add_s:.1f} CPU-s, weighting + postings {weigh_s:.1f} CPU-s, "
          f"peak {_peak_gb():.2f} GB")  # fmt: skip
    return index


def _all_pairs(index: Any, sample: int) -> bool:
    """Candidates vs exact on the first ``sample`` rows; whether the projection fits an hour."""
    from arabnews_nlp.related.evaluate import topk_recall

    n = len(index)
    start = time.process_time()
    clusters = index.view_.clusters
    fit_s = time.process_time() - start
    if clusters is None:
        print("the candidate search is exhaustive at this size")
        return False
    rows = slice(0, min(sample, n))
    measured = rows.stop
    start = time.process_time()
    found = index.all_pairs_topk(10, rows=rows)
    cold_s = time.process_time() - start
    # Each cluster's rows are gathered when first probed: the first rows pay for that once,
    # the next ones show the cost per row of the rest of the run.
    start = time.process_time()
    index.all_pairs_topk(10, rows=slice(measured, min(2 * measured, n)))
    cand_s = time.process_time() - start
    start = time.process_time()
    exact = index.all_pairs_topk(10, rows=rows, exact=True)
    exact_s = time.process_time() - start
    projected = fit_s + cold_s + cand_s * max(n - measured, 0) / measured
    print(f"candidate search: {clusters.n_clusters_} clusters, {clusters.n_probe} probed; "
          f"fit {fit_s:.1f} CPU-s, peak {_peak_gb():.2f} GB")  # fmt: skip
    recall = topk_recall(found.indices, exact.indices)
    print(f"all-pairs top-10 on {measured} rows: candidates {cold_s:.1f} CPU-s (probed clusters "
          f"gathered), next {measured} rows {cand_s:.1f} CPU-s; exact {exact_s:.1f} CPU-s; "
          f"recall@10 of the exact top-10 {recall:.4f}")  # fmt: skip
    print(f"all-pairs top-10 of {n}: candidates ~{projected:.0f} CPU-s (fit + search), "
          f"exact ~{exact_s * n / measured:.0f} CPU-s (target < {HOUR_CPU_S:g})")  # fmt: skip
    return projected <= HOUR_CPU_S


def _day(index: Any, articles: list[Any], day: int) -> bool:
    """A day's articles added, then each queried; whether a query meets the target."""
    step = max(1, len(articles) // day)
    new = [replace(a, id=f"new-{a.id}", published=_iso(3652.5)) for a in articles[::step][:day]]
    start = time.process_time()
    index.add(new)
    day_add = time.process_time() - start
    start = time.process_time()
    index.query(new[0], k=10, explain=False)
    first = time.process_time() - start
    times = []
    for article in new[1:]:
        start = time.process_time()
        index.query(article, k=10, explain=False)
        times.append(1000 * (time.process_time() - start))
    median, p95 = np.percentile(times, [50, 95])
    print(f"a day: {len(new)} articles added in {day_add:.2f} CPU-s; first query after it "
          f"{first:.1f} CPU-s (weighting + candidate search rebuilt); then per query "
          f"median {median:.1f} CPU-ms, p95 {p95:.1f} (target <= {QUERY_MS:g}); "
          f"peak {_peak_gb():.2f} GB")  # fmt: skip
    return bool(median <= QUERY_MS)


def main(argv: list[str] | None = None) -> int:
    from arabnews_nlp.corpus import read_articles

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--sample", type=int, default=2000, help="query rows measured")
    parser.add_argument("--day", type=int, default=300, help="new articles added and queried")
    args = parser.parse_args(argv)
    articles = list(read_articles(ANT))
    index = _build(articles, args.size)
    ok = _all_pairs(index, args.sample)
    ok = _day(index, articles, args.day) and ok
    print("all targets met" if ok else "a target was MISSED")
    return 0 if ok else 1


def _iso(day: float) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(1.2e9 + day * 86400))


if __name__ == "__main__":
    sys.exit(main())
