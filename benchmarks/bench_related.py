"""Related articles: our chunked exact top-k vs scikit-learn's brute NearestNeighbors, and scale.

Part 1 (``compare``) indexes the ANT news corpus (../shared, 27.7k articles) with the default
:class:`~arabnews_nlp.related.RelatedIndex`, then computes the all-pairs top-k of the same
weighted vectors twice, each in its own fresh process so that peak memory is measured
cleanly: ``topk_blocks`` (ours) and ``NearestNeighbors(metric="cosine", algorithm="brute")``.
It prints CPU time, wall time, extra peak RSS, their ratios and the agreement of the two
top-k lists, then single-query latency.

Part 2 (``scale``) grows the corpus to 30k / 100k / 300k articles by perturbing real stored
count rows (each synthetic article keeps ~80% of a real article's n-grams and takes ~20% of
another's), builds an index from those rows, and measures build time, index memory, single
query latency and all-pairs throughput (in full up to ``--full-max`` articles, else on a
sample of query rows, extrapolated and marked ``~``).

Part 3 (``dedup``) compares two ways to find near-duplicates (the same story republished) on
ANT, which holds ~1.5k repeated bodies: a threshold on the index's cosine, and MinHash-LSH
over word 5-shingles of the body (datasketch), against the pairs of identical bodies.

Part 4 (``ans``) scores representations (words, character n-grams, hash sizes and, with
``--entities``, entity overlap from the shipped NER model) on the ANS same-story headline
pairs with the protocol of ``arabnews evaluate related``.

Usage:
    python benchmarks/bench_related.py                      # all parts, defaults
    python benchmarks/bench_related.py compare --limit 10000
    python benchmarks/bench_related.py scale --sizes 30000,100000,300000 --json out.json

CPU times are process CPU seconds (the shared machine is loaded; wall time is shown too).
"""

from __future__ import annotations

import argparse
import itertools
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp import Article
from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
from arabnews_nlp.related.topk import topk_blocks

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARABNEWS_SHARED") or ROOT.parent / "shared")
ANT = SHARED / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class PeakRSS:
    """Highest resident memory of this process while the block runs, above its start (MB).

    ``ru_maxrss`` is a lifetime high-water mark (loading the inputs may already have set it),
    so a thread samples the current RSS every few milliseconds instead.
    """

    def __enter__(self) -> PeakRSS:
        import threading

        import psutil

        self._proc = psutil.Process()
        self.start = self._proc.memory_info().rss
        self.peak = self.start
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self._proc.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self._proc.memory_info().rss)

    @property
    def extra_mb(self) -> float:
        return (self.peak - self.start) / 2**20


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


# ---------------------------------------------------------------- child processes
def _run_method(method: str, matrix_path: str, k: int, out_path: str) -> dict[str, float]:
    """All-pairs top-k of the saved matrix by one method (runs in a fresh process)."""
    from sklearn.neighbors import NearestNeighbors

    matrix = sp.load_npz(matrix_path).tocsr()
    cpu0, wall0 = _cpu(), time.perf_counter()
    with PeakRSS() as rss:
        if method == "arabnews":
            indices = topk_blocks(matrix, matrix, k, exclude_self=True).indices
        else:
            nn = NearestNeighbors(n_neighbors=k + 1, metric="cosine", algorithm="brute")
            found = nn.fit(matrix).kneighbors(matrix, return_distance=False)
            indices = np.array([[j for j in row if j != i][:k] for i, row in enumerate(found)])
    stats = {
        "cpu_s": _cpu() - cpu0,
        "wall_s": time.perf_counter() - wall0,
        "extra_peak_mb": rss.extra_mb,
    }
    np.save(out_path, indices)
    return stats


def _in_child(method: str, matrix_path: str, k: int) -> tuple[dict[str, float], np.ndarray]:
    ctx = mp.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp, ctx.Pool(1) as pool:
        out = os.path.join(tmp, "indices.npy")
        stats = pool.apply(_run_method, (method, matrix_path, k, out))
        return stats, np.load(out)


# ---------------------------------------------------------------- helpers
def load_ant(limit: int | None) -> list[Article]:
    from arabnews_nlp.corpus import read_articles

    articles = []
    for article in read_articles(str(ANT)):
        articles.append(article)
        if limit and len(articles) >= limit:
            break
    return articles


def agreement(a: np.ndarray, b: np.ndarray) -> float:
    """Mean share of each row's top-k found by both methods."""
    k = a.shape[1]
    return float(np.mean([len(set(x) & set(y)) / k for x, y in zip(a, b, strict=True)]))


def query_latency(index: RelatedIndex, queries: list[Article], explain: bool) -> dict[str, float]:
    """Per-query CPU milliseconds (vectorizing the article included) and wall median."""
    cpu, wall = [], []
    for article in queries:
        c0, w0 = time.process_time(), time.perf_counter()
        index.query(article, k=10, explain=explain)
        cpu.append((time.process_time() - c0) * 1000)
        wall.append((time.perf_counter() - w0) * 1000)
    return {
        "median_ms": float(np.median(cpu)),
        "p95_ms": float(np.percentile(cpu, 95)),
        "wall_median_ms": float(np.median(wall)),
    }


def index_megabytes(index: RelatedIndex) -> dict[str, float]:
    def size(m: sp.csr_matrix) -> float:
        return (m.data.nbytes + m.indices.nbytes + m.indptr.nbytes) / 2**20

    return {
        "counts_mb": size(index.counts_),
        "weighted_mb": size(index.matrix_),
        "postings_mb": size(index.view_.inverted),
        "df_mb": index.df_.nbytes / 2**20,
    }


# ---------------------------------------------------------------- part 1
def compare(args: argparse.Namespace) -> dict[str, Any]:
    articles = load_ant(args.limit)
    cpu0, wall0 = _cpu(), time.perf_counter()
    index = RelatedIndex().fit(articles)
    matrix = index.matrix_
    build = {"cpu_s": _cpu() - cpu0, "wall_s": time.perf_counter() - wall0}
    print(
        f"indexed {len(articles)} articles: {build['cpu_s']:.1f} CPU-s "
        f"({1000 * build['cpu_s'] / len(articles):.2f} ms/article), "
        f"{matrix.nnz / len(articles):.0f} weighted n-grams per article"
    )
    out: dict[str, Any] = {"n": len(articles), "build": build, "k": args.k}
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "matrix.npz")
        sp.save_npz(path, matrix, compressed=False)
        ours, ours_idx = _in_child("arabnews", path, args.k)
        out["arabnews"] = ours
        if not args.skip_sklearn:
            theirs, their_idx = _in_child("sklearn", path, args.k)
            out["sklearn"] = theirs
            out["agreement_at_k"] = agreement(ours_idx, their_idx)
    rng = np.random.default_rng(0)
    sample = [articles[i] for i in rng.choice(len(articles), args.queries, replace=False)]
    index.query(sample[0])  # build the postings before timing
    out["query"] = query_latency(index, sample, explain=False)
    out["query_explained"] = query_latency(index, sample, explain=True)
    out["memory"] = index_megabytes(index)
    print_compare(out)
    return out


def print_compare(out: dict[str, Any]) -> None:
    k = out["k"]
    print(f"\nall-pairs top-{k} over {out['n']} articles (same vectors, fresh process each):")
    print(f"{'method':<34}{'CPU s':>8}{'wall s':>8}{'extra peak MB':>15}")
    rows = [("arabnews topk_blocks (chunk 256)", out["arabnews"])]
    if "sklearn" in out:
        rows.append(("sklearn NearestNeighbors brute cosine", out["sklearn"]))
    for name, st in rows:
        print(f"{name:<34}{st['cpu_s']:>8.1f}{st['wall_s']:>8.1f}{st['extra_peak_mb']:>15.0f}")
    if "sklearn" in out:
        ours, theirs = out["arabnews"], out["sklearn"]
        print(
            f"ratios: sklearn / arabnews CPU {theirs['cpu_s'] / ours['cpu_s']:.2f}x, "
            f"peak memory {theirs['extra_peak_mb'] / max(ours['extra_peak_mb'], 1):.1f}x; "
            f"top-{k} agreement {out['agreement_at_k']:.4f}"
        )
    q, qe = out["query"], out["query_explained"]
    print(
        f"single query vs {out['n']} articles: median {q['median_ms']:.1f} ms "
        f"(p95 {q['p95_ms']:.1f}); with explanations {qe['median_ms']:.1f} ms"
    )
    mem = out["memory"]
    print("index memory MB: " + ", ".join(f"{k} {v:.0f}" for k, v in mem.items()))


# ---------------------------------------------------------------- part 2
def synthesize(counts: sp.csr_matrix, n: int, seed: int = 0) -> sp.csr_matrix:
    """``n`` rows: real rows first, then perturbed mixes (80% of one row + 20% of another)."""
    return sp.csr_matrix(sp.vstack(list(synthetic_blocks(counts, n, seed)), format="csr"))


def synthetic_blocks(counts: sp.csr_matrix, n: int, seed: int = 0) -> Iterator[sp.csr_matrix]:
    """The rows of :func:`synthesize`, a block at a time (the real rows, then blocks of at
    most 20,000 mixes), so a large corpus need not be held whole."""
    rng = np.random.default_rng(seed)
    real = min(n, counts.shape[0])
    yield counts[:real]
    for start in range(real, n, 20000):
        size = min(20000, n - start)
        base = counts[rng.integers(0, counts.shape[0], size)]
        other = counts[rng.integers(0, counts.shape[0], size)]
        keep = base.copy()
        keep.data *= rng.random(keep.nnz) < 0.8
        mix = other.copy()
        mix.data *= rng.random(mix.nnz) < 0.2
        row = sp.csr_matrix(keep + mix)
        row.eliminate_zeros()
        yield row


def scale(args: argparse.Namespace) -> list[dict[str, Any]]:
    articles = load_ant(args.limit)
    # Synthesize from the stored (pruned) rows: what an index of that size really holds.
    raw = RelatedIndex().fit(articles).counts_
    rng = np.random.default_rng(1)
    queries = [articles[i] for i in rng.choice(len(articles), args.queries, replace=False)]
    results = []
    for n in args.sizes:
        ctx = mp.get_context("spawn")
        with tempfile.TemporaryDirectory() as tmp, ctx.Pool(1) as pool:
            path = os.path.join(tmp, "raw.npz")
            sp.save_npz(path, synthesize(raw, n), compressed=False)
            stats = pool.apply(_scale_point, (path, queries, args.k, args.sample, args.full_max))
        results.append(stats)
        print_scale_point(stats)
    return results


def _scale_point(
    raw_path: str, queries: list[Article], k: int, sample: int, full_max: int
) -> dict[str, Any]:
    raw = sp.load_npz(raw_path).tocsr()
    n = raw.shape[0]
    stubs = [Article(id=f"s{i}") for i in range(n)]
    cpu0 = _cpu()
    with PeakRSS() as build_rss:
        index = RelatedIndex().add_counts(raw, stubs, entities=[[] for _ in range(n)])
        del raw
        index.view_.inverted  # noqa: B018 - builds the postings (part of the index cost)
    build_cpu = _cpu() - cpu0
    latency = query_latency(index, queries, explain=False)
    rows = n if n <= full_max else min(sample, n)
    cpu0 = _cpu()
    with PeakRSS() as pairs_rss:
        index.all_pairs_topk(k, rows=slice(0, rows))
    pairs_cpu = _cpu() - cpu0
    return {
        "n": n,
        "build_cpu_s": build_cpu,
        "memory": index_megabytes(index),
        "build_extra_peak_mb": build_rss.extra_mb,
        "all_pairs_extra_peak_mb": pairs_rss.extra_mb,
        "query": latency,
        "all_pairs_cpu_s": pairs_cpu * n / rows,
        "all_pairs_measured_rows": rows,
    }


def print_scale_point(st: dict[str, Any]) -> None:
    mem = sum(st["memory"].values())
    approx = "" if st["all_pairs_measured_rows"] == st["n"] else "~"
    print(
        f"n={st['n']:>7}: build {st['build_cpu_s']:.1f} CPU-s, index {mem:.0f} MB "
        f"({1024 * mem / st['n']:.1f} KB/article), build peak +{st['build_extra_peak_mb']:.0f} MB, "
        f"query median {st['query']['median_ms']:.1f} CPU-ms, all-pairs top-10 "
        f"{approx}{st['all_pairs_cpu_s']:.0f} CPU-s (peak +{st['all_pairs_extra_peak_mb']:.0f} MB)",
        flush=True,
    )


# ---------------------------------------------------------------- part 3
def _shingles(text: str, size: int = 5) -> set[str]:
    from arabnews_nlp import normalize

    words = normalize(text).split()
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def _pr(found: set[tuple[int, int]], gold: set[tuple[int, int]]) -> dict[str, float]:
    hits = len(found & gold)
    return {
        "pairs": len(found),
        "precision_vs_identical_bodies": hits / max(len(found), 1),
        "recall_of_identical_bodies": hits / max(len(gold), 1),
        "pairs_not_identical": len(found - gold),
    }


def dedup(args: argparse.Namespace) -> dict[str, Any]:
    """Near-duplicates on ANT: cosine threshold on the index vectors vs MinHash-LSH."""
    from datasketch import MinHash, MinHashLSH

    from arabnews_nlp import normalize

    articles = load_ant(args.limit)
    groups: dict[str, list[int]] = {}
    for i, a in enumerate(articles):
        body = normalize(a.body)
        if body:
            groups.setdefault(body, []).append(i)
    gold = {(i, j) for g in groups.values() for i, j in itertools.combinations(g, 2)}
    index = RelatedIndex().fit(articles)
    cpu0 = _cpu()
    top = index.all_pairs_topk(args.k, exclude_duplicates=False)
    cosine_cpu = _cpu() - cpu0
    out: dict[str, Any] = {"n": len(articles), "identical_body_pairs": len(gold)}
    for threshold in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95):
        rows, ranks = np.nonzero(top.scores >= threshold)
        found = {
            tuple(sorted((int(i), int(top.indices[i, r]))))
            for i, r in zip(rows, ranks, strict=True)
        }
        out[f"cosine>={threshold}"] = {**_pr(found, gold), "cpu_s": cosine_cpu}
    for threshold in (0.5, 0.8):
        cpu0 = _cpu()
        lsh = MinHashLSH(threshold=threshold, num_perm=128)
        hashes = []
        for i, a in enumerate(articles):
            mh = MinHash(num_perm=128, seed=1)
            mh.update_batch([s.encode("utf-8") for s in _shingles(a.body)])
            lsh.insert(i, mh)
            hashes.append(mh)
        found = set()
        for i, mh in enumerate(hashes):
            found.update(tuple(sorted((i, int(j)))) for j in lsh.query(mh) if j != i)
        out[f"minhash_jaccard>={threshold}"] = {**_pr(found, gold), "cpu_s": _cpu() - cpu0}
    print(
        f"\nnear-duplicates among {len(articles)} articles; {len(gold)} pairs share an "
        f"identical body (after normalization):"
    )
    print(f"{'method':<24}{'pairs':>8}{'prec.':>8}{'recall':>8}{'other':>8}{'CPU s':>8}")
    for name, st in out.items():
        if isinstance(st, dict):
            print(
                f"{name:<24}{st['pairs']:>8}{st['precision_vs_identical_bodies']:>8.3f}"
                f"{st['recall_of_identical_bodies']:>8.3f}{st['pairs_not_identical']:>8}"
                f"{st['cpu_s']:>8.1f}"
            )
    return out


# ---------------------------------------------------------------- part 4
ANS_VARIANTS: dict[str, dict[str, Any]] = {
    "words (unigrams)": {"vectorizer": ArticleVectorizer("word", (1, 1))},
    "words (1-2-grams)": {"vectorizer": ArticleVectorizer("word", (1, 2))},
    "char 2-5 (across words)": {"vectorizer": ArticleVectorizer("char", (2, 5))},
    "char_wb 2-4": {"vectorizer": ArticleVectorizer(ngram_range=(2, 4))},
    "char_wb 3-5": {"vectorizer": ArticleVectorizer(ngram_range=(3, 5))},
    "char_wb 2-5 (default)": {},
    "char_wb 2-5, 2^18 features": {"vectorizer": ArticleVectorizer(n_features=2**18)},
    "char_wb 2-5, 2^22 features": {"vectorizer": ArticleVectorizer(n_features=2**22)},
}


def _entity_lookup(paths: list[Path]) -> Any:
    """An extractor that runs the shipped NER model once per distinct headline."""
    import csv

    from arabnews_nlp.entities import aggregate_entities, extract_entities_batch

    texts: list[str] = []
    for path in paths:
        with open(path, encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                texts += [row["s1"], row["s2"]]
    texts = list(dict.fromkeys(texts))
    found = extract_entities_batch(texts)
    cache = {
        t: [s.canonical for s in aggregate_entities(e)] for t, e in zip(texts, found, strict=True)
    }

    def extractor(doc: Article | str) -> list[str]:
        return cache.get(doc if isinstance(doc, str) else doc.title, [])

    return extractor


def ans(args: argparse.Namespace) -> dict[str, Any]:
    """recall@1/5 and MRR of representations on the ANS same-story headline pairs."""
    from arabnews_nlp.related.evaluate import evaluate_pairs, load_pairs

    splits = {s: SHARED / "data" / "related" / f"ans-stance-{s}.csv" for s in ("dev", "train")}
    variants = dict(ANS_VARIANTS)
    if args.entities:
        extractor = _entity_lookup(list(splits.values()))
        for w in (0.1, 0.2, 0.3):
            variants[f"char_wb 2-5 + NER entities w={w}"] = {
                "entity_weight": w,
                "entity_extractor": extractor,
            }
    out: dict[str, Any] = {}
    columns = ("dev/story", "dev/pair", "train/story", "train/pair")
    print("\nANS same-story headline pairs (pool = every s2, query = each s1), R@1 / R@5 / MRR:")
    print(f"{'variant':<38}" + "".join(f"{c:>21}" for c in columns))
    for name, params in variants.items():
        row = {}
        for split, path in splits.items():
            for gold in ("story", "pair"):
                row[f"{split}/{gold}"] = evaluate_pairs(load_pairs(path, gold), **params)
        out[name] = row
        cells = "".join(
            f"{row[c]['recall@1']:>9.3f}{row[c]['recall@5']:>6.3f}{row[c]['mrr']:>6.3f}"
            for c in columns
        )
        print(f"{name:<38}{cells}", flush=True)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "part", nargs="?", choices=("all", "compare", "scale", "dedup", "ans"), default="all"
    )
    parser.add_argument("--limit", type=int, default=None, help="Read at most N ANT articles.")
    parser.add_argument("-k", "--k", type=int, default=10)
    parser.add_argument("--queries", type=int, default=200, help="Single queries timed.")
    parser.add_argument("--skip-sklearn", action="store_true")
    parser.add_argument("--sizes", default="30000,100000,300000")
    parser.add_argument("--sample", type=int, default=2000, help="Query rows when not in full.")
    parser.add_argument("--full-max", type=int, default=30000, help="All-pairs in full up to N.")
    parser.add_argument("--entities", action="store_true", help="ans: also NER entity overlap.")
    parser.add_argument("--json", type=Path, default=None, help="Also write the figures here.")
    args = parser.parse_args(argv)
    args.sizes = [int(x) for x in args.sizes.split(",") if x]
    if not ANT.is_file():
        print(f"ANT corpus not found at {ANT}", file=sys.stderr)
        return 2
    report: dict[str, Any] = {}
    if args.part in ("all", "compare"):
        report["compare"] = compare(args)
    if args.part in ("all", "scale"):
        print("\nscaling (synthetic articles from perturbed ANT rows):")
        report["scale"] = scale(args)
    if args.part in ("all", "dedup"):
        report["dedup"] = dedup(args)
    if args.part in ("all", "ans"):
        report["ans"] = ans(args)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
