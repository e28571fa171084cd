"""The report's "who said what" table: for each top person, their quotes with cue and article.

A quote counts for a person when its speaker is linked to a PER entity of the article that the
corpus statistics group under that person (so «بوتين» and «فلاديمير بوتين» are one row).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.stats import CorpusStats
from arabnews_nlp.entities import entity_key
from arabnews_nlp.quotes import Quote

__all__ = ["who_said_what"]

#: Longest quote shown in the table (characters); the article block has the full text.
MAX_CONTENT = 220


def _person_key(record: AnalysisRecord, quote: Quote) -> str | None:
    """The corpus key of the person who said ``quote``, or None."""
    if quote.speaker_label != "PER" or not quote.speaker_entity or quote.speaker is None:
        return None
    people = [s for s in record.analysis.summaries() if s.label == "PER"]
    s, e = quote.speaker.start, quote.speaker.end
    for summary in people:
        if any(s <= a and b <= e for a, b in summary.mentions):
            return summary.key
    wanted = entity_key(quote.speaker_entity)
    for summary in people:
        if wanted == summary.key or wanted in {entity_key(f) for f in summary.forms}:
            return summary.key
    return None


def _short(text: str) -> str:
    return text if len(text) <= MAX_CONTENT else text[: MAX_CONTENT - 1].rstrip() + "…"


def who_said_what(
    records: Sequence[AnalysisRecord],
    stats: CorpusStats,
    anchors: dict[str, str],
    *,
    people: int = 10,
    per_person: int = 6,
) -> list[dict[str, Any]]:
    """Rows for the table: ``[{"name", "count", "quotes": [{cue, content, kind, negated,
    title, href}]}]`` for the ``people`` most mentioned persons who said something."""
    top = stats.top("PER", people)
    found: dict[str, list[dict[str, Any]]] = {e.key: [] for e in top}
    counts = dict.fromkeys(found, 0)
    for record in records:
        for quote in record.analysis.quotes:
            key = _person_key(record, quote)
            if key not in found:
                continue
            counts[key] += 1
            if len(found[key]) < per_person:
                found[key].append(
                    {
                        "cue": quote.cue.text,
                        "content": _short(quote.content.text),
                        "kind": quote.kind,
                        "negated": quote.negated,
                        "title": record.article.title or record.id,
                        "href": anchors.get(record.id),
                    }
                )
    return [
        {"name": e.name, "count": counts[e.key], "quotes": found[e.key]}
        for e in top
        if found[e.key]
    ]
