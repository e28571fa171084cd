"""Linking speakers to entities, and roles («الرئيس الروسي») to the person they stand for.

Conservative by design: a role is linked only when, earlier in the same text, the same role
words stand right before one person entity and never before another.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from arabnews_nlp.quotes.lexicon import ROLE_HEADS

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.quotes.model import Quote
    from arabnews_nlp.quotes.text import FoldedText

__all__ = ["link_speaker", "resolve_roles"]

_PREFERENCE = {"PER": 0, "ORG": 1, "LOC": 2}
# At most this many characters between a role and the name that follows it (a space, a comma).
_ROLE_GAP = 3


def link_speaker(q: Quote, entities: Sequence[Any]) -> Quote:
    """Link an explicit speaker to the entity inside it (a person first, then the last one)."""
    if q.speaker is None or q.resolved is not None:
        return q
    s, e = q.speaker.start, q.speaker.end
    inside = [x for x in entities if s <= x.start and x.end <= e and x.label in _PREFERENCE]
    if not inside:
        return q
    best = min(inside, key=lambda x: (_PREFERENCE[x.label], -x.start))
    return replace(q, speaker_label=best.label, speaker_entity=best.canonical)


def resolve_roles(quotes: list[Quote], ft: FoldedText, entities: Sequence[Any]) -> list[Quote]:
    """Link unlinked role speakers to the person the same role named earlier in the text."""
    persons = sorted((x for x in entities if x.label == "PER"), key=lambda x: x.start)
    out = []
    for q in quotes:
        if q.speaker is None or q.speaker_entity or q.resolved is not None:
            out.append(q)
            continue
        folded = _fold_span(ft, q.speaker.start, q.speaker.end)
        if folded.split()[0] not in ROLE_HEADS:
            out.append(q)
            continue
        names: set[str] = set()
        start = 0
        while (pos := ft.folded.find(folded, start)) >= 0:
            start = pos + 1
            o_start, o_end = ft.nt.span_to_original(pos, pos + len(folded))
            if o_start >= q.speaker.start:
                break
            names.update(
                p.canonical
                for p in persons
                if 0 <= p.start - o_end <= _ROLE_GAP
                and not ft.original[o_end : p.start].strip(" ،,")
            )
        if len(names) == 1:
            out.append(replace(q, speaker_label="PER", speaker_entity=names.pop(), resolved="role"))
        else:
            out.append(q)
    return out


def _fold_span(ft: FoldedText, start: int, end: int) -> str:
    """The folded text of an original span (offsets are non-decreasing: two bisections)."""
    offsets = ft.nt.offsets
    return ft.folded[bisect_left(offsets, start) : bisect_left(offsets, end)]
