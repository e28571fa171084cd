"""Train the neural NER tagger and write it as a spaCy pipeline (``load_ner(path)``).

Trains on ANERcorp minus its last ``--dev-split`` of sentences (ministries retagged as for the
CRF), scores the dev split and writes the pipeline folder (``config.cfg``, ``meta.json`` and the
``arabnews_neural_ner`` component: ``neural.npz``, ``subwords.npz``).

Usage:
    python scripts/ner/train_neural.py --vectors /work/ner-cache/subwords.npz \
        --out src/arabnews_nlp/models/ner-neural
"""

from __future__ import annotations

import argparse
import json
import logging
import tempfile
import time
from pathlib import Path

from arabnews_nlp.entities.constants import NEURAL_COMPONENT_NAME
from arabnews_nlp.entities.data import read_anercorp, split_dev, tag_ministries
from arabnews_nlp.entities.evaluate import entity_scores, predict_tags
from arabnews_nlp.entities.lexicons import build_lexicons
from arabnews_nlp.entities.model import build_pipeline
from arabnews_nlp.entities.neural_train import NeuralSettings, train_neural

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--vectors", type=Path, default=Path("/work/ner-cache/subwords.npz"))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--dev-split", type=float, default=0.1)
    parser.add_argument("--epochs", type=int, default=NeuralSettings.epochs)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--flags", action="store_true", help="name-list flags as inputs")
    parser.add_argument("--hidden", type=int, default=NeuralSettings.hidden)
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)

    started = time.perf_counter()
    data = read_anercorp(args.shared / "data" / "ner" / "anercorp-train.txt")
    train, dev = split_dev(data, args.dev_split)
    retagged = tag_ministries(train, build_lexicons(args.shared).lists.get("nisba", ()))
    settings = NeuralSettings(
        epochs=args.epochs, seed=args.seed, flags=args.flags, hidden=args.hidden
    )
    tagger = train_neural(train, args.vectors, settings, shared_dir=args.shared)
    with tempfile.TemporaryDirectory() as tmp:
        tagger.save(tmp)
        nlp = build_pipeline(tmp, component=NEURAL_COMPONENT_NAME)
        scores = entity_scores([s.tags for s in dev], predict_tags(nlp, dev)) if dev else {}
        nlp = build_pipeline(tmp, component=NEURAL_COMPONENT_NAME)
        nlp.meta["performance"] = {"dev": scores}
        nlp.meta["arabnews_training"] = {
            **vars(settings),
            "dev_fraction": args.dev_split,
            "ministries_tagged": retagged,
            "vectors": args.vectors.name,
            "seconds": round(time.perf_counter() - started),
        }
        nlp.to_disk(args.out)
    print(json.dumps(scores.get("micro", {})))


if __name__ == "__main__":
    main()
