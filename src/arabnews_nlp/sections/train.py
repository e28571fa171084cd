"""Train a section model end to end: labels, deduplication, a held-out report, the final fit.

The one workflow behind ``arabnews train sections`` and ``scripts/train_sections.py``:

1. optionally map every label to the shipped taxonomy (labels it cannot map are skipped);
2. drop repeated bodies (:func:`~arabnews_nlp.sections.evaluate.dedupe_labelled`);
3. measure on held-out articles — a stratified split, whole groups (``holdout="groups"``), or
   leave-one-source-out (``holdout="sources"``) — or not at all (``holdout=None``);
4. fit a calibrated model on everything.

Example:
    >>> from arabnews_nlp import Article
    >>> texts = {"sports": ["فاز الفريق بالمباراة", "الهدف في الدقيقة الأخيرة من المباراة"],
    ...          "economy": ["ارتفعت أسعار النفط", "تراجع الدينار أمام الدولار في السوق"]}
    >>> docs = [Article(title=t, body=t) for ts in texts.values() for t in ts]
    >>> labels = [label for label, ts in texts.items() for _ in ts]
    >>> make = lambda calibrate: SectionClassifier(min_df=1, calibrate=calibrate)
    >>> trained = train_sections(docs, labels, make, holdout=None)
    >>> trained.report["n_articles"], sorted(str(c) for c in trained.model.classes_)
    (4, ['economy', 'sports'])
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from arabnews_nlp.sections.classifier import SectionClassifier
from arabnews_nlp.sections.defaults import DEFAULT_TEST_SIZE
from arabnews_nlp.sections.evaluate import dedupe_labelled, leave_one_source_out, scores
from arabnews_nlp.sections.features import ArticleLike
from arabnews_nlp.sections.taxonomy import TAXONOMY, map_label

__all__ = ["TrainedSections", "train_sections"]

#: ``make_model(calibrate) -> SectionClassifier``: a fresh unfitted model.
ModelFactory = Callable[[bool], SectionClassifier]


@dataclass
class TrainedSections:
    """A model fitted on every article, and what was measured on the way.

    Attributes:
        model: Fitted on all the (deduplicated) articles, calibrated.
        report: ``n_articles``, ``skipped_unlabelled``, ``conflicting_duplicates_dropped``,
            ``split`` and the held-out scores (``accuracy``, ``macro_f1``...; for
            ``holdout="sources"`` the leave-one-source-out figures with their confusion).
    """

    model: SectionClassifier
    report: dict[str, Any]


def train_sections(
    articles: Sequence[ArticleLike],
    labels: Sequence[str | None],
    make_model: ModelFactory,
    *,
    taxonomy: bool = False,
    holdout: Literal["split", "groups", "sources"] | None = "split",
    groups: Sequence[str] | None = None,
    test_size: float = DEFAULT_TEST_SIZE,
    seed: int = 0,
    progress: Callable[[str, dict[str, Any]], None] | None = None,
) -> TrainedSections:
    """Train a section model and report on held-out articles (see the module docstring).

    Args:
        articles: The articles.
        labels: Their labels (None: no label, skipped).
        make_model: Builds a fresh model; called with ``calibrate`` (False for held-out
            fits, True for the final one).
        taxonomy: Map labels to the shipped sections first.
        holdout: How to measure: ``"split"`` (stratified), ``"groups"`` (whole ``groups``
            held out), ``"sources"`` (leave each of ``groups`` out in turn), or None.
        groups: Group (e.g. outlet) of each article, for ``"groups"``/``"sources"``; with
            ``"sources"`` also the final fit's ``sources`` (else each article's own).
        test_size: Share held out by ``"split"``/``"groups"``.
        seed: Random seed of the split.
        progress: ``progress(source, fold_report)`` after each leave-one-source-out fold.

    Raises:
        ValueError: fewer than two distinct labels remain.
    """
    kept = [
        (a, map_label(y) if taxonomy and y is not None else y, g)
        for a, y, g in zip(articles, labels, groups or [""] * len(articles), strict=True)
    ]
    usable = [(a, y, g) for a, y, g in kept if y]
    docs, ys, gs = (list(x) for x in zip(*usable, strict=True)) if usable else ([], [], [])
    docs, ys, conflicts, index = _dedupe(docs, ys)
    gs = [gs[i] for i in index]
    if len(set(ys)) < 2:
        raise ValueError("need at least two distinct labels")
    report: dict[str, Any] = {
        "n_articles": len(docs),
        "skipped_unlabelled": len(kept) - len(usable),
        "conflicting_duplicates_dropped": conflicts,
        "split": holdout,
    }
    sources = [str(g or "") for g in gs] if groups is not None else None
    if holdout == "sources":
        if sources is None:
            raise ValueError("holdout='sources' needs groups")
        classes = sorted(TAXONOMY) if taxonomy else None
        report.update(
            leave_one_source_out(
                lambda: make_model(False), docs, ys, sources, classes=classes, progress=progress
            )
        )
    elif holdout is not None:
        by_group = sources if holdout == "groups" else None
        train, test = _split(ys, by_group, test_size, seed)
        held_out = make_model(False).fit([docs[i] for i in train], [ys[i] for i in train])
        predicted = [str(p) for p in held_out.predict([docs[i] for i in test])]
        report.update(scores([ys[i] for i in test], predicted), n_train=len(train))
    model = make_model(True).fit(docs, ys, sources=sources if holdout == "sources" else None)
    return TrainedSections(model, report)


def _dedupe(
    docs: list[ArticleLike], labels: list[str]
) -> tuple[list[ArticleLike], list[str], int, list[int]]:
    """:func:`dedupe_labelled`, with the position each kept article had (to keep groups)."""
    kept, kept_labels, conflicts = dedupe_labelled(docs, labels)
    position = {id(d): i for i, d in enumerate(docs)}
    return kept, kept_labels, conflicts, [position[id(d)] for d in kept]


def _split(
    labels: list[str], groups: list[str] | None, test_size: float, seed: int
) -> tuple[list[int], list[int]]:
    """Train/test indices: whole groups held out when groups are given, else stratified."""
    from sklearn.model_selection import GroupShuffleSplit, train_test_split

    index = np.arange(len(labels))
    if groups is not None and len(set(groups)) >= 2:
        splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=seed)
        train, test = next(splitter.split(index, labels, groups))
        return train.tolist(), test.tolist()
    counts = np.unique(labels, return_counts=True)[1]
    stratify = labels if counts.min() >= 2 else None
    train, test = train_test_split(index, test_size=test_size, random_state=seed, stratify=stratify)
    return sorted(train.tolist()), sorted(test.tolist())
