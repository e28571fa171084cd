"""Train the subword vectors of the neural NER tagger and export the shippable ``.npz``.

Reads the normalized, tokenized corpus that ``scripts/ner/build_clusters.py`` writes (one
sentence per line, ``ner`` normalization, clitics attached), keeps every ``--every``-th line
(a spread-out subset that fits the time budget), trains gensim FastText skip-gram vectors with
character n-grams and writes :class:`~arabnews_nlp.entities.subwords.SubwordVectors`: the
``--max-words`` most frequent words and the ``--buckets`` n-gram table, int8 per row.

Usage:
    python scripts/ner/build_subwords.py --corpus /work/ner-cache/corpus.txt --every 3 \
        --out /work/ner-cache/subwords.npz

The corpus and the gensim model stay outside the repository (the text belongs to its
publishers); only the ``.npz`` (derived vectors) ships in the model folder.
"""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from arabnews_nlp.entities.subwords import SubwordVectors


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/ner-cache/corpus.txt"))
    parser.add_argument("--every", type=int, default=3, help="keep every n-th sentence")
    parser.add_argument("--out", type=Path, default=Path("/work/ner-cache/subwords.npz"))
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--buckets", type=int, default=100_000)
    parser.add_argument("--min-n", type=int, default=2)
    parser.add_argument("--max-n", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--min-count", type=int, default=3)
    parser.add_argument("--max-words", type=int, default=60_000)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    from gensim.models import FastText

    subset = args.out.with_suffix(f".every{args.every}.txt")
    if not subset.exists():
        with open(args.corpus, encoding="utf-8") as src, open(subset, "w", encoding="utf-8") as out:
            for i, line in enumerate(src):
                if i % args.every == 0:
                    out.write(line)
    start = time.time()
    model = FastText(
        corpus_file=str(subset),
        vector_size=args.dim,
        sg=1,
        window=5,
        min_count=args.min_count,
        epochs=args.epochs,
        workers=args.workers,
        min_n=args.min_n,
        max_n=args.max_n,
        bucket=args.buckets,
        seed=0,
    )
    logging.info("trained %d words in %.0f s", len(model.wv), time.time() - start)
    model.wv.save(str(args.out.with_suffix(".kv")))
    vectors = SubwordVectors.from_gensim(model.wv, max_words=args.max_words)
    vectors.save(args.out)
    logging.info("wrote %s (%.1f MB)", args.out, args.out.stat().st_size / 1e6)


if __name__ == "__main__":
    main()
