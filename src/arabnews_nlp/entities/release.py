"""The release check: entity scores on held-out news, split by whether a name was seen in training.

A tagger that has learnt its training names by heart scores well on them and poorly on the new
names that fill the news. :func:`release_scores` adds to the exact-span scores of
:func:`~arabnews_nlp.entities.evaluate.entity_scores` the entity counts of each label and the
recall on the gold entities whose surface form (their tokens, exactly) is, or is not, an entity
of the training data (:func:`entity_surfaces`). :func:`load_tagger` gives the shipped taggers
by name. ``scripts/ner/release_check.py`` runs them on ``tests/fixtures/ner/release.txt``.

Example:
    >>> from arabnews_nlp.entities.data import Sentence
    >>> gold = [Sentence(["زار", "فهيد", "الدويلة", "بيروت"], ["O", "B-PER", "I-PER", "B-LOC"])]
    >>> seen = entity_surfaces([Sentence(["في", "بيروت"], ["O", "B-LOC"])])
    >>> scores = release_scores(gold, [["O", "O", "O", "B-LOC"]], seen)
    >>> scores["micro"]["recall"], scores["PER"]["gold"], scores["PER"]["pred"]
    (0.5, 1, 0)
    >>> scores["novelty"]["all"]["unseen"], scores["novelty"]["LOC"]["seen"]
    ({'gold': 1, 'found': 0, 'recall': 0.0}, {'gold': 1, 'found': 1, 'recall': 1.0})
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from arabnews_nlp.entities.data import PUBLIC_LABELS, Sentence, tag_spans
from arabnews_nlp.entities.evaluate import entity_scores, predict_tags

__all__ = ["TAGGERS", "Tagger", "entity_surfaces", "load_tagger", "release_scores"]

#: Tokenized sentences in, one IOB2 tag list per sentence out.
Tagger = Callable[[Sequence[Sequence[str]]], list[list[str]]]
#: The names :func:`load_tagger` knows (any other name is read as a pipeline folder).
TAGGERS = ("crf", "neural", "ensemble")


def entity_surfaces(sentences: Iterable[Sentence]) -> frozenset[str]:
    """The surface forms (tokens joined by a space) of every entity span, of any label."""
    return frozenset(
        " ".join(s.tokens[start:end]) for s in sentences for _, start, end in tag_spans(s.tags)
    )


def _recall(gold: int, found: int) -> dict[str, Any]:
    return {"gold": gold, "found": found, "recall": found / gold if gold else 0.0}


def release_scores(
    gold: Sequence[Sentence],
    pred: Sequence[Sequence[str]],
    seen: frozenset[str] = frozenset(),
    labels: Sequence[str] = PUBLIC_LABELS,
) -> dict[str, Any]:
    """Exact-span scores of ``pred`` against ``gold`` with counts and recall by novelty.

    Returns the :func:`entity_scores` dict whose label and ``micro`` entries also hold
    ``gold``, ``pred`` and ``correct`` entity counts, plus ``"novelty"``:
    ``{label or "all": {"seen" | "unseen": {"gold", "found", "recall"}}}``, a gold entity
    being *seen* when its surface form is in ``seen``.
    """
    result: dict[str, Any] = entity_scores([s.tags for s in gold], pred, labels)
    keys = [*labels, "micro"]
    counts = {key: dict.fromkeys(("gold", "pred", "correct"), 0) for key in keys}
    groups = [*labels, "all"]
    novelty = {g: {kind: [0, 0] for kind in ("seen", "unseen")} for g in groups}
    for sentence, tags in zip(gold, pred, strict=True):
        g_spans = {s for s in tag_spans(sentence.tags) if s[0] in labels}
        p_spans = {s for s in tag_spans(tags) if s[0] in labels}
        for span in p_spans:
            for key in (span[0], "micro"):
                counts[key]["pred"] += 1
        for span in g_spans:
            hit = span in p_spans
            for key in (span[0], "micro"):
                counts[key]["gold"] += 1
                counts[key]["correct"] += hit
            kind = "seen" if " ".join(sentence.tokens[span[1] : span[2]]) in seen else "unseen"
            for group in (span[0], "all"):
                novelty[group][kind][0] += 1
                novelty[group][kind][1] += hit
    for key in keys:
        result[key].update(counts[key])
    result["novelty"] = {
        g: {kind: _recall(*pair) for kind, pair in kinds.items()} for g, kinds in novelty.items()
    }
    return result


def load_tagger(name: str | Path) -> Tagger:
    """A shipped tagger by name (``"crf"``, ``"neural"``, ``"ensemble"``), as users get it,
    or the pipeline in a folder: :func:`~arabnews_nlp.entities.model.load_ner`'s pipeline run
    on the given tokens (its tokenizer bypassed, only ``PER``/``LOC``/``ORG`` reach the tags).
    """
    from arabnews_nlp.entities.model import load_ner

    nlp = load_ner(name)
    return lambda sentences: predict_tags(nlp, [Sentence(list(s)) for s in sentences])
