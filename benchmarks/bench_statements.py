"""Benchmark what quotes and dates add to ``arabnews analyze``.

Two measurements on the first N articles of the ANT corpus (default 1,000):

* in process, one core: per-article time of :func:`quotes_and_dates` against the stage-1 time
  of the same articles (:func:`analyze_chunk`: NER, section, quotes and dates), and what it adds
  to the rest of stage 1;
* end to end, ``arabnews analyze -j 2`` as a user runs it, with the current code and, given
  ``--base SRC`` (the ``src`` folder of a checkout without quotes and dates), with that code
  on ``PYTHONPATH``; runs alternate, each ``--repeats`` times, and the fastest of each is
  compared (wall time and CPU seconds of the process tree, which do not grow when other
  programs share the machine). The target (at most 15% more) is checked on both end-to-end
  figures when ``--base`` is given, else on what quotes and dates add to stage 1.

Usage:
    python benchmarks/bench_statements.py [CORPUS] [--limit N] [--base SRC] [--repeats R]
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
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
TARGET = 0.15  # at most 15% more analyze time, from the issue


def in_process(articles: list) -> dict[str, float]:
    """Per-article milliseconds of quotes+dates and of the whole stage 1 (one core)."""
    from arabnews_nlp.entities import extract_entities_batch
    from arabnews_nlp.pipeline.stage import AnalysisConfig, analyze_chunk, get_models
    from arabnews_nlp.pipeline.statements import quotes_and_dates

    models = get_models(AnalysisConfig())
    analyze_chunk(articles[:32], models)  # warm up: models, caches, regexes
    start = time.perf_counter()
    for i in range(0, len(articles), 256):
        analyze_chunk(articles[i : i + 256], models)
    stage1 = time.perf_counter() - start
    entities = list(extract_entities_batch(articles, nlp=models.nlp))
    start = time.perf_counter()
    n_quotes = n_dates = 0
    for article, ents in zip(articles, entities, strict=True):
        quotes, dates = quotes_and_dates(article, ents)
        n_quotes += len(quotes)
        n_dates += len(dates)
    statements = time.perf_counter() - start
    n = len(articles)
    return {
        "stage1_ms": 1000 * stage1 / n,
        "quotes_dates_ms": 1000 * statements / n,
        # Stage 1 includes quotes and dates: what they add is over the rest of it.
        "added_to_stage1": statements / (stage1 - statements),
        "quotes_per_article": n_quotes / n,
        "dates_per_article": n_dates / n,
    }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def end_to_end(subset: Path, folder: Path, src: str | None) -> tuple[float, float]:
    """Wall and CPU seconds of ``arabnews analyze -j 2`` (with ``src`` first on the path)."""
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    output = folder / "out.jsonl"
    command = [sys.executable, "-c", "from arabnews_nlp.cli import main; main()", "analyze",
               str(subset), "-o", str(output), "-j", "2", "--no-progress", "--json"]  # fmt: skip
    cpu = _children_cpu()
    start = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"analyze failed ({result.returncode}):\n{result.stderr}")
    return wall, _children_cpu() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=1000)
    parser.add_argument("--base", help="src folder of a checkout without quotes and dates")
    parser.add_argument("--repeats", type=int, default=2)
    args = parser.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 1
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.pipeline.output import write_jsonl

    articles = list(islice(read_articles(args.corpus), args.limit))
    result: dict[str, object] = {"articles": len(articles), **in_process(articles)}
    if args.base:
        with tempfile.TemporaryDirectory() as tmp:
            subset = Path(tmp) / "subset.jsonl"
            write_jsonl([a.to_dict() for a in articles], subset)
            runs: dict[str, list[tuple[float, float]]] = {"base": [], "new": []}
            for _ in range(args.repeats):
                runs["base"].append(end_to_end(subset, Path(tmp), args.base))
                runs["new"].append(end_to_end(subset, Path(tmp), None))
            for name, values in runs.items():
                result[f"{name}_wall_s"] = min(w for w, _ in values)
                result[f"{name}_cpu_s"] = min(c for _, c in values)
            result["wall_overhead"] = result["new_wall_s"] / result["base_wall_s"] - 1  # type: ignore[operator]
            result["cpu_overhead"] = result["new_cpu_s"] / result["base_cpu_s"] - 1  # type: ignore[operator]
    print(json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in result.items()}))
    if args.base:
        worst = max(float(result["wall_overhead"]), float(result["cpu_overhead"]))  # type: ignore[arg-type]
    else:
        worst = float(result["added_to_stage1"])  # type: ignore[arg-type]
    print("PASS" if worst <= TARGET else "FAIL", f"(target: at most {TARGET:.0%} more)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
