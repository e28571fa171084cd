"""Section classification speed on one core: the shipped model vs plain scikit-learn.

Prediction time covers everything from an article to its section: search-normalization,
tokenization, light stemming, TF-IDF and the linear scores. The reference is what a
scikit-learn user would write first: ``TfidfVectorizer(sublinear_tf=True)`` on the raw
title + lede + body (no normalizer) and ``LinearSVC``, trained on the same articles.
Training time is measured for both on the same (deduplicated) corpus.

Usage:
    python benchmarks/bench_sections.py                 # ANT v2.1 from ../shared
    python benchmarks/bench_sections.py --predict 2000 --train 10000 --rounds 5

Times are process CPU seconds (best of ``--rounds``), so that other load on a shared machine
does not count; thread pools are pinned to one thread. Exits 1 when prediction is slower
than 1,000 articles/s.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"  # one core, before numpy loads its BLAS

import argparse  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections.abc import Callable  # noqa: E402
from pathlib import Path  # noqa: E402

from sklearn.base import clone  # noqa: E402
from sklearn.feature_extraction.text import TfidfVectorizer  # noqa: E402
from sklearn.pipeline import make_pipeline  # noqa: E402
from sklearn.svm import LinearSVC  # noqa: E402

from arabnews_nlp.corpus import read_articles  # noqa: E402
from arabnews_nlp.sections import SectionClassifier, load_section_model, map_label  # noqa: E402
from arabnews_nlp.sections.evaluate import dedupe_labelled  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("ARABNEWS_SHARED") or ROOT.parent / "shared")
ANT = SHARED / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
TARGET = 1000.0


def cpu_best(fn: Callable[[], object], rounds: int) -> float:
    """Best process CPU time of ``rounds`` calls."""
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", type=Path, default=ANT)
    ap.add_argument("--predict", type=int, default=3000, help="articles to classify")
    ap.add_argument("--train", type=int, default=None, help="articles to train on (all)")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args(argv)
    if not args.corpus.exists():
        print(f"corpus not found: {args.corpus}")
        return 2

    articles, labels = [], []
    for article in read_articles(args.corpus):
        label = map_label(article.section)
        if label is not None:
            articles.append(article)
            labels.append(label)
    articles, labels, _ = dedupe_labelled(articles, labels)
    # Every 9th article: a sample spread over outlets and sections alike.
    sample = articles[:: max(1, len(articles) // args.predict)][: args.predict]
    train_docs = articles[: args.train] if args.train else articles
    train_labels = labels[: len(train_docs)]
    chars = sum(len(a.text) for a in sample) / len(sample)
    print(
        f"{len(articles)} articles after dedup; predict on {len(sample)} "
        f"(mean {chars:.0f} chars), train on {len(train_docs)}; one thread, CPU seconds"
    )

    start = time.process_time()
    model = load_section_model()  # with clusters, this reads the NER model's table too
    load = time.process_time() - start
    model.predict(sample[:10])  # warm caches that a long-running service would have warm
    ours = cpu_best(lambda: model.predict(sample), args.rounds)

    raw = [a.text for a in train_docs]
    reference = make_pipeline(TfidfVectorizer(sublinear_tf=True, min_df=2), LinearSVC(C=0.5))
    start = time.process_time()
    reference.fit(raw, train_labels)
    ref_train = time.process_time() - start
    sample_raw = [a.text for a in sample]
    ref = cpu_best(lambda: reference.predict(sample_raw), args.rounds)

    # The shipped recipe: the shipped model's own parameters (word clusters included).
    recipe: SectionClassifier = clone(model)
    start = time.process_time()
    clone(recipe).set_params(calibrate=False).fit(train_docs, train_labels)
    our_train = time.process_time() - start
    start = time.process_time()
    clone(recipe).set_params(calibrate=True).fit(train_docs, train_labels)
    our_train_cal = time.process_time() - start

    rate, ref_rate = len(sample) / ours, len(sample) / ref
    print(f"{'':38s} {'articles/s':>11s} {'train s':>9s}")
    print(f"{'arabnews SectionClassifier (shipped)':38s} {rate:11,.0f} {our_train_cal:9.1f}")
    print(f"{'  same, without calibration folds':38s} {'':11s} {our_train:9.1f}")
    print(f"{'sklearn TfidfVectorizer + LinearSVC':38s} {ref_rate:11,.0f} {ref_train:9.1f}")
    print(f"loading the shipped model: {load:.2f} s")
    print(
        f"predict: the reference is {ref_rate / rate:.2f}x as fast (no normalization, no "
        f"stems); training without calibration takes {our_train / ref_train:.2f}x its time"
    )
    if rate < TARGET:
        print(f"FAIL: {rate:,.0f} articles/s is below the {TARGET:,.0f}/s target")
        return 1
    print(f"OK: {rate:,.0f} articles/s >= {TARGET:,.0f}/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
