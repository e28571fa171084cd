"""The newsroom's day through the CLI: a saved archive index, a day's articles added and answered.

1. ``--size`` synthetic articles (``bench_related_archive.py``'s archive: ANT's stored rows
   recombined, dates over ten years) are indexed, the candidate search is fitted, and the index
   is saved (the fitted search goes with it, ``search.npz``).
2. ``arabnews related --index ARCHIVE today.jsonl --save-index ARCHIVE`` runs as a child
   process on ``--day`` ANT articles with fresh ids: CPU seconds and peak RSS of the command,
   and whether the saved clusters were reused (no refit).
3. The same steps in this process, each timed: load, add, first query, then per query (median
   and p95 CPU-ms) against the 20 ms target.
4. ``--drift``: when is a refit due? ANT by publication date: the clusters fitted on the
   earliest articles, the latest added without a refit, against a refit on all of them; recall of
   the exact top-10 of the added articles and of the others.

Exits 1 when the command refits, its add + answers exceed ``--budget`` CPU-s, or the per-query
median exceeds 20 ms.

Usage:
    python benchmarks/bench_related_daily.py --size 200000 --day 300 [--drift 0.1 0.5]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_related import ANT
from bench_related_archive import _build, _iso

QUERY_MS = 20.0


def _cli(args: list[str]) -> tuple[float, float, float]:
    """Run ``arabnews ARGS``: CPU-s, wall-s and peak RSS (GB) of the child."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cmd = [sys.executable, "-c", "from arabnews_nlp.cli import app; app()", *args]
    done = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"arabnews {' '.join(args)} failed:\n{done.stderr.decode()}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return cpu, wall, after.ru_maxrss / 1024.0**2


def _timed(fn: Any) -> tuple[Any, float]:
    start = time.process_time()
    out = fn()
    return out, time.process_time() - start


def _day(articles: list[Any], day: int) -> list[Any]:
    step = max(1, len(articles) // day)
    return [replace(a, id=f"new-{a.id}", published=_iso(3652.5)) for a in articles[::step][:day]]


def daily(size: int, day: int, budget: float) -> bool:
    """Steps 1-3; whether the targets are met."""
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.related import RelatedIndex

    articles = list(read_articles(ANT))
    new = _day(articles, day)
    with tempfile.TemporaryDirectory() as tmp:
        archive, today = Path(tmp) / "archive", Path(tmp) / "today.jsonl"
        built = _build(articles, size)
        start = time.process_time()
        n_clusters = built.view_.search.n_clusters_
        fit_s = time.process_time() - start
        built.save(archive)
        save_s = time.process_time() - start - fit_s
        print(f"candidate search: {n_clusters} clusters fitted in {fit_s:.1f} CPU-s; "
              f"index saved in {save_s:.1f} CPU-s "
              f"({sum(f.stat().st_size for f in archive.iterdir()) / 1e9:.2f} GB)")  # fmt: skip
        del built
        today.write_text(
            "".join(json.dumps(a.to_dict(), ensure_ascii=False) + "\n" for a in new),
            encoding="utf-8",
        )
        args = ["related", "--index", str(archive), str(today), "--save-index", str(archive)]
        cpu, wall, peak = _cli([*args, "-k", "10"])
        saved = json.loads((archive / "index.json").read_text(encoding="utf-8"))["search"]
        reused = saved["n_clusters"] == search_clusters(size) and saved["n_rows"] == size + day
        print(f"CLI: arabnews related --index ARCHIVE today.jsonl --save-index ARCHIVE -k 10 "
              f"({day} articles): {cpu:.1f} CPU-s, {wall:.1f} s wall, peak {peak:.2f} GB; "
              f"clusters reused (no refit): {reused}")  # fmt: skip
        one, one_wall, _ = _cli(["related", "--index", str(archive), "--query", new[0].id])
        print(f"CLI: arabnews related --index ARCHIVE --query ID (one answer, explained): "
              f"{one:.1f} CPU-s, {one_wall:.1f} s wall")  # fmt: skip
        ok = _replay(RelatedIndex, archive, articles, day, budget)
    return ok and reused


def search_clusters(size: int) -> int:
    """Clusters the default search fits on ``size`` rows."""
    from arabnews_nlp.related.clusters import ClusterSearch

    return max(1, round(size / ClusterSearch().rows_per_cluster))


def _replay(cls: Any, archive: Path, articles: list[Any], day: int, budget: float) -> bool:
    """The command's steps in this process (a second day), each timed."""
    new = [replace(a, id=f"next-{a.id}") for a in _day(articles[1:], day)]
    index, load_s = _timed(lambda: cls.load(archive))
    _, add_s = _timed(lambda: index.add(new))
    _, first_s = _timed(lambda: index.query(new[0], k=10))
    spent: dict[bool, list[float]] = {True: [], False: []}
    for article in new[1:]:
        for explain in spent:
            _, cpu = _timed(lambda a=article, e=explain: index.query(a, k=10, explain=e))
            spent[explain].append(1000 * cpu)
    median, p95 = np.percentile(spent[False], [50, 95])
    explained = np.median(spent[True])
    refit = index.view_.search.n_fitted_ != len(index) - 2 * day
    print(f"in process: load {load_s:.1f} CPU-s, add {day} articles {add_s:.2f} CPU-s, first "
          f"query {first_s:.1f} CPU-s (weighting + {day} rows assigned to clusters"
          f"{', REFITTED' if refit else ''}); then per query median {median:.1f} CPU-ms, p95 "
          f"{p95:.1f} (target <= {QUERY_MS:g}); with explanations median "
          f"{explained:.1f} CPU-ms")  # fmt: skip
    print(f"add + first query {add_s + first_s:.1f} CPU-s (target <= {budget:g}): "
          f"{'ok' if add_s + first_s <= budget else 'MISSED'}")  # fmt: skip
    return bool(median <= QUERY_MS and add_s + first_s <= budget and not refit)


def drift(shares: list[float], probes: int) -> None:
    """Step 4: recall without a refit against a refit, ANT by publication date."""
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.related import RelatedIndex
    from arabnews_nlp.related.clusters import ClusterSearch
    from arabnews_nlp.related.evaluate import topk_recall

    articles = sorted(read_articles(ANT), key=lambda a: a.published or "")
    params = {"min_rows": 0, "n_probe": probes, "refit_after": 10.0}
    for share in shares:
        cut = round(len(articles) * (1 - share))
        index = RelatedIndex(candidates=ClusterSearch(**params)).fit(articles[:cut])
        index.view_.search  # noqa: B018 - fitted on the earliest articles
        index.add(articles[cut:])
        kept = index.all_pairs_topk(10)
        exact = index.all_pairs_topk(10, exact=True)
        refit = RelatedIndex(candidates=ClusterSearch(**params)).fit(articles)
        fresh = refit.all_pairs_topk(10)
        old, added = slice(0, cut), slice(cut, len(articles))

        def recall(top: Any, rows: slice, exact: Any = exact) -> float:
            return topk_recall(top.indices[rows], exact.indices[rows])

        print(f"ANT by date, the latest {share:.0%} ({len(articles) - cut} articles) added to "
              f"clusters fitted on the earliest {cut}, {probes} probes: recall@10 of the exact "
              f"top-10 without refit {recall(kept, added):.4f} (added) / "
              f"{recall(kept, old):.4f} (others); refit {recall(fresh, added):.4f} / "
              f"{recall(fresh, old):.4f}")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=200_000)
    parser.add_argument("--day", type=int, default=300, help="articles added and answered")
    parser.add_argument("--budget", type=float, default=30.0, help="add + first query, CPU-s")
    parser.add_argument("--drift", type=float, nargs="*", default=[], help="shares added")
    parser.add_argument("--probes", type=int, default=16, help="probes in the drift runs")
    parser.add_argument("--skip-daily", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("PYTHONHASHSEED", "0")
    ok = True
    if not args.skip_daily:
        ok = daily(args.size, args.day, args.budget)
    if args.drift:
        drift(args.drift, args.probes)
    print("all targets met" if ok else "a target was MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
