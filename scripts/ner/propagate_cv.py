"""Score document-level name propagation on a finished cross-validation run.

``extract_entities`` (``propagate=True`` by default) marks the untagged repetitions of names the
tagger found in the same document (:mod:`arabnews_nlp.entities.propagate`); ``cv.py`` scores the
tagger alone, sentence by sentence. This script replays a run's saved fold predictions
(``--work/<run>/fold<k>.npz``: marginals and decoded tags), groups the sentences into documents,
applies the library's :func:`~arabnews_nlp.entities.propagate.propagate_names` to each and saves
the result as a new run, ``<run>-prop`` (same files: ``cv.py --compare <run>,<run>-prop`` and
``cv.py --table`` read it).

Documents: AQMAR's files are articles. ANERcorp and the Wojood sample carry no document
boundaries, so ``--window`` consecutive sentences stand in for a story (names repeat within a
story; a window that spans two stories can only spread a name into the next one).

Usage:
    python scripts/ner/propagate_cv.py --run ens6 --work /work/ner-cv --window 20
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import spacy
from spacy.tokens import Doc

from arabnews_nlp.entities.canonical import canonical_name, is_junk
from arabnews_nlp.entities.crossval import TAG_SET, contiguous_folds, fold_summary, ood_sets
from arabnews_nlp.entities.data import read_anercorp, read_aqmar, tag_spans
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.entities.evaluate import entity_scores
from arabnews_nlp.entities.propagate import propagate_names

sys.path.insert(0, str(Path(__file__).resolve().parent))
import itertools

from cv import LOG, _load, _log, _save

_VOCAB = spacy.blank("ar").vocab


def propagate_document(
    sentences: Sequence[Sequence[str]], tags: Sequence[list[str]], marginals: Sequence[np.ndarray]
) -> list[list[str]]:
    """The tags of one document's sentences after propagation (``tags`` is left as it is).

    Each tagged span becomes a seed entity with the product's score (the smallest marginal of
    its tokens' labels) and canonical name; junk spans seed nothing, as in ``extract_entities``.
    """
    words = [w for s in sentences for w in s]
    flat = [t for s in tags for t in s]
    doc = Doc(_VOCAB, words=words, spaces=[True] * len(words))
    conf = np.concatenate(
        [
            m[np.arange(len(t)), [TAG_SET.index(x) for x in t]]
            for m, t in zip(marginals, tags, strict=True)
        ]
    )
    ents, seeds = [], []
    for label, start, end in tag_spans(flat):
        span = doc[start:end]
        ents.append(doc.char_span(span.start_char, span.end_char, label=label))
        canonical = canonical_name(span.text, label)
        if not is_junk(span.text, label, canonical):
            score = float(conf[start:end].min())
            seeds.append(Entity(label, span.text, span.start_char, span.end_char, canonical, score))
    doc.ents = ents
    out = list(flat)
    for start_char, end_char, label in propagate_names(doc, seeds):
        span = doc.char_span(start_char, end_char)
        out[span.start] = "B-" + label
        for i in range(span.start + 1, span.end):
            out[i] = "I-" + label
    cuts = np.cumsum([len(s) for s in sentences])[:-1]
    return [list(p) for p in np.split(np.array(out, dtype=object), cuts)]


def _documents(n: int, window: int, bounds: Sequence[int] | None) -> list[range]:
    """Sentence ranges of the documents: the given boundaries, else windows of ``window``."""
    if bounds is None:
        return [range(i, min(i + window, n)) for i in range(0, n, window)]
    edges = [*bounds, n]
    return [range(a, b) for a, b in itertools.pairwise(edges) if b > a]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--run", required=True)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument(
        "--shared", type=Path, default=Path(__file__).resolve().parents[3] / "shared"
    )
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--window", type=int, default=20, help="sentences per pseudo-document")
    parser.add_argument("--name", help="new run name (default <run>-prop<window>)")
    parser.add_argument("--log", type=Path, default=LOG)
    args = parser.parse_args()
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    name = args.name or f"{args.run}-prop{args.window}"
    data = read_anercorp(args.shared / "data" / "ner" / "anercorp-train.txt")
    folds = contiguous_folds(len(data), args.folds)
    ood = ood_sets(args.shared)
    aqmar_files = sorted(
        (args.shared / "data" / "ner" / "aqmar").glob("*.txt")
    )  # read_aqmar's order
    aqmar_bounds = np.cumsum([0, *(len(read_aqmar(f)) for f in aqmar_files)])[:-1].tolist()
    results = []
    for npz_path in sorted((args.work / args.run).glob("fold*.npz")):
        k = int(npz_path.stem[4:])
        npz = np.load(npz_path)
        tests = {"cv": [data[i] for i in folds[k]], **ood}
        arrays, result = {}, {"fold": k}
        for test, sentences in tests.items():
            marginals, tags = _load(npz, test)
            bounds = aqmar_bounds if test == "aqmar" else None
            new: list[list[str]] = []
            for d in _documents(len(sentences), args.window, bounds):
                new += propagate_document(
                    [sentences[i].tokens for i in d],
                    [tags[i] for i in d],
                    [marginals[i] for i in d],
                )
            result[test] = entity_scores([s.tags for s in sentences], new)
            result[test]["words_per_second"] = 0.0
            arrays.update(_save(Path(test), marginals, new))
        out = args.work / name / f"fold{k}.npz"
        out.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(out, **{str(key): v for key, v in arrays.items()})
        out.with_suffix(".json").write_text(json.dumps(result))
        logging.info("fold %d: %s", k, {t: round(result[t]["micro"]["f1"], 4) for t in tests})
        results.append(result)
    summary = {
        t: fold_summary(
            [{a: b for a, b in r[t].items() if a != "words_per_second"} for r in results]
        )
        for t in ["cv", *ood]
    }
    for t in summary:
        summary[t]["words_per_second"] = 0.0
    for t, s in summary.items():
        print(
            t,
            {
                label: f"{s[label]['f1']['mean']:.4f}±{s[label]['f1']['sd']:.4f}"
                for label in ("PER", "LOC", "ORG", "micro")
            },
        )
    _log(
        {
            "run": name,
            "folds": [r["fold"] for r in results],
            "k": args.folds,
            "settings": {"propagate": args.run, "window": args.window},
            "summary": summary,
        },
        args.log,
    )


if __name__ == "__main__":
    main()
