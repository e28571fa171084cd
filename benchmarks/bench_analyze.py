"""Benchmark ``arabnews analyze`` on the four-outlet ANT news corpus.

Measures, on the same input:

* reading alone (``read_articles`` over the archive) — the floor no analysis can beat;
* ``arabnews analyze`` end to end as a user runs it, with ``-j 1`` and ``-j 2`` (separate
  processes): wall time, articles/s, per-phase times, and peak resident memory of the whole
  process tree (parent + workers, sampled every 0.2 s);
* a cProfile of an in-process ``-j 1`` run on a subset: where the time goes.

Usage:
    python benchmarks/bench_analyze.py [CORPUS] [--limit N] [--jobs 1 2] [--profile-limit N]

CORPUS defaults to ``../shared/data/news/ant-v2.1-four-outlets.tar.xz``. With ``--limit`` the
first N articles are copied to a JSON Lines file first (not timed) and that file is analysed.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
TARGET = 100.0  # articles/s on 2 cores, from the issue


def _tree_rss(pid: int) -> tuple[int, int, int]:
    """Resident bytes of a process, of all its descendants together, and the proportional
    set size of the whole tree (shared pages counted once; 0 for processes gone)."""
    import psutil

    def memory(p: psutil.Process) -> tuple[int, int]:
        try:
            info = p.memory_full_info()
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            return 0, 0
        return int(info.rss), int(getattr(info, "pss", info.rss))

    try:
        parent = psutil.Process(pid)
        children = parent.children(recursive=True)
    except psutil.NoSuchProcess:
        return 0, 0, 0
    own = memory(parent)
    theirs = [memory(c) for c in children]
    return own[0], sum(m[0] for m in theirs), own[1] + sum(m[1] for m in theirs)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run_measured(
    command: list[str], timeline: list[tuple[float, int, int, int]] | None = None
) -> tuple[float, float, dict[str, int], subprocess.CompletedProcess[str]]:
    """Run a command; return (wall s, CPU s of its process tree, peak RSS, result).

    The peaks (bytes, sampled every 0.2 s) are the resident memory of the whole tree
    (``"peak"``), of the process alone (``"parent"``) and of its descendants together
    (``"workers"``), and the tree's proportional set size (``"pss"``). CPU
    seconds include the pool workers (reaped by the child, so counted in its children's
    usage): unlike wall time they do not grow when other programs share the machine.
    ``"pss_at"`` is when the PSS peaked (seconds from the start). A ``timeline`` list gets a
    sample a second: ``(seconds, parent RSS, descendants' RSS, tree PSS)``.
    """
    cpu_before = _children_cpu()
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peaks = {"peak": 0, "parent": 0, "workers": 0, "pss": 0, "pss_at": 0}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            parent, workers, pss = _tree_rss(proc.pid)
            now = time.perf_counter() - start
            if pss > peaks["pss"]:
                peaks["pss"], peaks["pss_at"] = pss, int(now)
            if timeline is not None and (not timeline or now >= timeline[-1][0] + 1):
                timeline.append((now, parent, workers, pss))
            peaks["peak"] = max(peaks["peak"], parent + workers)
            peaks["parent"] = max(peaks["parent"], parent)
            peaks["workers"] = max(peaks["workers"], workers)
            stop.wait(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - start
    cpu = _children_cpu() - cpu_before
    return wall, cpu, peaks, subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def _prepare(corpus: Path, limit: int | None, folder: Path) -> tuple[Path, int | None]:
    if limit is None:
        return corpus, None
    from itertools import islice

    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.pipeline.output import write_jsonl

    articles = [a.to_dict() for a in islice(read_articles(corpus), limit)]
    subset = folder / f"subset-{limit}.jsonl"
    write_jsonl(articles, subset)
    return subset, len(articles)


def bench_read(corpus: Path) -> tuple[int, float]:
    from arabnews_nlp.corpus import read_articles

    start = time.perf_counter()
    n = sum(1 for _ in read_articles(corpus))
    return n, time.perf_counter() - start


def bench_analyze(corpus: Path, jobs: int, folder: Path) -> dict[str, object]:
    output = folder / f"analysis-j{jobs}.jsonl"
    cli = [sys.executable, "-c", "from arabnews_nlp.cli import main; main()"]
    options = ["-o", str(output), "-j", str(jobs), "--no-progress", "--json"]
    command = [*cli, "analyze", str(corpus), *options]
    wall, cpu, peaks, result = _run_measured(command)
    if result.returncode not in (0, 1):
        raise SystemExit(f"analyze -j {jobs} failed ({result.returncode}):\n{result.stderr}")
    summary = json.loads(result.stdout)
    return {"jobs": jobs, "wall": wall, "cpu": cpu, "peak_rss": peaks["peak"], "summary": summary,
            "output": output}  # fmt: skip


def profile(corpus: Path, limit: int, folder: Path, top: int = 25) -> str:
    from itertools import islice

    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.pipeline import RunOptions, run_analysis

    articles = list(islice(read_articles(corpus), limit))
    profiler = cProfile.Profile()
    profiler.enable()
    summary = run_analysis(articles, folder / "profiled.jsonl", RunOptions(progress=False))
    profiler.disable()
    out = io.StringIO()
    out.write(f"profile of an in-process -j 1 run on {summary.written} articles; ")
    out.write(f"phases: {summary.timings}\n")
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("tottime").print_stats(top)
    stats.sort_stats("cumulative").print_stats(top)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=None, help="analyse the first N articles")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--profile-limit", type=int, default=2000, help="0 disables profiling")
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-analyze-") as tmp:
        folder = Path(tmp)
        corpus, n = _prepare(args.corpus, args.limit, folder)
        print(f"corpus: {args.corpus}" + (f" (first {n} articles)" if n else ""))
        print(f"machine: {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
        count, seconds = bench_read(corpus)
        print(f"read only: {count} articles in {seconds:.1f} s = {count / seconds:.0f} articles/s")

        print(f"load average before the runs: {os.getloadavg()[0]:.1f} (wall times grow with it)")
        results = [bench_analyze(corpus, jobs, folder) for jobs in args.jobs]
        print("\n| -j | articles | wall s | articles/s | CPU s | articles/CPU-s "
              "| stage1 s | related s | write s | peak RSS |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        for r in results:
            s = r["summary"]
            t = s["timings"]
            rate = s["written"] / r["wall"]
            print(f"| {r['jobs']} | {s['written']} | {r['wall']:.1f} | {rate:.1f} | "
                  f"{r['cpu']:.1f} | {s['written'] / r['cpu']:.1f} | "
                  f"{t['stage1']:.1f} | {t['related']:.1f} | {t['write']:.1f} | "
                  f"{r['peak_rss'] / 2**20:.0f} MiB |")  # fmt: skip
        base = results[0]
        for r in results[1:]:
            print(f"speed-up -j {r['jobs']} vs -j {base['jobs']}: {base['wall'] / r['wall']:.2f}x")
        same = len({Path(r["output"]).read_bytes() for r in results}) == 1
        # (False also when a model file changed between the runs.)
        print(f"identical output for all -j: {same}")
        best = max(r["summary"]["written"] / r["wall"] for r in results)
        print(f"best rate {best:.1f} articles/s vs target {TARGET:.0f}: {best / TARGET:.2f}x")

        if args.profile_limit:
            print()
            print(profile(corpus, args.profile_limit, folder))
    return 0


if __name__ == "__main__":
    sys.exit(main())
