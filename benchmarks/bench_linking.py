"""Benchmark entity linking: table load time and what linking adds to entity extraction.

Extracts the entities of N news articles with the shipped model without linking (timed), then
links them (timed, the knowledge table already loaded), and reports the share linking adds;
extraction is most of ``arabnews analyze``'s time, so the share is an upper bound of what linking
adds to analyze. Also times loading the table in a fresh process, and, with ``--analyze``, the
whole in-memory ``analyze`` (``n_jobs=1``) with and without linking (the extractor's linking
step replaced by the identity for the second run).

Usage:
    python benchmarks/bench_linking.py [CORPUS] [--limit 500] [--analyze]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from itertools import islice
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
_LOAD = (
    "import time; from arabnews_nlp.entities.kb import load_kb; t = time.perf_counter(); "
    "load_kb(); print(time.perf_counter() - t)"
)


def main() -> None:
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.entities import extract_entities_batch
    from arabnews_nlp.entities.kb import load_kb
    from arabnews_nlp.entities.linking import link_entities
    from arabnews_nlp.entities.translit import load_transliterator

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=500)
    parser.add_argument("--analyze", action="store_true", help="also time analyze() both ways")
    args = parser.parse_args()
    loads = [float(subprocess.check_output([sys.executable, "-c", _LOAD])) for _ in range(3)]
    print(f"table load (fresh process, import excluded): best {min(loads):.3f} s of 3")
    articles = list(islice(read_articles(str(args.corpus)), args.limit))
    list(extract_entities_batch(articles[:20], link=False))  # load the model
    load_kb(), load_transliterator()
    t0 = time.perf_counter()
    found = list(extract_entities_batch(articles, link=False))
    extract = time.perf_counter() - t0
    t0 = time.perf_counter()
    linked = [link_entities(ents, a.text) for ents, a in zip(found, articles, strict=True)]
    link = time.perf_counter() - t0
    mentions = sum(map(len, linked))
    resolved = sum(e.kb_id is not None for ents in linked for e in ents)
    print(f"{len(articles)} articles, {mentions} mentions, {resolved / mentions:.1%} linked")
    print(f"extraction {extract:.2f} s, linking {link:.2f} s: +{link / extract:.1%}")
    if args.analyze:
        (with_wall, with_cpu), (without_wall, without_cpu) = _time_analyze(articles)
        print(
            f"analyze wall: {without_wall:.2f} s without linking, {with_wall:.2f} s with: "
            f"{with_wall / without_wall - 1:+.1%}"
        )
        print(
            f"analyze CPU: {without_cpu:.2f} s without linking, {with_cpu:.2f} s with: "
            f"{with_cpu / without_cpu - 1:+.1%} (the figure to read on a shared machine)"
        )


def _time_analyze(articles: list, repeats: int = 3) -> tuple[tuple[float, float], ...]:  # type: ignore[type-arg]
    """Best wall and CPU seconds of ``repeats`` alternating runs of analyze() with and without
    linking (CPU time of this process: analyze runs in it)."""
    from arabnews_nlp.entities import extract
    from arabnews_nlp.pipeline import analyze

    list(analyze(articles[:20], related_k=5))  # load every model once
    original = extract.link_entities
    times: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
    for _ in range(repeats):
        for linking in (False, True):
            if not linking:
                extract.link_entities = lambda entities, _text: list(entities)  # type: ignore[assignment]
            try:
                t0, c0 = time.perf_counter(), time.process_time()
                list(analyze(articles, related_k=5))
                times[linking].append((time.perf_counter() - t0, time.process_time() - c0))
            finally:
                extract.link_entities = original
    return tuple(  # type: ignore[return-value]
        (min(w for w, _ in times[k]), min(c for _, c in times[k])) for k in (True, False)
    )


if __name__ == "__main__":
    main()
