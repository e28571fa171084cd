"""Tag unlabelled news with a cross-validation fold's own models and write its silver sentences.

Self-training, measured honestly: the teacher of fold ``k`` is the ensemble of the models
``cv.py`` trained *without* fold ``k`` (``--save-models``), so the silver data of a fold carries
nothing of its held-out block. ``cv.py --silver /w/silver/fold{fold}.txt`` then trains the
student on the fold's gold sentences plus these.

The text is egy-news-2013 (``../shared/data/unlabeled``), every ``--every``-th article from
``--start`` on: the same articles for every fold. The silver files stay outside the repository
(the text belongs to its publisher).

Usage:
    python scripts/ner/silver.py --teachers crf6,neural6 --folds 0,1,2,3,4 --limit 6000 \
        --out /work/ner-cv/silver/fold{fold}.txt
"""

from __future__ import annotations

import argparse
import itertools
import json
import logging
import lzma
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from arabnews_nlp.entities.crf import CRFTagger
from arabnews_nlp.entities.ensemble import EnsembleTagger
from arabnews_nlp.entities.neural import NeuralTagger
from arabnews_nlp.entities.selftrain import silver_sentences, write_conll

ROOT = Path(__file__).resolve().parents[2]


def _tagger(folder: Path) -> Any:
    if (folder / "neural.npz").exists():
        return NeuralTagger.from_directory(folder)
    return CRFTagger.from_directory(folder)


def _texts(shared: Path, start: int, every: int) -> Iterator[str]:
    for path in sorted((shared / "data" / "unlabeled").glob("*/*.jsonl.xz")):
        with lzma.open(path, "rt", encoding="utf-8") as lines:
            for line in itertools.islice(lines, start, None, every):
                record = json.loads(line)
                yield f"{record.get('title') or ''}\n{record.get('text') or ''}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--teachers", required=True, help="cv.py run names, e.g. crf6,neural6")
    parser.add_argument("--folds", default="0,1,2,3,4")
    parser.add_argument("--work", type=Path, default=Path("/work/ner-cv"))
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", required=True, help="output path with {fold}")
    parser.add_argument("--limit", type=int, default=6000, help="silver sentences per fold")
    parser.add_argument("--min-confidence", type=float, default=0.9)
    parser.add_argument("--empty-every", type=int, default=4)
    parser.add_argument("--start", type=int, default=0)
    parser.add_argument("--every", type=int, default=20)
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    for k in (int(f) for f in args.folds.split(",")):
        started = time.process_time()
        teachers = [_tagger(args.work / run / f"fold{k}-model") for run in args.teachers.split(",")]
        teacher = EnsembleTagger(teachers)
        sentences = silver_sentences(
            _texts(args.shared, args.start, args.every),
            teacher,
            limit=args.limit,
            min_confidence=args.min_confidence,
            empty_every=args.empty_every,
        )
        out = Path(args.out.format(fold=k))
        n = write_conll(sentences, out)
        logging.info(
            "fold %d: %d sentences -> %s (%.0f CPU-s)", k, n, out, time.process_time() - started
        )


if __name__ == "__main__":
    main()
