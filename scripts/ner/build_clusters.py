"""Build the word-cluster table of the NER model from the unlabelled news in ../shared.

Stages (each skipped when its output exists, so an interrupted run resumes):
1. ``corpus.txt``: title + text of egy-news-2013 and the ANT archive, normalized with the ``ner``
   profile, tokenized like the NER input, one sentence per line;
2. ``vectors.kv``: skip-gram vectors (gensim, dim 100, 3 epochs, min_count 3);
3. ``clusters.tsv.gz``: hierarchical k-means ids (1024/256/64) of words seen ≥ 5 times.

Usage:
    python scripts/ner/build_clusters.py --shared ../shared --work /work/ner-cache

The outputs stay outside the repository (the corpus text belongs to its publishers); copy only
``clusters.tsv.gz`` into the model directory (``arabnews train ner --clusters ...`` does that).
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from arabnews_nlp.entities.clusters import (
    build_clusters,
    iter_unlabeled_texts,
    train_vectors,
    write_corpus,
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared"
    )
    parser.add_argument("--work", type=Path, default=Path("/work/ner-cache"))
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--subwords", action="store_true", help="fastText-style subword vectors")
    parser.add_argument("--sizes", default="1024,256,64")
    parser.add_argument(
        "--min-count", type=int, default=5, help="smallest word count kept in the table"
    )
    parser.add_argument("--tag", default="", help="suffix of the clusters file name")
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s %(levelname)s %(message)s", level=logging.INFO)
    args.work.mkdir(parents=True, exist_ok=True)

    corpus = args.work / "corpus.txt"
    if not corpus.exists():
        start = time.time()
        partial = corpus.with_suffix(".partial")
        n_sent, n_tok = write_corpus(iter_unlabeled_texts(args.shared), partial)
        partial.rename(corpus)
        logging.info("corpus: %d sentences, %d tokens in %.0fs", n_sent, n_tok, time.time() - start)

    from gensim.models import KeyedVectors

    vectors_path = args.work / ("vectors-subwords.kv" if args.subwords else "vectors.kv")
    if vectors_path.exists():
        vectors = KeyedVectors.load(str(vectors_path))
    else:
        start = time.time()
        vectors = train_vectors(corpus, workers=args.workers, subwords=args.subwords)
        vectors.save(str(vectors_path))
        logging.info("vectors: %d words in %.0fs", len(vectors), time.time() - start)

    start = time.time()
    sizes = tuple(int(s) for s in args.sizes.split(","))
    table = build_clusters(vectors, sizes, min_count=args.min_count)
    out = args.work / f"clusters{args.tag}.tsv.gz"
    table.save(out)
    logging.info(
        "clusters: %d words, sizes %s in %.0fs -> %s", len(table), sizes, time.time() - start, out
    )


if __name__ == "__main__":
    main()
