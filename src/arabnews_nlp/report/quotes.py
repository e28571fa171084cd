"""The report's "who said what" table and the timeline of those statements.

A quote counts for a person when its speaker is linked to a PER entity of the article that the
corpus statistics group under that person (so «بوتين» and «فلاديمير بوتين» are one row).

Each quote gets a "when": the first resolved date of its own sentence (the event date:
«وقال ماكرون أمس إن…» is the day before publication, «… في 3 مارس» that day), else the
article's publication date, marked as such. The timeline lists the statements by that date.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.pipeline.statements import quotes_and_dates
    >>> art = Article(body="وصل الوفد. وقال الوزير أمس إن الميناء سيفتح.", published="2025-03-20")
    >>> quotes, dates = quotes_and_dates(art, [])
    >>> statement_date(art.text, quotes[0], dates, art.published)
    {'value': '2025-03-19', 'sort': '2025-03-19', 'text': 'أمس', 'from': 'sentence'}
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.stats import CorpusStats
from arabnews_nlp.dates import DateMention
from arabnews_nlp.entities import entity_key
from arabnews_nlp.quotes import Quote
from arabnews_nlp.tokenize import SENTENCE_END

__all__ = ["statement_date", "statement_timeline", "who_said_what"]

# The tokenizer's sentence-final marks, and line breaks (a paragraph ends a sentence too).
_SENTENCE_END = "".join(sorted(SENTENCE_END)) + "\n"

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


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence(s) around ``text[start:end]``: from the stop before it to the stop after."""
    lo = max(text.rfind(c, 0, start) for c in _SENTENCE_END) + 1
    ends = [i for c in _SENTENCE_END if (i := text.find(c, end)) >= 0]
    return lo, min(ends, default=len(text))


def statement_date(
    text: str, quote: Quote, dates: Sequence[DateMention], published: str | None
) -> dict[str, str] | None:
    """When a statement was made or what it dates: ``{"value", "sort", "text", "from"}``.

    ``from`` is ``"sentence"`` for the first resolved date in the quote's sentence (a range
    keeps its ``START/END`` value), ``"published"`` for the article's date when the sentence
    has none; None without either. ``sort`` is the first day, for ordering.
    """
    # Cue and content only: a resolved speaker («وأضاف») is a mention in an earlier sentence.
    lo, hi = _sentence(
        text, min(quote.cue.start, quote.content.start), max(quote.cue.end, quote.content.end)
    )
    for d in dates:
        if lo <= d.start and d.end <= hi and d.value:
            first = d.interval[0] if d.interval else d.value
            return {"value": d.value, "sort": first, "text": d.text, "from": "sentence"}
    if published:
        day = published[:10]
        return {"value": day, "sort": day, "text": "", "from": "published"}
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
    title, href, when}]}]`` for the ``people`` most mentioned persons who said something
    (``when``: :func:`statement_date`)."""
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
                art = record.article
                found[key].append(
                    {
                        "cue": quote.cue.text,
                        "content": _short(quote.content.text),
                        "kind": quote.kind,
                        "negated": quote.negated,
                        "title": art.title or record.id,
                        "href": anchors.get(record.id),
                        "when": statement_date(
                            art.text, quote, record.analysis.dates, art.published
                        ),
                    }
                )
    return [
        {"name": e.name, "count": counts[e.key], "quotes": found[e.key]}
        for e in top
        if found[e.key]
    ]


def statement_timeline(rows: list[dict[str, Any]], limit: int = 40) -> list[dict[str, Any]]:
    """The quotes of :func:`who_said_what` rows that have a date, oldest first, each with its
    speaker's ``name``; at most ``limit`` (the latest ones when there are more)."""
    dated = [{**q, "name": row["name"]} for row in rows for q in row["quotes"] if q.get("when")]
    dated.sort(key=lambda q: (q["when"]["sort"], q["when"]["value"]))
    return dated[-limit:]
