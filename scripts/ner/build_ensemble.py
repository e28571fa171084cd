"""Write the shipped ensemble pipeline (``load_ner("ensemble")``) over the shipped members.

The pipeline folder holds the config, the tokenizer and the ``arabnews_ensemble_ner`` component,
whose ``ensemble.json`` points at the shipped CRF and neural folders (relative paths): the
weights are not stored twice in the package. Scores the dev split of ANERcorp (the last 10 %,
which neither shipped member was trained on) and records it in ``meta.json``.

Usage:
    python scripts/ner/build_ensemble.py [--weights 0.5,0.5] [--out DIR]
    # the CRF and two networks saved in the shipped neural folder (they share its vectors):
    python scripts/ner/build_ensemble.py --networks neural.npz,neural-seed100.npz \
        --weights 0.34,0.33,0.33
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
    parser.add_argument(
        "--networks", default="neural.npz", help="network files in the shipped neural folder"
    )
    parser.add_argument("--weights", default="0.5,0.5", help="CRF, then each network")
    args = parser.parse_args()
    networks = args.networks.split(",")
    weights = [float(w) for w in args.weights.split(",")]
    if len(weights) != 1 + len(networks):
        parser.error("--weights: one for the CRF, then one per network")

    component = args.out / ENSEMBLE_COMPONENT_NAME
    # Paths relative to the component's folder: the package can move as a whole.
    crf = os.path.relpath(DEFAULT_COMPONENT_DIR, component)
    neural = os.path.relpath(NEURAL_COMPONENT_DIR, component)
    members: list[tuple[str, str, float] | tuple[str, str, float, str]] = [("crf", crf, weights[0])]
    members += [("neural", neural, w, n) for n, w in zip(networks, weights[1:], strict=True)]
    write_ensemble(component, members)
    nlp = build_pipeline(component, component=ENSEMBLE_COMPONENT_NAME)
    dev = split_dev(read_anercorp(args.shared / "data" / "ner" / "anercorp-train.txt"))[1]
    scores = entity_scores([s.tags for s in dev], predict_tags(nlp, dev))
    nlp.meta["performance"] = {"dev": scores}
    nlp.meta["arabnews_training"] = {
        "members": ["crf", *networks],
        "weights": weights,
    }
    # The component writes only its ensemble.json (already in place): no member is copied.
    nlp.to_disk(args.out, exclude=[ENSEMBLE_COMPONENT_NAME])
    print(json.dumps(scores.get("micro", {})))


if __name__ == "__main__":
    main()
