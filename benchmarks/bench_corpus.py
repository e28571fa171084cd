"""Benchmark the corpus readers and writers against the naive alternatives.

Cases (each in its own process, so peak RSS is the case's own):

* ``ant-stream``: ``read_articles`` over the four-outlet ANT ``.tar.xz`` (streamed members);
* ``ant-load-all``: the naive alternative: every member read into a list first, then parsed;
* ``ant-raw``: only decompressing and walking the archive (the floor for any reader);
* ``jsonl-read`` vs ``jsonl-naive``: ``read_articles`` vs ``json.loads`` + ``Article.from_dict``
  per line, no validation or error reporting, on a synthetic JSON Lines corpus;
* ``jsonl-write`` vs ``jsonl-write-naive``: ``write_articles`` (atomic, fsync) vs a plain
  ``json.dumps`` loop into an open file;
* ``parquet-read``: the same corpus from Parquet.

Usage:
    python benchmarks/bench_corpus.py [--archive PATH] [--articles N]

Prints one line per case (articles, seconds, articles/s, peak RSS MiB) and the ratios.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_ARCHIVE = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
FIXTURES = ROOT / "tests" / "fixtures" / "corpus"


def _peak_rss_mib() -> float:
    # VmHWM, not getrusage: ru_maxrss survives fork+exec, so a child would report the
    # parent's peak (the parent builds the synthetic corpus).
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _case(name: str, archive: Path, work: Path) -> int:
    """Run one case in this process; returns the number of articles handled.

    Write cases are in ``_write_case``."""
    from arabnews_nlp.article import Article
    from arabnews_nlp.corpus import read_articles

    jsonl, parquet = work / "corpus.jsonl", work / "corpus.parquet"
    if name == "ant-stream":
        return sum(1 for _ in read_articles(archive))
    if name == "ant-raw":
        with tarfile.open(archive, "r|xz") as tar:
            return sum(len(tar.extractfile(m).read()) > 0 for m in tar if m.isfile())  # type: ignore[union-attr]
    if name == "ant-load-all":
        with tarfile.open(archive, "r:xz") as tar:
            members = [(m.name, tar.extractfile(m).read()) for m in tar.getmembers() if m.isfile()]  # type: ignore[union-attr]
        folder = work / "ant-all"
        for member, data in members:  # then parse them like a folder tree would be
            target = folder / member
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return sum(1 for _ in read_articles(folder))
    if name == "jsonl-read":
        return sum(1 for _ in read_articles(jsonl))
    if name == "jsonl-naive":
        with jsonl.open(encoding="utf-8") as lines:
            return sum(1 for line in lines if Article.from_dict(json.loads(line)))
    if name == "parquet-read":
        return sum(1 for _ in read_articles(parquet))
    raise ValueError(f"unknown case {name!r}")


def _write_case(name: str, work: Path) -> tuple[int, float]:
    """(articles, seconds) of writing the synthetic corpus, the read not timed."""
    from arabnews_nlp.corpus import read_articles, write_articles

    articles = list(read_articles(work / "corpus.jsonl"))
    start = time.perf_counter()
    if name == "jsonl-write":
        count = write_articles(articles, work / "out.jsonl")
    else:
        with (work / "naive.jsonl").open("w", encoding="utf-8") as out:
            for article in articles:
                out.write(json.dumps(article.to_dict(), ensure_ascii=False) + "\n")
        count = len(articles)
    return count, time.perf_counter() - start


def _make_corpus(work: Path, count: int) -> None:
    from arabnews_nlp.article import Article
    from arabnews_nlp.corpus import read_articles, write_articles

    seeds = [*read_articles(FIXTURES / "articles.jsonl"), *read_articles(FIXTURES / "txt")]

    def articles():
        for i in range(count):
            seed = seeds[i % len(seeds)]
            # ~2 kB bodies, like a short news story; unique ids and titles.
            yield Article(
                id=f"bench-{i}",
                title=f"{seed.title} ({i})",
                body="\n".join([seed.body] * 8),
                section=seed.section,
                tags=seed.tags,
                source=seed.source,
                published=seed.published,
            )

    write_articles(articles(), work / "corpus.jsonl")
    write_articles(read_articles(work / "corpus.jsonl"), work / "corpus.parquet")


def _run(name: str, archive: Path, work: Path) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--child",
        name,
        "--archive",
        str(archive),
        "--work",
        str(work),
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE)
    parser.add_argument("--articles", type=int, default=20_000, help="synthetic JSONL corpus size")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        if args.child.startswith("jsonl-write"):
            count, seconds = _write_case(args.child, args.work)
        else:
            start = time.perf_counter()
            count = _case(args.child, args.archive, args.work)
            seconds = time.perf_counter() - start
        print(json.dumps({"count": count, "seconds": seconds, "rss": _peak_rss_mib()}))
        return
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        _make_corpus(work, args.articles)
        cases = ["jsonl-read", "jsonl-naive", "parquet-read", "jsonl-write", "jsonl-write-naive"]
        if args.archive.exists():
            cases = ["ant-stream", "ant-load-all", "ant-raw", *cases]
        else:
            print(f"({args.archive} not found: ANT cases skipped)")
        results = {}
        for name in cases:
            r = results[name] = _run(name, args.archive, work)
            rate = r["count"] / r["seconds"]
            print(
                f"{name:18s} {r['count']:7d} articles {r['seconds']:7.2f} s "
                f"{rate:9.0f} art/s  peak RSS {r['rss']:6.0f} MiB"
            )

    def ratio(a: str, b: str, key: str = "seconds") -> None:
        if a in results and b in results:
            print(f"{a} / {b} ({key}): {results[a][key] / results[b][key]:.2f}x")

    print("ratios:")
    ratio("ant-stream", "ant-raw")
    ratio("ant-stream", "ant-load-all")
    ratio("ant-stream", "ant-load-all", "rss")
    ratio("jsonl-read", "jsonl-naive")
    ratio("parquet-read", "jsonl-read")
    ratio("jsonl-write", "jsonl-write-naive")


if __name__ == "__main__":
    main()
