"""Cross-validate an entity tagger on ANERcorp (contiguous folds) and score it out of domain.

For each of ``--folds`` contiguous blocks of ANERcorp's training file, a model is trained on the
other blocks (ministries retagged as in the shipped recipe) and scores the held-out block, every
AQMAR file and the Wojood sample's ``val`` file. Prints and writes (``--out``) mean ± sd over
folds of P/R/F1 per label and micro, the OOD scores and the tagging speed (words/s of the
held-out block, wall clock: noisy on a shared machine), and appends one line per run to
``docs/models/ner-cv-log.jsonl``. Every fold's marginals go to ``--work`` so that
``--arch ensemble`` can average two finished runs without training anything.

Usage:
    python scripts/ner/cv.py --arch crf --folds 5 --out /tmp/ner-cv/crf.json
    python scripts/ner/cv.py --arch neural --folds 5 --vectors /work/ner-cache/subword.npz \
        --out /tmp/ner-cv/neural.json
    python scripts/ner/cv.py --arch ensemble --members crf,neural --folds 5 --out ens.json
    python scripts/ner/cv.py --compare crf,ensemble --folds 5   # paired bootstrap, pooled folds
"""

from __future__ import annotations

import argparse
import json
import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arabnews_nlp.entities.crossval import (
    TAG_SET,
    constrained_tags,
    contiguous_folds,
    fold_summary,
    ood_sets,
    paired_bootstrap,
    to_tag_set,
)
from arabnews_nlp.entities.data import Sentence, read_anercorp, read_conll
from arabnews_nlp.entities.evaluate import entity_scores
from arabnews_nlp.entities.lexicons import ORG_NAME_MODES
from arabnews_nlp.entities.recipe import CRFRecipe

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "models" / "ner-cv-log.jsonl"


def _fit_crf(train: list[Sentence], args: argparse.Namespace, k: int) -> Any:
    from arabnews_nlp.entities.train import fit_crf

    # Kept (like the neural models with --save-models): self-training reads the fold's models.
    folder = args.work / args.name / f"fold{k}-model"
    folder.mkdir(parents=True, exist_ok=True)
    recipe = CRFRecipe(
        clusters=args.clusters,
        c1=args.c1,
        max_iterations=args.iterations,
        stemmer=args.stemmer,
        org_names=args.org_names,
    )
    tagger, _ = fit_crf(train, args.shared, folder, recipe)
    return _CRFAdapter(tagger)


class _CRFAdapter:
    """The CRF's own Viterbi tags (as shipped) and its marginals in TAG_SET order."""

    def __init__(self, tagger: Any) -> None:
        self.tagger = tagger

    def predict(self, sentences: list[list[str]]) -> tuple[list[list[str]], list[np.ndarray]]:
        labels = self.tagger.weights_.labels
        tags = [[labels[i] for i in d.labels.tolist()] for d in self.tagger.decode(sentences)]
        return tags, to_tag_set(self.tagger.marginals(sentences), list(labels))


def _fit_neural(train: list[Sentence], args: argparse.Namespace, k: int) -> Any:
    from arabnews_nlp.entities.data import tag_ministries
    from arabnews_nlp.entities.lexicons import build_lexicons
    from arabnews_nlp.entities.neural_train import NeuralSettings, train_neural

    # The same training tags as the CRF's: ministries retagged as ORG.
    tag_ministries(train, build_lexicons(args.shared).lists.get("nisba", ()))
    settings = NeuralSettings(
        epochs=args.epochs, seed=args.seed + k, flags=args.flags, hidden=args.hidden, lr=args.lr
    )
    model = train_neural(train, args.vectors, settings, shared_dir=args.shared)
    return _NeuralAdapter(model)


class _NeuralAdapter:
    def __init__(self, model: Any) -> None:
        self.model = model

    def predict(self, sentences: list[list[str]]) -> tuple[list[list[str]], list[np.ndarray]]:
        marginals = to_tag_set(self.model.marginals(sentences), list(self.model.labels))
        return self.model.tag(sentences), marginals


FITTERS = {"crf": _fit_crf, "neural": _fit_neural}


def _save(path: Path, marginals: list[np.ndarray], tags: list[list[str]]) -> dict[str, Any]:
    lengths = np.array([len(m) for m in marginals])
    flat = np.concatenate(marginals) if marginals else np.zeros((0, len(TAG_SET)))
    ids = np.array([TAG_SET.index(t) for s in tags for t in s], dtype=np.int8)
    return {f"{path}_m": flat.astype(np.float16), f"{path}_l": lengths, f"{path}_t": ids}


def _load(npz: Any, name: str) -> tuple[list[np.ndarray], list[list[str]]]:
    lengths = npz[f"{name}_l"]
    cuts = np.cumsum(lengths)[:-1]
    marginals = np.split(npz[f"{name}_m"].astype(np.float64), cuts)
    tags = [[TAG_SET[i] for i in s] for s in np.split(npz[f"{name}_t"].astype(int), cuts)]
    return marginals, tags


def _log_features(parts: list[list[np.ndarray]]) -> np.ndarray:
    return np.concatenate([np.log(np.clip(np.concatenate(p), 1e-6, None)) for p in parts], axis=1)


def _stacker(names: list[str], k: int, train: list[Sentence], args: argparse.Namespace) -> Any:
    """A logistic regression from the members' log-marginals to the gold tag, fitted on the
    held-out predictions of the *other* folds (their order is ``train``'s)."""
    from sklearn.linear_model import LogisticRegression

    others = sorted(
        int(p.stem[4:]) for p in (args.work / names[0]).glob("fold?.npz") if int(p.stem[4:]) != k
    )
    parts = [
        [m for j in others for m in _load(np.load(args.work / n / f"fold{j}.npz"), "cv")[0]]
        for n in names
    ]
    gold = np.array([TAG_SET.index(t) for s in train for t in s.tags])
    return LogisticRegression(C=1.0, max_iter=300).fit(_log_features(parts), gold)


def _combine(
    parts: list[list[np.ndarray]], weights: Sequence[float], how: str, stacker: Any
) -> list[np.ndarray]:
    """Per sentence, the members' marginals combined: weighted mean, normalized weighted
    geometric mean, or the stacker's probabilities."""
    if how == "stack":
        probs = np.zeros((sum(len(m) for m in parts[0]), len(TAG_SET)))
        probs[:, stacker.classes_] = stacker.predict_proba(_log_features(parts))
        return np.split(probs, np.cumsum([len(m) for m in parts[0]])[:-1])
    out = []
    for i in range(len(parts[0])):
        if how == "geometric":
            pairs = zip(weights, parts, strict=True)
            logs = sum(w * np.log(np.clip(p[i], 1e-9, None)) for w, p in pairs)
            g = np.exp(logs / sum(weights))
            out.append(g / g.sum(axis=1, keepdims=True))
        else:
            out.append(sum(w * p[i] for w, p in zip(weights, parts, strict=True)) / sum(weights))
    return out


def run_fold(
    k: int, train: list[Sentence], tests: dict[str, list[Sentence]], args: argparse.Namespace
) -> dict[str, Any]:
    """Train (or combine) one fold's model, score every test set, save its marginals."""
    out_npz = args.work / args.name / f"fold{k}.npz"
    out_npz.parent.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    arrays: dict[str, np.ndarray] = {}
    result: dict[str, Any] = {"fold": k}
    if args.arch == "ensemble":
        names = args.members.split(",")
        members = [np.load(args.work / m / f"fold{k}.npz") for m in names]
        weights = [float(w) for w in args.weights.split(",")] if args.weights else None
        stacker = _stacker(names, k, train, args) if args.combine == "stack" else None
    else:
        model = FITTERS[args.arch](train, args, k)
        result["train_seconds"] = time.perf_counter() - started
        if args.save_models and hasattr(model, "model"):
            model.model.save(out_npz.with_name(f"fold{k}-model"))
    for name, sentences in tests.items():
        t0 = time.perf_counter()
        if args.arch == "ensemble":
            parts = [_load(npz, name)[0] for npz in members]
            marginals = _combine(parts, weights or [1.0] * len(parts), args.combine, stacker)
            tags = constrained_tags(marginals)
        else:
            tags, marginals = model.predict([s.tokens for s in sentences])
        seconds = time.perf_counter() - t0
        result[name] = entity_scores([s.tags for s in sentences], tags)
        result[name]["words_per_second"] = sum(len(s.tokens) for s in sentences) / seconds
        arrays.update(_save(Path(name), marginals, tags))
    np.savez_compressed(out_npz, **{str(k): v for k, v in arrays.items()})
    out_npz.with_suffix(".json").write_text(json.dumps(result))
    logging.info("fold %d: %s", k, {n: round(result[n]["micro"]["f1"], 4) for n in tests})
    return result


def _summary(folds: list[dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name in names:
        scores = [{k: v for k, v in f[name].items() if k != "words_per_second"} for f in folds]
        out[name] = fold_summary(scores)
        out[name]["words_per_second"] = float(np.mean([f[name]["words_per_second"] for f in folds]))
    return out


def _print(summary: dict[str, Any]) -> None:
    for name, s in summary.items():
        cells = [
            f"{label} {s[label]['f1']['mean']:.3f}±{s[label]['f1']['sd']:.3f}"
            for label in ("PER", "LOC", "ORG", "micro")
        ]
        p, r = s["micro"]["precision"]["mean"], s["micro"]["recall"]["mean"]
        wps = s["words_per_second"]
        print(f"{name:11s} {'  '.join(cells)}  (P {p:.3f} R {r:.3f}; {wps:,.0f} words/s)")


def compare(args: argparse.Namespace, folds: list[range], data: list[Sentence]) -> None:
    """Paired bootstrap of two finished runs on the pooled held-out predictions (the folds
    both runs finished)."""
    base, new = args.compare.split(",")
    gold: list[list[str]] = []
    pred: dict[str, list[list[str]]] = {base: [], new: []}
    shared = [
        k
        for k in range(len(folds))
        if all((args.work / arch / f"fold{k}.npz").exists() for arch in (base, new))
    ]
    for k in shared:
        block = folds[k]
        gold += [data[i].tags for i in block]
        for arch in (base, new):
            pred[arch] += _load(np.load(args.work / arch / f"fold{k}.npz"), "cv")[1]
    result = paired_bootstrap(gold, pred[base], pred[new])
    print(json.dumps({"base": base, "new": new, "folds": shared, **result}))
    _log({"compare": f"{new} vs {base}", "k": len(folds), "folds": shared, **result}, args.log)


def table(path: Path) -> str:
    """The model card's table: one markdown row per run name, its latest log entry (a run
    whose folds ran in several invocations is logged after each; CV F1 mean ± sd per label)."""

    def cell(s: dict[str, Any], label: str) -> str:
        return f"{s[label]['f1']['mean']:.3f} ± {s[label]['f1']['sd']:.3f}"

    rows = [
        "| run | folds | PER | LOC | ORG | micro (P / R) | AQMAR | Wojood val | words/s |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    latest: dict[str, dict[str, Any]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if "summary" in record:
            latest.pop(record["run"], None)  # re-inserted last: runs in order of their latest entry
            latest[record["run"]] = record
    for record in latest.values():
        cv, aq, wj = (record["summary"][n] for n in ("cv", "aqmar", "wojood_val"))
        p, r = cv["micro"]["precision"]["mean"], cv["micro"]["recall"]["mean"]
        # An ensemble or a propagation replay reads saved marginals: its time measures nothing.
        ensemble = record["settings"].get("arch") == "ensemble" or "propagate" in record["settings"]
        speed = "–" if ensemble else f"{cv['words_per_second']:,.0f}"
        rows.append(
            f"| {record['run']} | {len(record['folds'])}/{record['k']} | {cell(cv, 'PER')} "
            f"| {cell(cv, 'LOC')} | {cell(cv, 'ORG')} | **{cell(cv, 'micro')}** "
            f"({p:.3f} / {r:.3f}) | {cell(aq, 'micro')} | {cell(wj, 'micro')} "
            f"| {speed} |"
        )
    return "\n".join(rows)


def _log(record: dict[str, Any], path: Path = LOG) -> None:
    record = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), **record}
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--arch", choices=[*FITTERS, "ensemble"], default="crf")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--only", default="", help="comma-separated fold ids to run (screening)")
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--work", type=Path, default=Path("/tmp/ner-cv"))
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--name", default="", help="run name: log entry and --work subfolder (default: the arch)"
    )
    parser.add_argument("--log", type=Path, default=LOG, help="JSON-lines log of every run")
    parser.add_argument("--seed", type=int, default=0)
    shipped = CRFRecipe.shipped()
    parser.add_argument("--clusters", type=Path, default=shipped.clusters)
    parser.add_argument("--c1", type=float, default=shipped.c1)
    parser.add_argument("--stemmer", choices=["crf", "shared"], default=shipped.stemmer)
    parser.add_argument(
        "--org-names",
        choices=ORG_NAME_MODES,
        default=shipped.org_names,
        help="crf: the hand-written organisation list as name-list words or whole-name phrases",
    )
    parser.add_argument(
        "--iterations", type=int, default=shipped.max_iterations, help="CRF: L-BFGS iterations"
    )
    parser.add_argument("--vectors", type=Path, default=None, help="subword vectors (.npz)")
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--flags", action="store_true", help="neural: lexicon flag embeddings")
    parser.add_argument("--hidden", type=int, default=128, help="neural: LSTM units per direction")
    parser.add_argument("--lr", type=float, default=3e-3, help="neural: Adam learning rate")
    parser.add_argument("--save-models", action="store_true", help="neural: keep each fold's model")
    parser.add_argument(
        "--silver", default="", help="extra training file per fold, e.g. /w/silver/fold{fold}.txt"
    )
    parser.add_argument("--members", default="crf,neural", help="ensemble: runs to average")
    parser.add_argument("--weights", default="", help="ensemble: weights of the members")
    parser.add_argument(
        "--combine",
        choices=["mean", "geometric", "stack"],
        default="mean",
        help="ensemble: how the marginals are combined (stack: a logistic regression fitted on "
        "the other folds' held-out marginals)",
    )
    parser.add_argument("--table", action="store_true", help="print the log as a markdown table")
    parser.add_argument(
        "--summarize", action="store_true", help="train nothing: summarize the finished folds"
    )
    parser.add_argument("--compare", default="", help="BASE,NEW: paired bootstrap of two runs")
    return parser


def main() -> None:
    args = _parser().parse_args()
    logging.basicConfig(format="%(asctime)s %(message)s", level=logging.INFO)
    args.work.mkdir(parents=True, exist_ok=True)

    data = read_anercorp(args.shared / "data" / "ner" / "anercorp-train.txt")
    folds = contiguous_folds(len(data), args.folds)
    if args.compare:
        compare(args, folds, data)
        return
    if args.table:
        print(table(args.log))
        return
    args.name = args.name or args.arch
    ood = ood_sets(args.shared)
    only = {int(k) for k in args.only.split(",")} if args.only else set(range(args.folds))
    if args.summarize:
        only = set()
    for k, block in enumerate(folds):
        if k not in only:
            continue
        train = [data[i] for i in range(len(data)) if i not in block]
        tests = {"cv": [data[i] for i in block], **ood}
        # A fresh copy per fold: ministry retagging edits the training tags in place.
        train = [Sentence(list(s.tokens), list(s.tags)) for s in train]
        if args.silver:  # self-training: the fold's silver sentences (tagged by its own models)
            train += read_conll(args.silver.format(fold=k))
        run_fold(k, train, tests, args)
    # Every finished fold of this run name counts: folds may run in separate invocations.
    done = sorted(args.work.joinpath(args.name).glob("fold*.json"))
    results = [json.loads(p.read_text()) for p in done]
    results = [r for r in results if r["fold"] < args.folds]
    summary = _summary(results, ["cv", *ood])
    _print(summary)
    record = {
        "run": args.name,
        "folds": [r["fold"] for r in results],
        "k": args.folds,
        "settings": {
            key: v.name if isinstance(v, Path) else v
            for key, v in vars(args).items()
            if key not in {"out", "work", "shared", "compare", "log"}
        },
        "summary": summary,
        "per_fold": results,
    }
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    _log({k: v for k, v in record.items() if k != "per_fold"}, args.log)


if __name__ == "__main__":
    main()
