"""Benchmark the ``search`` normalization profile against camel-tools and pyarabic.

Measures characters per second, on the same text in one run, for:

* ``arabnews``: ``Normalizer("search").normalize`` (the fast path);
* ``arabnews+offsets``: ``normalize_with_offsets`` (what entity extraction uses);
* ``camel``: camel-tools' chain ``normalize_unicode`` → ``dediac_ar`` → ``normalize_alef_ar`` →
  ``normalize_alef_maksura_ar`` → ``normalize_teh_marbuta_ar``;
* ``camel-no-unicode``: the same chain without ``normalize_unicode`` (NFKC);
* ``pyarabic``: ``normalize_ligature`` → ``strip_diacritics`` → ``strip_tatweel`` →
  ``normalize_alef`` → ``normalize_teh``.

Each document is normalized whole (``--unit article``: title + body, the library's use) and
line by line (``--unit line``). Times are CPU time of this process (``time.process_time``),
the best of ``--repeat`` rounds with the methods interleaved, so that other load on a shared
machine moves every method alike and the ratios stay comparable. It prints the ratios and
checks the targets of the normalization issue: at least 3x camel's chain, and at least as fast
as camel's chain without ``normalize_unicode``.

Usage:
    python benchmarks/bench_normalize.py [CORPUS] [--limit N] [--repeat R] [--unit article|line]

CORPUS is a JSON Lines file (optionally ``.xz``/``.gz``) of articles with ``title`` and
``text``/``body`` fields; it defaults to ``../shared/data/unlabeled/egy-news-2013`` and falls
back to the bundled sample corpus.
"""

from __future__ import annotations

import argparse
import gzip
import json
import lzma
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from arabnews_nlp.normalize import Normalizer  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared/data/unlabeled/egy-news-2013/egy_news_2013.jsonl.xz"
SAMPLE_CORPUS = ROOT / "src/arabnews_nlp/data/sample_articles.jsonl"
TARGET_VS_CAMEL = 3.0
TARGET_VS_CAMEL_NO_UNICODE = 1.0


def read_articles(path: Path, limit: int) -> list[str]:
    """Title and body of the first ``limit`` articles, one string each."""
    opener = {".xz": lzma.open, ".gz": gzip.open}.get(path.suffix, open)
    out: list[str] = []
    with opener(path, "rt", encoding="utf-8") as fh:  # type: ignore[operator]
        for line in fh:
            record = json.loads(line)
            body = record.get("text") or record.get("body") or ""
            out.append(f"{record.get('title') or ''}\n{body}")
            if len(out) >= limit:
                break
    return out


def methods() -> dict[str, Callable[[str], object]]:
    """Every normalizer available here, by name."""
    search = Normalizer("search")
    found: dict[str, Callable[[str], object]] = {
        "arabnews": search.normalize,
        "arabnews+offsets": search.normalize_with_offsets,
    }
    try:
        from camel_tools.utils.dediac import dediac_ar
        from camel_tools.utils.normalize import (
            normalize_alef_ar,
            normalize_alef_maksura_ar,
            normalize_teh_marbuta_ar,
            normalize_unicode,
        )
    except ImportError as exc:
        print(f"camel-tools unavailable ({exc}); skipped", file=sys.stderr)
    else:

        def camel_no_unicode(s: str) -> str:
            s = normalize_alef_ar(dediac_ar(s))
            return normalize_teh_marbuta_ar(normalize_alef_maksura_ar(s))

        found["camel"] = lambda s: camel_no_unicode(normalize_unicode(s))
        found["camel-no-unicode"] = camel_no_unicode
    try:
        from pyarabic import araby
    except ImportError:
        print("pyarabic unavailable; skipped", file=sys.stderr)
    else:

        def pyarabic_chain(s: str) -> str:
            s = araby.strip_tatweel(araby.strip_diacritics(araby.normalize_ligature(s)))
            return str(araby.normalize_teh(araby.normalize_alef(s)))

        found["pyarabic"] = pyarabic_chain
    return found


def best_times(
    fns: dict[str, Callable[[str], object]], texts: list[str], repeat: int
) -> dict[str, float]:
    """Best CPU time of each method over ``repeat`` interleaved rounds."""
    best = dict.fromkeys(fns, float("inf"))
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.process_time()
            for text in texts:
                fn(text)
            best[name] = min(best[name], time.process_time() - start)
    return best


def units(articles: list[str], unit: str) -> Iterator[str]:
    if unit == "article":
        yield from articles
    else:
        yield from (line for article in articles for line in article.split("\n") if line)


def report(texts: list[str], unit: str, repeat: int) -> dict[str, float]:
    fns = methods()
    chars = sum(map(len, texts))
    best = best_times(fns, texts, repeat)
    print(f"\nunit={unit}: {len(texts):,} strings, {chars:,} characters, best of {repeat}")
    print(f"{'method':<18}{'M chars/s':>11}{'arabnews is':>14}")
    for name, seconds in best.items():
        ratio = seconds / best["arabnews"]
        print(f"{name:<18}{chars / seconds / 1e6:>11.1f}{ratio:>13.2f}x")
    return {name: seconds / best["arabnews"] for name, seconds in best.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", nargs="?", type=Path)
    parser.add_argument("--limit", type=int, default=2000, help="articles to read (2000)")
    parser.add_argument("--repeat", type=int, default=7, help="interleaved rounds (7)")
    parser.add_argument("--unit", choices=["article", "line", "both"], default="both")
    args = parser.parse_args(argv)

    corpus = args.corpus or (SHARED_CORPUS if SHARED_CORPUS.exists() else SAMPLE_CORPUS)
    articles = read_articles(corpus, args.limit)
    print(f"corpus: {corpus} ({len(articles)} articles)")
    ok = True
    for unit in ["article", "line"] if args.unit == "both" else [args.unit]:
        ratios = report(list(units(articles, unit)), unit, args.repeat)
        for name, target in [
            ("camel", TARGET_VS_CAMEL),
            ("camel-no-unicode", TARGET_VS_CAMEL_NO_UNICODE),
        ]:
            if name in ratios:
                passed = ratios[name] >= target
                ok &= passed
                verdict = "PASS" if passed else "FAIL"
                print(f"target {verdict}: {ratios[name]:.2f}x {name} (needs >= {target:.1f}x)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
