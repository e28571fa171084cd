"""Measure entity linking on gold mentions: id precision/recall, Latin names, ambiguous mentions.

The gold file is JSON lines ``{"text": ..., "mentions": [{"start", "end", "text", "label",
"kb_id", "ambiguous"}]}`` (``kb_id`` null when the right answer is "unresolved"); the linker
runs on the gold spans, so the figures measure linking alone, not the NER model.

* precision: linked mentions whose id is the gold id / linked mentions;
* recall: gold-resolvable mentions linked to their gold id / gold-resolvable mentions;
* latin: gold-resolvable mentions whose ``latin`` is the gold entry's Latin name;
* ambiguous accuracy: ambiguous mentions whose prediction (None included) equals the gold.

Example:
    >>> from arabnews_nlp.entities.link_eval import evaluate_linking
    >>> gold = [{"text": "زار موسكو", "mentions": [
    ...     {"start": 4, "end": 9, "text": "موسكو", "label": "LOC",
    ...      "kb_id": "geonames:524901", "ambiguous": False}]}]
    >>> evaluate_linking(gold)["precision"]
    1.0
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from arabnews_nlp.entities.canonical import canonical_name
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.entities.kb import KnowledgeBase, load_kb
from arabnews_nlp.entities.linking import link_entities

__all__ = ["evaluate_linking", "read_gold"]


def read_gold(path: str | Path) -> list[dict[str, Any]]:
    """The articles of a gold file (JSON lines)."""
    with open(path, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _gold_entity(m: dict[str, Any]) -> Entity:
    label, text = m["label"], m["text"]
    return Entity(label, text, m["start"], m["end"], canonical_name(text, label))


def _ratio(num: int, den: int) -> float:
    return round(num / den, 4) if den else 0.0


def evaluate_linking(
    articles: Iterable[dict[str, Any]], *, kb: KnowledgeBase | None = None
) -> dict[str, Any]:
    """Link the gold mentions of each article and score them against the gold ids.

    Returns:
        A dict with ``mentions``, ``ambiguous``, ``precision``, ``recall``, ``latin_exact``,
        ``ambiguous_accuracy``, ``confusion`` (``"surface: gold -> predicted"`` → count, for
        wrong ambiguous mentions) and ``errors`` (every wrong mention).
    """
    table = kb if kb is not None else load_kb()
    counts: Counter[str] = Counter()
    confusion: Counter[str] = Counter()
    errors = []
    for article in articles:
        gold = article["mentions"]
        entities = [_gold_entity(m) for m in gold]
        for m, e in zip(gold, link_entities(entities, article["text"], kb=table), strict=True):
            want, got = m["kb_id"], e.kb_id
            counts["mentions"] += 1
            counts["gold_linked"] += want is not None
            counts["linked"] += got is not None
            counts["correct_linked"] += got is not None and got == want
            entry = table.get(want)
            if entry is not None:
                counts["latin_exact"] += e.latin == entry.latin
            if m.get("ambiguous"):
                counts["ambiguous"] += 1
                counts["ambiguous_correct"] += got == want
                if got != want:
                    confusion[f"{m['text']}: {want} -> {got}"] += 1
            if got != want:
                errors.append({"text": m["text"], "label": m["label"], "gold": want, "got": got})
    return {
        "mentions": counts["mentions"],
        "ambiguous": counts["ambiguous"],
        "gold_resolvable": counts["gold_linked"],
        "precision": _ratio(counts["correct_linked"], counts["linked"]),
        "recall": _ratio(counts["correct_linked"], counts["gold_linked"]),
        "latin_exact": _ratio(counts["latin_exact"], counts["gold_linked"]),
        "ambiguous_accuracy": _ratio(counts["ambiguous_correct"], counts["ambiguous"]),
        "confusion": dict(confusion.most_common()),
        "errors": errors,
    }
