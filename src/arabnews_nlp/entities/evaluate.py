"""Entity-level evaluation: exact-span precision, recall and F1 per label and micro-averaged.

A predicted entity counts only when its label, first and last token all match a gold entity
(CoNLL-style). ``MISC`` is ignored on both sides; ``micro`` pools ``PER``/``LOC``/``ORG``.

Example:
    >>> gold = [["B-PER", "I-PER", "O", "B-LOC"]]
    >>> pred = [["B-PER", "I-PER", "O", "B-ORG"]]
    >>> scores = entity_scores(gold, pred)
    >>> scores["PER"]["f1"], scores["micro"]["precision"], scores["LOC"]["recall"]
    (1.0, 0.5, 0.0)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from arabnews_nlp.entities.data import PUBLIC_LABELS, Sentence, read_conll, split_dev, tag_spans

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language

__all__ = ["entity_scores", "evaluate_ner", "predict_tags"]

Scores = dict[str, dict[str, float]]


def _prf(tp: int, n_pred: int, n_gold: int) -> dict[str, float]:
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def entity_scores(
    gold: Sequence[Sequence[str]],
    pred: Sequence[Sequence[str]],
    labels: Sequence[str] = PUBLIC_LABELS,
) -> Scores:
    """Exact-span scores of predicted IOB2 tag sequences against gold ones.

    Returns ``{label: {"precision", "recall", "f1"}}`` for each of ``labels`` plus ``"micro"``.
    Spans of other labels (``MISC``) are ignored.
    """
    if len(gold) != len(pred):
        raise ValueError(f"{len(gold)} gold sentences but {len(pred)} predicted")
    tp = dict.fromkeys(labels, 0)
    n_gold = dict.fromkeys(labels, 0)
    n_pred = dict.fromkeys(labels, 0)
    for g_tags, p_tags in zip(gold, pred, strict=True):
        g_spans = {s for s in tag_spans(g_tags) if s[0] in tp}
        p_spans = {s for s in tag_spans(p_tags) if s[0] in tp}
        for label, *_ in g_spans:
            n_gold[label] += 1
        for span in p_spans:
            n_pred[span[0]] += 1
            tp[span[0]] += span in g_spans
    scores = {label: _prf(tp[label], n_pred[label], n_gold[label]) for label in labels}
    scores["micro"] = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return scores


def predict_tags(
    nlp: Language, sentences: Sequence[Sentence], batch_size: int = 256
) -> list[list[str]]:
    """IOB2 tags the pipeline gives each pre-tokenized sentence (its tokenizer is bypassed)."""
    from spacy.tokens import Doc

    docs = (Doc(nlp.vocab, words=s.tokens) for s in sentences)
    out = []
    for doc in nlp.pipe(docs, batch_size=batch_size):
        tags = ["O"] * len(doc)
        for ent in doc.ents:
            tags[ent.start] = "B-" + ent.label_
            tags[ent.start + 1 : ent.end] = ["I-" + ent.label_] * (len(ent) - 1)
        out.append(tags)
    return out


def evaluate_ner(
    nlp: Language,
    path: str | Path,
    *,
    format: str = "conll",
    dev_fraction: float | None = None,
    details: bool = False,
) -> dict[str, Any]:
    """Score a pipeline on a ``token TAG`` file (the ANERcorp layout or blank-line separated).

    Labels are mapped as in training (``PERS``→``PER``, ...; ``MISC`` ignored). With
    ``dev_fraction`` only the last fraction of the sentences is scored: ``0.1`` on
    ``anercorp-train.txt`` is the dev split the shipped model was held out from. Returns the
    :func:`entity_scores` dict; with ``details=True`` it also holds ``"words"``, ``"seconds"``
    and ``"words_per_second"`` of the tagging run.
    """
    if format != "conll":
        raise ValueError(f"unsupported format {format!r} (only 'conll')")
    sentences = read_conll(path)
    if dev_fraction is not None:
        sentences = split_dev(sentences, dev_fraction)[1]
    start = time.perf_counter()
    pred = predict_tags(nlp, sentences)
    seconds = time.perf_counter() - start
    result: dict[str, Any] = entity_scores([s.tags for s in sentences], pred)
    if details:
        words = sum(len(s.tokens) for s in sentences)
        result.update(words=words, seconds=seconds, words_per_second=words / seconds)
    return result
