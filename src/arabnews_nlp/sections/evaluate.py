"""Evaluating section models honestly: deduplication, scores, leave-one-source-out.

Random splits of a news corpus overstate accuracy: an outlet repeats its own phrasing,
bylines and templates, and republishes the same story under two sections. These helpers
remove duplicate bodies first and evaluate on sources the model never saw.

Example:
    >>> from arabnews_nlp.sections.evaluate import dedupe_labelled, scores
    >>> docs = ["نص أول", "نص أول", "نص ثان"]
    >>> kept, labels, dropped = dedupe_labelled(docs, ["politics", "sports", "economy"])
    >>> labels, dropped
    (['sports', 'economy'], 0)
    >>> report = scores(["sports", "economy"], ["sports", "sports"])
    >>> report["accuracy"], round(report["macro_f1"], 3)
    (0.5, 0.333)
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

from arabnews_nlp.normalize import Normalizer
from arabnews_nlp.sections.features import ArticleLike, article_fields

__all__ = [
    "body_key",
    "dedupe_labelled",
    "leave_one_source_out",
    "plot_confusion",
    "scores",
]

T = TypeVar("T", bound=ArticleLike)

#: Labels that outlets use as catch-alls: a story cross-listed under one of them and under
#: a specific section belongs to the specific one (World Cup reports filed under "world news").
GENERAL_LABELS = ("politics",)


def body_key(doc: ArticleLike) -> str:
    """A hash of the search-normalized body (or title when there is no body)."""
    title, _, body = article_fields(doc)
    text = " ".join(Normalizer("search").normalize(body or title).split())
    return hashlib.blake2b(text.encode("utf-8"), digest_size=12).hexdigest()


def dedupe_labelled(
    docs: Sequence[T],
    labels: Sequence[str],
    policy: str = "prefer_specific",
    general: Sequence[str] = GENERAL_LABELS,
) -> tuple[list[T], list[str], int]:
    """Keep one article per normalized body and settle labels that disagree.

    Args:
        docs: Articles.
        labels: Their labels (already mapped to the taxonomy).
        policy: For a body filed under different labels: ``"prefer_specific"`` keeps it
            with its one non-``general`` label (dropped if there are several),
            ``"majority"`` keeps a strict majority label, ``"drop"`` drops it.
        general: The catch-all labels ``prefer_specific`` gives way over.

    Returns:
        ``(docs, labels, n_dropped_groups)``, first occurrences in input order.
    """
    if policy not in ("prefer_specific", "majority", "drop"):
        raise ValueError(f"unknown policy {policy!r}")
    groups: dict[str, list[int]] = defaultdict(list)
    for i, doc in enumerate(docs):
        groups[body_key(doc)].append(i)
    keep: list[tuple[int, str]] = []
    dropped = 0
    for members in groups.values():
        votes = Counter(labels[i] for i in members)
        label: str | None = None
        if len(votes) == 1:
            label = labels[members[0]]
        elif policy == "prefer_specific":
            specific = [v for v in votes if v not in general]
            label = specific[0] if len(specific) == 1 else None
        elif policy == "majority":
            (top, n_top), (_, n_next) = votes.most_common(2)
            label = top if n_top > n_next else None
        if label is None:
            dropped += 1
        else:
            keep.append((members[0], label))
    keep.sort()
    return [docs[i] for i, _ in keep], [label for _, label in keep], dropped


def scores(y_true: Sequence[str], y_pred: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 and per-class precision/recall/F1/support.

    Macro-F1 averages over the sections present in ``y_true``: a test set without a
    section cannot measure it (its wrong predictions still lower the true sections' recall).
    ``per_class`` also lists predicted-only sections, with support 0.
    """
    if len(y_true) != len(y_pred):
        raise ValueError(f"{len(y_true)} labels but {len(y_pred)} predictions")
    if not y_true:
        return {"n": 0, "accuracy": None, "macro_f1": None, "per_class": {}}
    present = sorted(set(y_true))
    every = sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=every, zero_division=0)
    per_class = {
        c: {
            "precision": float(p[i]),
            "recall": float(r[i]),
            "f1": float(f[i]),
            "support": int(s[i]),
        }
        for i, c in enumerate(every)
    }
    accuracy = float(np.mean(np.asarray(y_true) == np.asarray(y_pred)))
    return {
        "n": len(y_true),
        "accuracy": accuracy,
        "macro_f1": float(np.mean([per_class[c]["f1"] for c in present])),
        "per_class": per_class,
    }


def leave_one_source_out(
    make_model: Callable[[], Any],
    docs: Sequence[ArticleLike],
    labels: Sequence[str],
    sources: Sequence[str],
    classes: Sequence[str] | None = None,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Train on every source but one, test on that one, for each source in turn.

    Args:
        make_model: Returns a fresh unfitted estimator with ``fit(docs, labels, sources=)``
            and ``predict``.
        docs, labels, sources: The corpus (deduplicate it first).
        classes: Row/column order of the confusion matrices (default: sorted labels).
        progress: Called with ``(source, fold_report)`` after each fold.

    Returns:
        ``{"folds": {source: report + "confusion"}, "mean_accuracy", "mean_macro_f1",
        "classes", "confusion"}`` where ``confusion`` sums the folds' matrices (rows = true).
    """
    order = list(classes) if classes is not None else sorted(set(labels))
    src = np.asarray(sources)
    y = np.asarray(labels)
    folds: dict[str, Any] = {}
    total = np.zeros((len(order), len(order)), dtype=int)
    for held_out in sorted(set(sources)):
        train = np.flatnonzero(src != held_out)
        test = np.flatnonzero(src == held_out)
        model = make_model()
        model.fit([docs[int(i)] for i in train], y[train].tolist(), sources=src[train].tolist())
        pred = np.asarray(model.predict([docs[int(i)] for i in test]))
        report = scores(y[test].tolist(), pred.tolist())
        matrix = confusion_matrix(y[test], pred, labels=order)
        report["confusion"] = matrix.tolist()
        total += matrix
        folds[held_out] = report
        if progress is not None:
            progress(held_out, report)
    return {
        "folds": folds,
        "mean_accuracy": float(np.mean([f["accuracy"] for f in folds.values()])),
        "mean_macro_f1": float(np.mean([f["macro_f1"] for f in folds.values()])),
        "classes": order,
        "confusion": total.tolist(),
    }


def plot_confusion(
    matrix: Sequence[Sequence[int]],
    classes: Sequence[str],
    path: str | os.PathLike[str],
    title: str = "",
) -> None:
    """Save a confusion matrix as a PNG: rows are true sections, cells show row shares.

    Draws on its own :class:`~matplotlib.figure.Figure` with an Agg canvas, so it neither
    switches the global matplotlib backend (a notebook keeps its inline one) nor leaves a
    figure open in ``pyplot``.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    counts = np.asarray(matrix, dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    fig = Figure(figsize=(6.4, 5.2), dpi=110)
    FigureCanvasAgg(fig)
    ax = fig.add_subplot()
    ax.imshow(shares, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, rotation=30, ha="right")
    ax.set_yticks(range(len(classes)), classes)
    ax.set_xlabel("predicted section")
    ax.set_ylabel("true section")
    for i in range(len(classes)):
        for j in range(len(classes)):
            if counts[i, j]:
                colour = "white" if shares[i, j] > 0.6 else "black"
                ax.text(
                    j,
                    i,
                    f"{shares[i, j]:.2f}\n{int(counts[i, j])}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color=colour,
                )
    if title:
        ax.set_title(title, fontsize=10)
    fig.tight_layout()
    fig.savefig(path)
