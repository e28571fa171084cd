"""Article-level entity summaries: unique entities, mention counts, title mentions, salience.

Mentions are grouped by knowledge-table id when linking resolved them (so عمان and عمّان stay
apart when the text tells Oman from Amman, and "بوتين" joins "فلاديمير بوتين"), else by
canonical key (a name tagged with several labels takes the label of most of its mentions);
then, within one article, a short mention of a person is merged into the one longer name it is
part of ("الشرع" into "أحمد الشرع", "بوتين" into "فلاديمير بوتين"). A short
name that fits two longer names ("الأسد" with "بشار الأسد" and "حافظ الأسد")
is ambiguous and stays on its own.

Salience combines three signals, each in ``[0, 1]``: how often the entity is mentioned (log
scale, relative to the most mentioned one), whether it is in the title, and how early it first
appears. The weights are :data:`SALIENCE_WEIGHTS`.

Example:
    >>> from arabnews_nlp.entities import Entity, aggregate_entities
    >>> ents = [
    ...     Entity("PER", "أحمد الشرع", 0, 10, "أحمد الشرع"),
    ...     Entity("LOC", "موسكو", 15, 20, "موسكو"),
    ...     Entity("PER", "الشرع", 40, 45, "الشرع"),
    ... ]
    >>> [(s.canonical, s.count, s.rank) for s in aggregate_entities(ents, title_end=12)]
    [('أحمد الشرع', 2, 1), ('موسكو', 1, 2)]
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from arabnews_nlp.entities.canonical import entity_key
from arabnews_nlp.entities.entity import LINK_FIELDS, Entity, LinkFields

__all__ = ["SALIENCE_WEIGHTS", "EntitySummary", "aggregate_entities"]

#: Weights of frequency, title presence and early first mention in the salience score.
SALIENCE_WEIGHTS: dict[str, float] = {"frequency": 0.5, "title": 0.3, "position": 0.2}


@dataclass(frozen=True)
class EntitySummary(LinkFields):
    """One unique entity of an article.

    Attributes:
        canonical: The fullest canonical name among the merged mentions.
        label: ``"PER"``, ``"LOC"`` or ``"ORG"``.
        key: ``search``-normalized ``canonical``.
        count: Number of mentions.
        mentions: ``(start, end)`` of every mention, in text order.
        forms: The distinct surface forms, in order of first appearance.
        first_start: Offset of the first mention.
        in_title: Whether the entity is mentioned in the title.
        title_count: Mentions in the title.
        score: Mean model confidence of the mentions (None if the model gives none).
        salience: In ``[0, 1]``; see :data:`SALIENCE_WEIGHTS`.
        rank: 1 for the most salient entity of the article.

    Plus the keyword-only :class:`~arabnews_nlp.entities.entity.LinkFields` of the entity.
    """

    canonical: str
    label: str
    key: str
    count: int
    mentions: tuple[tuple[int, int], ...]
    forms: tuple[str, ...]
    first_start: int
    in_title: bool
    title_count: int
    score: float | None
    salience: float
    rank: int

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (mentions as ``[start, end]`` lists)."""
        return {
            "canonical": self.canonical,
            "label": self.label,
            "key": self.key,
            "count": self.count,
            "mentions": [list(m) for m in self.mentions],
            "forms": list(self.forms),
            "first_start": self.first_start,
            "in_title": self.in_title,
            "title_count": self.title_count,
            "score": self.score,
            "salience": self.salience,
            "rank": self.rank,
            **{name: getattr(self, name) for name in LINK_FIELDS},
        }


def _group(entities: Iterable[Entity]) -> dict[tuple[str, str], list[Entity]]:
    """Mentions by (label, id or key); a name tagged with several labels takes its majority
    label. A key whose mentions are all resolved to one id joins that id's group."""
    by_key: dict[str, list[Entity]] = {}
    for e in entities:
        by_key.setdefault(e.kb_id or e.key, []).append(e)
    groups: dict[tuple[str, str], list[Entity]] = {}
    for key, mentions in by_key.items():
        # "كانت موسكو حليفاً" may come out as ORG among five LOC "موسكو": one entity, one label
        # (ties go to the label of the first mention).
        votes = Counter(m.label for m in mentions)
        label = max(votes, key=lambda lab: (votes[lab], -_first_index(mentions, lab)))
        groups[(label, key)] = mentions
    return groups


def _first_index(mentions: list[Entity], label: str) -> int:
    return next(i for i, m in enumerate(mentions) if m.label == label)


def _is_part_of(short: Sequence[str], long: Sequence[str]) -> bool:
    """True when ``short`` is a proper suffix of ``long`` or a proper subset of its words."""
    if len(short) >= len(long):
        return False
    return list(long[-len(short) :]) == list(short) or set(short) < set(long)


def _name_words(mentions: list[Entity]) -> list[str]:
    """The words of the longest name among a group's mentions."""
    return max((m.key.split() for m in mentions), key=len)


def _merge_persons(groups: dict[tuple[str, str], list[Entity]]) -> None:
    """Fold each short person name into the single longer name that contains it (in place)."""
    words_of = {k: _name_words(v) for k, v in groups.items() if k[0] == "PER"}
    persons = sorted(words_of, key=lambda k: -len(words_of[k]))
    # A host holds every word of the short name: only the names sharing its rarest word are
    # tried, so thousands of distinct names cost no pairwise comparison.
    having: dict[str, list[tuple[str, str]]] = {}
    for k in persons:
        for word in dict.fromkeys(words_of[k]):
            having.setdefault(word, []).append(k)
    target: dict[tuple[str, str], tuple[str, str]] = {}
    for short in persons:
        words = words_of[short]
        candidates = having[min(words, key=lambda w: len(having[w]))] if words else persons
        # Two resolved people are never one another's short form.
        linked = groups[short][0].kb_id is not None
        # Longer names come first in `persons`; follow each to where it was itself merged.
        hosts = {
            target.get(k, k)
            for k in candidates
            if _is_part_of(words, words_of[k]) and not (linked and groups[k][0].kb_id)
        }
        if len(hosts) == 1:
            target[short] = hosts.pop()
    for short, host in target.items():
        groups[host].extend(groups.pop(short))


def _in_title(e: Entity, title_end: int | None) -> bool:
    if e.field is not None:
        return e.field == "title"
    return title_end is not None and e.start < title_end


def _summary_parts(label: str, mentions: list[Entity], title_end: int | None) -> dict[str, Any]:
    mentions.sort(key=lambda e: e.start)
    # The fullest name: most words, then most frequent, then first seen.
    # One pass over the mentions (counts and first positions), not a count per mention.
    counts = Counter(m.canonical for m in mentions)
    first = {name: i for i, name in reversed(list(enumerate(m.canonical for m in mentions)))}
    canonical = max(counts, key=lambda n: (len(n.split()), counts[n], -first[n]))
    scores = [m.score for m in mentions if m.score is not None]
    title_count = sum(_in_title(m, title_end) for m in mentions)
    return {
        "canonical": canonical,
        "label": label,
        "key": entity_key(canonical),
        "count": len(mentions),
        "mentions": tuple((m.start, m.end) for m in mentions),
        "forms": tuple(dict.fromkeys(m.text for m in mentions)),
        "first_start": mentions[0].start,
        "in_title": title_count > 0,
        "title_count": title_count,
        "score": round(sum(scores) / len(scores), 4) if scores else None,
    }


def _link_parts(mentions: list[Entity]) -> dict[str, Any]:
    """The linking fields of a group: those of its resolved mentions, else of the first
    mention with a Latin name (a transliterated person)."""
    source = next((m for m in mentions if m.kb_id), None) or next(
        (m for m in mentions if m.latin), mentions[0]
    )
    return {name: getattr(source, name) for name in LINK_FIELDS}


def aggregate_entities(
    entities: Iterable[Entity], *, title_end: int | None = None
) -> list[EntitySummary]:
    """Summarise one article's entity mentions into unique entities ranked by salience.

    Args:
        entities: The mentions of ONE article (e.g. from :func:`extract_entities`); person
            names are merged only among these.
        title_end: For entities from a plain string: the offset where the title ends (mentions
            starting before it count as title mentions). Entities extracted from an
            :class:`Article` carry ``field`` and need no ``title_end``.

    Returns:
        One :class:`EntitySummary` per unique entity, most salient first.

    Example:
        >>> from arabnews_nlp.entities import Entity
        >>> ents = [Entity("PER", "بوتين", 30, 35, "بوتين"),
        ...         Entity("PER", "فلاديمير بوتين", 50, 64, "فلاديمير بوتين")]
        >>> [(s.canonical, s.count, s.first_start) for s in aggregate_entities(ents)]
        [('فلاديمير بوتين', 2, 30)]
    """
    groups = _group(entities)
    if not groups:
        return []
    _merge_persons(groups)
    parts = [
        {**_summary_parts(label, mentions, title_end), **_link_parts(mentions)}
        for (label, _), mentions in groups.items()
    ]
    max_count = max(p["count"] for p in parts)
    extent = max(end for p in parts for _, end in p["mentions"])
    w = SALIENCE_WEIGHTS
    for p in parts:
        frequency = math.log1p(p["count"]) / math.log1p(max_count)
        position = 1.0 - p["first_start"] / extent
        p["salience"] = round(
            w["frequency"] * frequency + w["title"] * p["in_title"] + w["position"] * position, 4
        )
    parts.sort(key=lambda p: (-p["salience"], p["first_start"]))
    return [EntitySummary(**p, rank=rank) for rank, p in enumerate(parts, start=1)]
