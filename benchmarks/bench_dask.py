"""Benchmark the Dask engine against the local one on the four-outlet ANT news corpus.

Measures, on the same articles:

* conversion of the ANT archive (one ``.tar.xz`` that no two tasks can share) into JSON Lines
  parts that Dask reads block-wise — timed apart, it is done once per corpus;
* the local engine: ``arabnews analyze PARTS -j N`` in its own process (wall time, peak RSS
  of every process of its tree);
* the Dask engine: ``run_analysis_dask`` on a ``LocalCluster`` of N single-threaded worker
  processes (wall time, peak RSS of each worker and of the client, the task stream);
* that both wrote the same records (both run a copy of the package taken at the start);
* from the task stream and the client's CPU, the cost per article of each step, and the
  projected cost of 1M articles on N workers (the related search runs on the client, which
  fits the index while stage 1 runs: its cost at scale is taken from the related benchmark).

Exits 1 when the two engines' records differ.

Usage:
    python benchmarks/bench_dask.py [CORPUS] [--limit N] [--workers 2] [--parts 16] [--exact]

CORPUS defaults to ``../shared/data/news/ant-v2.1-four-outlets.tar.xz``.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
#: Steps of the run on the workers, each recognized by names in its task keys (Dask fuses a
#: chain of bag tasks into one key that names them all, so reading is counted with stage 1).
STEPS = (
    ("read + stage 1", ("analyze_partition", "parse_jsonl_block", "read-block")),
    ("index rows (vectorize)", ("index_part",)),
    ("link", ("link_partition",)),
    ("write + figures", ("textfiles", "figures", "as_dict")),
)
OTHER = "other (duplicate ids, bookkeeping)"
#: The candidate search's cost per article at scale, for the projection (it cannot be measured
#: here: below 50,000 articles the search is exhaustive, i.e. exact). Session 7,
#: `python benchmarks/bench_related_archive.py --size 200000 --sample 2000 --day 300`:
#: all-pairs top-10 of 200,000 articles ~287 CPU-s, fit included (an upper bound; docs/related.md).
SEARCH_MS_PER_ARTICLE = 287 / 200_000 * 1e3
#: The exact search's cost per pair, same run: all-pairs of 200,000 articles ~2,619 CPU-s.
EXACT_NS_PER_PAIR = 2619 / 200_000**2 * 1e9


@contextmanager
def peak_rss(pids: Callable[[], list[int]], every: float = 0.2) -> Iterator[dict[int, int]]:
    """Sample the resident memory of ``pids()`` until the block ends; yields pid -> peak."""
    import psutil

    peaks: dict[int, int] = defaultdict(int)
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            for pid in pids():
                try:
                    peaks[pid] = max(peaks[pid], psutil.Process(pid).memory_info().rss)
                except psutil.Error:
                    continue
            stop.wait(every)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peaks
    finally:
        stop.set()
        thread.join()


def convert(corpus: Path, folder: Path, parts: int, limit: int | None) -> tuple[int, float]:
    """The corpus as ``parts`` JSON Lines files; returns (articles, seconds)."""
    from arabnews_nlp.corpus import read_articles, write_articles

    start = time.perf_counter()
    articles = [a.to_dict() for a in islice(read_articles(corpus), limit)]
    size = -(-len(articles) // parts)
    for i in range(0, len(articles), size):
        write_articles(articles[i : i + size], folder / f"part-{i // size:03d}.jsonl", "jsonl")
    return len(articles), time.perf_counter() - start


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _process_cpu(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        times = psutil.Process(pid).cpu_times()
        total += times.user + times.system
    return total


def run_local(parts: list[str], out: Path, jobs: int, exact: bool) -> dict[str, Any]:
    import psutil

    cli = [sys.executable, "-c", "from arabnews_nlp.cli import main; main()"]
    cmd = [*cli, "analyze", *parts, "-o", str(out), "-j", str(jobs), "--no-progress", "--json"]
    cmd += ["--exact-related"] if exact else []
    cpu_before = _children_cpu()
    start = time.perf_counter()
    # Output to files, not pipes: if the command dies, orphaned pool workers would hold the
    # pipes open and a read would never end.
    with (
        open(out.with_suffix(".stdout"), "w+") as stdout,
        open(out.with_suffix(".stderr"), "w+") as stderr,
    ):
        proc = subprocess.Popen(cmd, stdout=stdout, stderr=stderr, text=True)

        def tree() -> list[int]:
            try:
                root = psutil.Process(proc.pid)
                return [proc.pid, *(c.pid for c in root.children(recursive=True))]
            except psutil.Error:
                return []

        with peak_rss(tree) as peaks:
            proc.wait()
        stdout.seek(0)
        stderr.seek(0)
        summary, errors = stdout.read(), stderr.read()
    if proc.returncode not in (0, 1) or not summary.strip():
        raise SystemExit(f"local analyze failed ({proc.returncode}):\n{errors[-3000:]}")
    return {
        "wall": time.perf_counter() - start,
        # Pool workers are reaped by the child, so they count in its children's usage.
        "cpu": _children_cpu() - cpu_before,
        "summary": json.loads(summary),
        "peak_parent": peaks.get(proc.pid, 0),
        "peak_workers": sorted((v for k, v in peaks.items() if k != proc.pid), reverse=True),
    }


def run_dask(parts: list[str], out: Path, workers: int, exact: bool) -> dict[str, Any]:
    from distributed import Client, LocalCluster, get_task_stream

    from arabnews_nlp.dask_engine import run_analysis_dask
    from arabnews_nlp.pipeline.options import RunOptions

    start = time.perf_counter()
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        started = time.perf_counter() - start

        def worker_pids() -> list[int]:
            return [w.process.pid for w in cluster.workers.values() if w.process and w.process.pid]

        me = os.getpid()
        cpu_before = _process_cpu(worker_pids())
        client_before = _process_cpu([me])
        options = RunOptions(related_exact=exact)
        with peak_rss(lambda: [me, *worker_pids()]) as peaks, get_task_stream(client) as stream:
            summary = run_analysis_dask(
                parts, out, options, scheduler=cluster.scheduler_address, parts=True
            )
        tasks = list(stream.data)
        cpu = _process_cpu(worker_pids()) - cpu_before
        client_cpu = _process_cpu([me]) - client_before
    client_peak = peaks.pop(me, 0)
    return {
        "wall": time.perf_counter() - start,
        "cpu": cpu + client_cpu,
        "worker_cpu": cpu,
        "client_cpu": client_cpu,
        "peak_client": client_peak,
        "cluster_start": started,
        "summary": summary.to_dict(),
        "peak_workers": sorted(peaks.values(), reverse=True),
        "tasks": tasks,
    }


def step_seconds(tasks: list[dict[str, Any]]) -> dict[str, list[float]]:
    """Compute seconds of every task, by step."""
    out: dict[str, list[float]] = defaultdict(list)
    for task in tasks:
        seconds = sum(
            s["stop"] - s["start"] for s in task["startstops"] if s["action"] == "compute"
        )
        key = str(task["key"])
        step = next((name for name, marks in STEPS if any(m in key for m in marks)), OTHER)
        out[step].append(seconds)
    return out


def projection(
    seconds: dict[str, list[float]], n_articles: int, cpu_scale: float, client_cpu: float
) -> list[str]:
    """Per-article costs, and 1M articles on N workers, as table lines.

    Task times are wall times; on a loaded machine a task also waits for a core, so they are
    scaled by ``cpu_scale`` (the workers' CPU seconds over the sum of their task times) to
    give the CPU cost a dedicated core would spend. The client's CPU (index fitting, its
    search, the in-process scheduler) does not spread over the workers.
    """
    seconds = {step: [t * cpu_scale for t in times] for step, times in seconds.items()}
    lines = [
        f"CPU seconds per task second on the workers: {cpu_scale:.2f}",
        "",
        "| step | tasks | CPU s | cost |",
        "|---|---:|---:|---:|",
    ]
    linear = 0.0
    for step in [*(name for name, _ in STEPS), OTHER]:
        times = seconds.get(step, [])
        linear += sum(times) / n_articles
        cost = f"{1e3 * sum(times) / n_articles:.2f} ms/article"
        lines.append(f"| {step} | {len(times)} | {sum(times):.1f} | {cost} |")
    client = client_cpu / n_articles
    lines.append(
        f"| client: index fit while stage 1 runs, search, scheduler | - | {client_cpu:.1f} "
        f"| {1e3 * client:.2f} ms/article |"
    )
    n, cores = 1_000_000, os.cpu_count() or 1
    search = SEARCH_MS_PER_ARTICLE / 1e3 * n / cores
    exact = EXACT_NS_PER_PAIR / 1e9 * n * n / cores
    lines += [
        "",
        f"Projected for 1M articles: the workers' steps spread evenly over N single-core "
        f"workers; the client's measured per-article CPU on one core; the candidate search "
        f"({SEARCH_MS_PER_ARTICLE:.2f} ms/article) and the exact one "
        f"({EXACT_NS_PER_PAIR:.1f} ns/pair) from the 200k related benchmark, on the client's "
        f"{cores} cores (scheduler and transfer costs not included):",
        "",
        "| workers | workers' steps | client | candidate search | total | total, exact search |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    fixed = client * n / 3600
    for workers in (2, 8, 32, 128):
        lin = linear * n / workers / 3600
        total = lin + fixed + search / 3600
        lines.append(
            f"| {workers} | {lin:.1f} h | {fixed:.1f} h | {search / 3600:.1f} h | {total:.1f} h "
            f"| {lin + fixed + exact / 3600:.1f} h |"
        )
    return lines


def _records(pattern: str) -> list[str]:
    lines: list[str] = []
    for path in sorted(glob.glob(pattern)):
        lines.extend(Path(path).read_text(encoding="utf-8").splitlines())
    return lines


def use_snapshot(folder: Path) -> Path:
    """Run everything on a copy of the package taken now: this process, the local engine's
    subprocess and the Dask workers (which inherit ``PYTHONPATH``). Without it, code edited
    while the benchmark runs would make the two engines run different code."""
    import shutil

    target = folder / "src"
    shutil.copytree(ROOT / "src" / "arabnews_nlp", target / "arabnews_nlp")
    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(target), *filter(None, [os.environ.get("PYTHONPATH")])]
    )
    sys.path.insert(0, str(target))
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="the first N articles only")
    parser.add_argument("--workers", type=int, default=2, help="local -j and Dask workers")
    parser.add_argument("--parts", type=int, default=16, help="JSON Lines files to convert to")
    parser.add_argument("--exact", action="store_true", help="both engines: --exact-related")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    mib = 2**20
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        folder = Path(tmp)
        use_snapshot(folder)
        (folder / "parts").mkdir()
        n, seconds = convert(args.corpus, folder / "parts", args.parts, args.limit)
        parts = sorted(str(p) for p in (folder / "parts").glob("*.jsonl"))
        print(f"corpus: {args.corpus}, {n} articles; machine: {os.cpu_count()} CPUs")
        print(f"convert to {len(parts)} JSON Lines parts: {seconds:.1f} s (once per corpus)")

        local = run_local(parts, folder / "local.jsonl", args.workers, args.exact)
        dask_run = run_dask(parts, folder / "dask.jsonl", args.workers, args.exact)
        w = args.workers
        print("\n| engine | wall s | CPU s | articles/s | stage 1 s | peak RSS per worker |")
        print("|---|---:|---:|---:|---:|---|")
        for name, run in ((f"local -j {w}", local), (f"Dask LocalCluster, {w} workers", dask_run)):
            s = run["summary"]
            peaks = ", ".join(f"{p / mib:.0f}" for p in run["peak_workers"]) or "-"
            print(f"| {name} | {run['wall']:.1f} | {run['cpu']:.1f} | "
                  f"{s['written'] / run['wall']:.1f} | "
                  f"{s['timings']['stage1']:.1f} | {peaks} MiB |")  # fmt: skip
        print(f"\nlocal parent process peak RSS: {local['peak_parent'] / mib:.0f} MiB; "
              f"Dask client (+ scheduler) peak RSS: {dask_run['peak_client'] / mib:.0f} MiB; "
              f"Dask CPU s: workers {dask_run['worker_cpu']:.1f}, "
              f"client {dask_run['client_cpu']:.1f}; "
              f"Dask cluster start: {dask_run['cluster_start']:.1f} s; "
              f"Dask timings: {dask_run['summary']['timings']}")  # fmt: skip
        ours = _records(str(folder / "dask.jsonl" / "part-*.jsonl"))
        theirs = _records(str(folder / "local.jsonl"))
        ids = [json.loads(line)["id"] for line in ours]
        print(f"records: local {len(theirs)}, Dask {len(ours)}, ids unique: "
              f"{len(ids) == len(set(ids))}, identical: {ours == theirs}")  # fmt: skip
        if ours != theirs:
            fields: dict[str, int] = defaultdict(int)
            for a, b in zip(ours, theirs, strict=False):
                x, y = json.loads(a), json.loads(b)
                for key in x.keys() | y.keys():
                    fields[key] += x.get(key) != y.get(key)
            print(f"  differing records per field: {dict(fields)}")
        print()
        timed = step_seconds(dask_run["tasks"])
        busy = sum(t for times in timed.values() for t in times)
        scale = min(1.0, dask_run["worker_cpu"] / busy) if busy else 1.0
        written = dask_run["summary"]["written"]
        print("\n".join(projection(timed, written, scale, dask_run["client_cpu"])))
    same = ours == theirs and len(ids) == len(set(ids))
    print("target: the same records as the local engine:", "ok" if same else "MISSED")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
