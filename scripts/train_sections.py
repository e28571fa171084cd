"""Train the shipped section model on ANT v2.1 and measure it leave-one-outlet-out.

    python scripts/train_sections.py                      # LOO report + ship the model
    python scripts/train_sections.py --no-loo             # ship only
    python scripts/train_sections.py --clusters none      # without word-cluster features
    python scripts/train_sections.py --vectors VEC.txt    # with word2vec vectors (text format)
    python scripts/train_sections.py --train-vectors      # train them on egy-news-2013 first

Steps: read the archive with ``read_articles``; map each ANT category to the taxonomy;
deduplicate bodies (``prefer_specific``: a story cross-listed under world news and sports is
sports); leave-one-outlet-out evaluation with a confusion-matrix PNG; fit on everything and
save to ``src/arabnews_nlp/models/sections``. Word vectors, when used, are trained on the
unlabelled egy-news-2013 crawl only (its text is never shipped; the model keeps one weight
per term). Needs ``gensim`` for ``--train-vectors`` (``pip install -e .[train]``).
"""

from __future__ import annotations

import argparse
import json
import lzma
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
ANT = SHARED / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
EGY = SHARED / "data" / "unlabeled" / "egy-news-2013" / "egy_news_2013.jsonl.xz"
MODEL_DIR = ROOT / "src" / "arabnews_nlp" / "models" / "sections"
IMG = ROOT / "docs" / "img" / "sections-loo-confusion.png"

sys.path.insert(0, str(ROOT / "src"))

from arabnews_nlp.corpus import read_articles  # noqa: E402
from arabnews_nlp.sections import SectionClassifier, TermAnalyzer, WordVectors  # noqa: E402
from arabnews_nlp.sections.evaluate import plot_confusion  # noqa: E402
from arabnews_nlp.sections.taxonomy import TAXONOMY  # noqa: E402
from arabnews_nlp.sections.train import train_sections  # noqa: E402


def load_ant(path: Path) -> tuple[list, list[str | None], list[str], dict]:
    """ANT articles with their category (the taxonomy mapping and deduplication are
    ``train_sections``'s), their outlets, and reading counts."""
    reader = read_articles(path, errors="collect")
    articles = list(reader)
    labels = [a.meta.get("category") or a.section for a in articles]
    stats = {"read": len(articles), "bad_records": len(reader.report.errors)}
    return articles, labels, [a.source or "" for a in articles], stats


def train_vectors(out: Path, dim: int = 100) -> Path:
    """word2vec (CBOW) over light stems of egy-news-2013; saved in word2vec text format."""
    from gensim.models import Word2Vec

    analyzer = TermAnalyzer()

    class Sentences:
        def __iter__(self):
            with lzma.open(EGY, "rt", encoding="utf-8") as fh:
                for line in fh:
                    record = json.loads(line)
                    yield analyzer({"title": record.get("title"), "body": record.get("text")})

    model = Word2Vec(
        Sentences(),
        vector_size=dim,
        window=5,
        min_count=5,
        sample=1e-4,
        workers=2,
        epochs=5,
        max_final_vocab=100_000,
        seed=1,
    )
    model.wv.save_word2vec_format(str(out))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--corpus", type=Path, default=ANT)
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--vectors", type=Path, help="word2vec text file in the stem space")
    ap.add_argument(
        "--train-vectors",
        type=Path,
        metavar="PATH",
        help="train vectors on egy-news-2013 into PATH (reused when it exists)",
    )
    ap.add_argument("--vector-weight", type=float, default=0.5)
    ap.add_argument(
        "--clusters",
        default="ner",
        help="word-cluster table: 'ner' (the NER model's, read at run time), a path, or 'none'",
    )
    ap.add_argument("--cluster-levels", default="1024,256,64", help="granularities to use")
    ap.add_argument("--cluster-weight", type=float, default=0.5)
    ap.add_argument("--no-loo", action="store_true", help="skip leave-one-outlet-out")
    ap.add_argument("--report", type=Path, help="write the LOO figures as JSON here")
    ap.add_argument("--img", type=Path, default=IMG)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    docs, labels, sources, stats = load_ant(args.corpus)
    print(f"corpus: {json.dumps(stats)} ({time.perf_counter() - t0:.0f}s)", flush=True)

    vectors_path = args.vectors
    if args.train_vectors is not None:
        if not args.train_vectors.exists():
            print("training word vectors on egy-news-2013 ...", flush=True)
            train_vectors(args.train_vectors)
        vectors_path = args.train_vectors
    vectors = WordVectors.load_word2vec_text(vectors_path) if vectors_path else None

    def make(calibrate: bool = False) -> SectionClassifier:
        return SectionClassifier(
            clusters=None if args.clusters == "none" else args.clusters,
            cluster_levels=tuple(int(size) for size in args.cluster_levels.split(",")),
            cluster_weight=args.cluster_weight,
            word_vectors=vectors,
            vector_weight=args.vector_weight,
            calibrate=calibrate,
        )

    def show(source: str, report: dict) -> None:
        print(
            f"  held out {source:9s} n={report['n']:6d} accuracy={report['accuracy']:.4f} "
            f"macro-F1={report['macro_f1']:.4f}",
            flush=True,
        )

    t1 = time.perf_counter()
    trained = train_sections(
        docs,
        labels,
        make,
        taxonomy=True,
        holdout=None if args.no_loo else "sources",
        groups=sources,
        progress=show,
    )
    report = trained.report
    stats.update(
        kept=report["n_articles"],
        unlabelled=report["skipped_unlabelled"],
        conflicting_groups_dropped=report["conflicting_duplicates_dropped"],
    )
    print(f"corpus: {json.dumps(stats)}", flush=True)
    metadata: dict = {
        "corpus": args.corpus.name,
        "articles": stats,
        "dedupe_policy": "prefer_specific",
        "word_vectors": vectors_path.name if vectors_path else None,
    }
    if not args.no_loo:
        classes = sorted(TAXONOMY)
        print(
            f"LOO mean accuracy={report['mean_accuracy']:.4f} "
            f"mean macro-F1={report['mean_macro_f1']:.4f}",
            flush=True,
        )
        plot_confusion(
            report["confusion"],
            classes,
            args.img,
            f"ANT v2.1 leave-one-outlet-out (mean macro-F1 {report['mean_macro_f1']:.3f})",
        )
        metadata["leave_one_outlet_out"] = {
            "mean_accuracy": round(report["mean_accuracy"], 4),
            "mean_macro_f1": round(report["mean_macro_f1"], 4),
            "folds": {
                source: {"accuracy": round(f["accuracy"], 4), "macro_f1": round(f["macro_f1"], 4)}
                for source, f in report["folds"].items()
            },
        }
        if args.report:
            args.report.write_text(json.dumps({"corpus": stats, **report}, indent=2))

    model = trained.model
    metadata["train_seconds_wall"] = round(time.perf_counter() - t1, 1)
    model.save(args.out, metadata=metadata)
    print(
        f"trained on {report['n_articles']} articles in {time.perf_counter() - t1:.0f}s: "
        f"{len(model.vocabulary_)} terms, temperature {model.temperature_:.3f} -> {args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
