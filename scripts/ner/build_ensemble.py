"""Write the shipped ensemble pipeline (``load_ner("ensemble")``) over the shipped members.

The pipeline folder holds the config, the tokenizer and the ``arabnews_ensemble_ner`` component,
whose ``ensemble.json`` points at the shipped CRF and neural folders (relative paths): the
weights are not stored twice in the package. Scores the dev split of ANERcorp (the last 10 %,
which neither shipped member was trained on) and records it in ``meta.json``.

Usage:
    python scripts/ner/build_ensemble.py [--weights 0.5,0.5] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import os
from pathlib import Path

from arabnews_nlp.entities.constants import (
    DEFAULT_COMPONENT_DIR,
    ENSEMBLE_COMPONENT_NAME,
    ENSEMBLE_MODEL_DIR,
    NEURAL_COMPONENT_DIR,
)
from arabnews_nlp.entities.data import read_anercorp, split_dev
from arabnews_nlp.entities.ensemble import write_ensemble
from arabnews_nlp.entities.evaluate import entity_scores, predict_tags
from arabnews_nlp.entities.model import build_pipeline

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--out", type=Path, default=ENSEMBLE_MODEL_DIR)
    parser.add_argument("--weights", default="0.5,0.5", help="CRF,neural")
    args = parser.parse_args()
    crf_weight, neural_weight = (float(w) for w in args.weights.split(","))

    component = args.out / ENSEMBLE_COMPONENT_NAME
    members = [
        ("crf", DEFAULT_COMPONENT_DIR, crf_weight),
        ("neural", NEURAL_COMPONENT_DIR, neural_weight),
    ]
    # Paths relative to the component's folder: the package can move as a whole.
    write_ensemble(component, [(a, os.path.relpath(d, component), w) for a, d, w in members])
    nlp = build_pipeline(component, component=ENSEMBLE_COMPONENT_NAME)
    dev = split_dev(read_anercorp(args.shared / "data" / "ner" / "anercorp-train.txt"))[1]
    scores = entity_scores([s.tags for s in dev], predict_tags(nlp, dev))
    nlp.meta["performance"] = {"dev": scores}
    nlp.meta["arabnews_training"] = {
        "members": ["crf", "neural"],
        "weights": [crf_weight, neural_weight],
    }
    # The component writes only its ensemble.json (already in place): no member is copied.
    nlp.to_disk(args.out, exclude=[ENSEMBLE_COMPONENT_NAME])
    print(json.dumps(scores.get("micro", {})))


if __name__ == "__main__":
    main()
