"""Peak memory of ``arabnews analyze`` as the archive grows (issue 18, bounded memory).

Runs ``arabnews analyze CORPUS -j 2`` as a user does, sampling the resident memory of the
whole process tree (parent + pool workers, summed, every 0.2 s) and the CPU seconds of the
tree, first on the corpus itself and then on ``--copies N`` copies of it with fresh ids
(ANT x4 = 110,832 articles by default is long on 2 cores: ``--copies 2`` projects the growth
from two points). It prints each figure against the issue's targets and exits 1 when one is
missed:

* peak memory of the tree at the base size <= 1.5 GB;
* growth of that peak from the base size to the copies <= 30%;
* at the base size, >= 100 articles/s (wall: meaningful on an otherwise idle 2-core machine,
  so the articles per CPU-second are printed too) and the related stage <= 5% of the run.

Two measures of the tree's memory are printed, and ``--metric`` says which one the exit
status follows (``rss``, the issue's wording, by default). RSS summed over the processes counts
a page shared by several of them once per process: since the stage-1 workers are forked
(Linux) and share the models' pages, the sum overstates what the machine needs. PSS (the
proportional set size, Linux only) counts a page shared by N processes 1/N in each, so the
tree's PSS is what it really occupies.

Usage:
    python benchmarks/bench_analyze_memory.py [CORPUS] [--copies N] [--limit N] [--jobs 2]
        [--ner-model NAME] [--metric rss|pss] [--keep DIR] [--no-speed]

CORPUS defaults to ``../shared/data/news/ant-v2.1-four-outlets.tar.xz``. ``--keep DIR`` keeps
each run's output (``DIR/analysis-xN.jsonl``), e.g. to ``cmp`` it with another version's,
and the memory of the tree a second at a time (``DIR/timeline-xN.txt``). ``--no-speed``: the
exit status follows the memory targets alone (a machine shared with other work).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_analyze import DEFAULT_CORPUS, _run_measured

#: Peak RSS of the process tree at the base size (bytes), from the issue.
TARGET_PEAK = 1.5e9
#: Growth of the peak from the base size to the copies, from the issue.
TARGET_GROWTH = 0.30
#: Articles per second end to end at the base size, on 2 cores, from the issue.
TARGET_SPEED = 100.0
#: Share of the run's wall time spent in the related stage, from the issue.
TARGET_RELATED = 0.05


def write_copies(corpus: Path, copies: int, limit: int | None, path: Path) -> int:
    """Write ``copies`` copies of the corpus as JSON Lines, the copies with fresh ids."""
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.pipeline.output import write_jsonl

    articles = [a.to_dict() for a in islice(read_articles(corpus), limit)]
    rows = (
        {**a, "id": f"{a['id']}~{copy}" if copy else a["id"]}
        for copy in range(copies)
        for a in articles
    )
    return write_jsonl(rows, path)


def run(
    corpus: Path,
    jobs: int,
    output: Path,
    ner_model: str | None = None,
    timeline: Path | None = None,
) -> dict[str, float]:
    """One ``analyze`` run: peak RSS of the tree, of the parent and of the workers together,
    peak PSS of the tree (bytes) and when it peaked, CPU seconds of the tree, wall seconds,
    articles, the stages' seconds (``stage1``, ``related``, ``write``, ``total``). With
    ``timeline``, the memory a second at a time is written there."""
    cli = [sys.executable, "-c", "from arabnews_nlp.cli import main; main()"]
    options = ["-o", str(output), "-j", str(jobs), "--no-progress", "--json"]
    if ner_model is not None:
        options += ["--ner-model", ner_model]
    samples: list[tuple[float, int, int, int]] = []
    wall, cpu, peaks, result = _run_measured([*cli, "analyze", str(corpus), *options], samples)
    if result.returncode not in (0, 1):
        raise SystemExit(f"analyze failed ({result.returncode}):\n{result.stderr}")
    if timeline is not None:
        timeline.write_text(
            "seconds parent_rss_mib workers_rss_mib tree_pss_mib\n"
            + "".join(f"{t:.0f} {p >> 20} {w >> 20} {q >> 20}\n" for t, p, w, q in samples)
        )
    summary = json.loads(result.stdout)
    return {**peaks, "cpu": cpu, "wall": wall, "n": summary["written"], **summary["timings"]}


def _verdict(value: float, target: float) -> str:
    return f"ratio {value / target:5.2f}  {'ok' if value <= target else 'MISSED'}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--copies", type=int, default=4, help="larger run: N copies (0: skip)")
    parser.add_argument("--limit", type=int, default=None, help="first N articles only")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--ner-model", default=None, help="analyze's --ner-model")
    parser.add_argument("--metric", choices=("rss", "pss"), default="rss",
                        help="the measure the exit status follows (both are printed)")  # fmt: skip
    parser.add_argument("--keep", type=Path, default=None, help="keep the outputs here")
    parser.add_argument("--no-speed", action="store_true",
                        help="exit status from the memory targets alone")  # fmt: skip
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        sizes = [1] + ([args.copies] if args.copies > 1 else [])
        runs = []
        for copies in sizes:
            if copies == 1 and args.limit is None:
                corpus = args.corpus
            else:
                corpus = Path(tmp) / f"corpus-x{copies}.jsonl"
                write_copies(args.corpus, copies, args.limit, corpus)
            timeline = folder / f"timeline-x{copies}.txt" if args.keep else None
            output = folder / f"analysis-x{copies}.jsonl"
            r = run(corpus, args.jobs, output, args.ner_model, timeline)
            runs.append(r)
            print(f"x{copies}: {r['n']:.0f} articles, -j {args.jobs}: peak RSS of the process tree "
                  f"{r['peak'] / 1e9:.2f} GB (parent alone {r['parent'] / 1e9:.2f} GB, workers "
                  f"together {r['workers'] / 1e9:.2f} GB; PSS of the tree "
                  f"{r['pss'] / 1e9:.2f} GB at {r['pss_at']:.0f} s), {r['cpu']:.0f} CPU-s, "
                  f"{r['wall']:.0f} s wall ({r['n'] / r['wall']:.1f} articles/s, "
                  f"{r['n'] / r['cpu']:.1f} articles per CPU-s); stage 1 "
                  f"{r['stage1']:.0f} s, related {r['related']:.0f} s, write {r['write']:.0f} s",
                  flush=True)  # fmt: skip
    missed = {name: _report(runs, key, name) for key, name in (("peak", "rss"), ("pss", "pss"))}
    slow = _report_speed(runs[0])
    return 1 if missed[args.metric] or (slow and not args.no_speed) else 0


def _report_speed(base: dict[str, float]) -> bool:
    """Print the base run's speed and related-stage share against the targets; whether one
    was missed."""
    speed, share = base["n"] / base["wall"], base["related"] / base["total"]
    print(f"articles/s at {base['n']:.0f} articles   {speed:7.1f}      target >= "
          f"{TARGET_SPEED:.0f}         ratio {speed / TARGET_SPEED:5.2f}  "
          f"{'ok' if speed >= TARGET_SPEED else 'MISSED'}")  # fmt: skip
    print(f"related stage share          {100 * share:5.1f}%      target <= "
          f"{100 * TARGET_RELATED:.0f}%          {_verdict(share, TARGET_RELATED)}")  # fmt: skip
    return speed < TARGET_SPEED or share > TARGET_RELATED


def _report(runs: list[dict[str, float]], key: str, name: str) -> bool:
    """Print the peak (``key``) at the base size and its growth against the targets; whether
    one was missed."""
    base, label = runs[0], name.upper()
    print(f"peak {label} at {base['n']:.0f} articles      {base[key] / 1e9:5.2f} GB   target <= "
          f"{TARGET_PEAK / 1e9:.1f} GB   {_verdict(base[key], TARGET_PEAK)}")  # fmt: skip
    missed = base[key] > TARGET_PEAK
    if len(runs) > 1:
        big = runs[1]
        growth = big[key] / base[key] - 1
        print(f"growth of {label} {base['n']:.0f} -> {big['n']:.0f} articles  {100 * growth:+5.1f}%"
              f"      target <= {100 * TARGET_GROWTH:.0f}%       "
              f"{_verdict(max(growth, 0.0), TARGET_GROWTH)}")  # fmt: skip
        missed |= growth > TARGET_GROWTH
    return missed


if __name__ == "__main__":
    sys.exit(main())
