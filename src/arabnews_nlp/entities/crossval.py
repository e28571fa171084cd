"""Cross-validation of entity taggers: contiguous folds, fold statistics, paired bootstrap.

One dev split of 13.7k words decided the shipped model's settings, and the dev points did not
carry over to unseen news. The harness here scores a tagger on ``k`` contiguous blocks of
ANERcorp's sentences (never shuffled: names repeat within a story, so shuffled folds would leak
them) and reports every figure as mean ± sd over the folds, plus out-of-domain scores.

A *tagger* here is anything with a ``tag_set`` (label names) and ``marginals(sentences)``
returning, per sentence, a ``(tokens, labels)`` array of per-token probabilities: from them the
harness takes the constrained-Viterbi tags, and an ensemble averages them.

Example:
    >>> [list(r) for r in contiguous_folds(10, 3)]
    [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    >>> summary = fold_summary([{"micro": {"f1": 0.7}}, {"micro": {"f1": 0.8}}])
    >>> summary["micro"]["f1"]["mean"], round(summary["micro"]["f1"]["sd"], 4)
    (0.75, 0.0707)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arabnews_nlp.entities.data import (
    LABELS,
    PUBLIC_LABELS,
    Sentence,
    read_aqmar,
    read_wojood,
    tag_spans,
)
from arabnews_nlp.entities.linear_chain import constrained_decode

__all__ = [
    "TAG_SET",
    "constrained_tags",
    "contiguous_folds",
    "fold_summary",
    "ood_sets",
    "paired_bootstrap",
    "to_tag_set",
]

#: The IOB2 tags every tagger's marginals are stored in (so that two taggers can be averaged).
TAG_SET: tuple[str, ...] = ("O", *(f"{p}-{label}" for label in LABELS for p in "BI"))


def contiguous_folds(n: int, k: int) -> list[range]:
    """``k`` contiguous blocks of ``range(n)`` whose sizes differ by at most one."""
    if not 1 < k <= n:
        raise ValueError(f"need 1 < k <= n, got k={k}, n={n}")
    size, extra = divmod(n, k)
    bounds = [i * size + min(i, extra) for i in range(k + 1)]
    return [range(bounds[i], bounds[i + 1]) for i in range(k)]


def to_tag_set(marginals: Sequence[np.ndarray], labels: Sequence[str]) -> list[np.ndarray]:
    """Marginals with their columns in :data:`TAG_SET` order (a tag the tagger lacks gets 0),
    so that two taggers' marginals can be averaged.

    >>> to_tag_set([np.array([[0.25, 0.75]])], ["B-PER", "O"])[0][0, :2].tolist()
    [0.75, 0.25]
    """
    index = [list(labels).index(t) if t in labels else -1 for t in TAG_SET]
    out = []
    for m in marginals:
        r = np.zeros((len(m), len(TAG_SET)), dtype=np.float32)
        for j, i in enumerate(index):
            if i >= 0:
                r[:, j] = m[:, i]
        out.append(r)
    return out


def ood_sets(shared_dir: str | Path) -> dict[str, list[Sentence]]:
    """The out-of-domain test sets: every AQMAR file, and the Wojood sample's ``val`` file.

    Wojood's ``GPE``/``LOC``/``FAC`` are read as ``LOC``, ``PERS`` as ``PER``, ``ORG`` as
    ``ORG`` and every other type as ``O`` (:func:`~arabnews_nlp.entities.data.read_wojood`).
    """
    ner = Path(shared_dir) / "data" / "ner"
    return {
        "aqmar": read_aqmar(ner / "aqmar"),
        "wojood_val": read_wojood(ner / "wojood-sample" / "val.txt"),
    }


def constrained_tags(marginals: Sequence[np.ndarray], tag_set: Sequence[str] = TAG_SET) -> list:
    """The best valid IOB2 path of each sentence under per-token probabilities.

    The path maximizes the sum of log-probabilities over the paths that never enter ``I-X``
    except from ``B-X``/``I-X`` (and never start a sentence with ``I-X``).

    >>> p = np.full((2, len(TAG_SET)), 0.01)
    >>> p[0, TAG_SET.index("I-PER")] = p[1, TAG_SET.index("I-PER")] = 0.9
    >>> p[0, TAG_SET.index("B-PER")] = 0.5
    >>> constrained_tags([p])
    [['B-PER', 'I-PER']]
    """
    return [[tag_set[i] for i in d.labels.tolist()] for d in constrained_decode(marginals, tag_set)]


def fold_summary(per_fold: Sequence[dict[str, dict[str, float]]]) -> dict[str, Any]:
    """Mean and sample sd over folds of every ``{label: {metric: value}}`` figure."""
    out: dict[str, Any] = {}
    for label in per_fold[0]:
        out[label] = {}
        for metric in per_fold[0][label]:
            values = np.array([fold[label][metric] for fold in per_fold], dtype=float)
            sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
            out[label][metric] = {"mean": float(values.mean()), "sd": sd}
    return out


def _counts(gold: Sequence[Sequence[str]], pred: Sequence[Sequence[str]]) -> np.ndarray:
    """Per sentence ``(true positives, predicted, gold)`` entity counts over the public labels."""
    rows = []
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g = {s for s in tag_spans(g_tags) if s[0] in PUBLIC_LABELS}
        p = {s for s in tag_spans(p_tags) if s[0] in PUBLIC_LABELS}
        rows.append((len(g & p), len(p), len(g)))
    return np.array(rows, dtype=float).reshape(-1, 3)


def _f1(c: np.ndarray) -> np.ndarray:
    """Micro F1 of summed ``(tp, pred, gold)`` counts, along the last axis."""
    return np.where(c[..., 1] + c[..., 2] > 0, 2 * c[..., 0] / (c[..., 1] + c[..., 2]), 0.0)


def paired_bootstrap(
    gold: Sequence[Sequence[str]],
    pred_a: Sequence[Sequence[str]],
    pred_b: Sequence[Sequence[str]],
    *,
    samples: int = 2000,
    seed: int = 0,
) -> dict[str, float]:
    """Micro-F1 difference ``b - a`` with a 95 % paired bootstrap CI over sentences.

    Both systems are scored on the same resampled sentences in every round.

    >>> gold = [["B-PER"], ["B-LOC"], ["O"]] * 20
    >>> out = paired_bootstrap(gold, [["O"], ["B-LOC"], ["O"]] * 20, gold, samples=200)
    >>> out["delta"] > 0 and out["low"] > 0
    True
    """
    a, b = _counts(gold, pred_a), _counts(gold, pred_b)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, len(a), size=(samples, len(a)))
    deltas = _f1(b[picks].sum(axis=1)) - _f1(a[picks].sum(axis=1))
    return {
        "delta": float(_f1(b.sum(axis=0)) - _f1(a.sum(axis=0))),
        "low": float(np.percentile(deltas, 2.5)),
        "high": float(np.percentile(deltas, 97.5)),
        "p_not_better": float((deltas <= 0).mean()),
    }
