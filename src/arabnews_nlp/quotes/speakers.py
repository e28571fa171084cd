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
    """Link an explicit speaker to the entity inside it (a person first, then the last one).

    ``entities`` are sorted by start: only those starting inside the speaker are looked at.
    """
    if q.speaker is None or q.resolved is not None:
        return q
    s, e = q.speaker.start, q.speaker.end
    inside = []
    i = bisect_left(entities, s, key=lambda ent: ent.start)
    while i < len(entities) and entities[i].start < e:
        if entities[i].end <= e and entities[i].label in _PREFERENCE:
            inside.append(entities[i])
        i += 1
    if not inside:
        return q
    best = min(inside, key=lambda x: (_PREFERENCE[x.label], -x.start))
    return replace(q, speaker_label=best.label, speaker_entity=best.canonical)


def resolve_roles(quotes: list[Quote], ft: FoldedText, entities: Sequence[Any]) -> list[Quote]:
    """Link unlinked role speakers to the person the same role named earlier in the text."""
    persons = sorted((x for x in entities if x.label == "PER"), key=lambda x: x.start)
    starts = [p.start for p in persons]
    # Per role: where it occurs and the person names met so far (two are as good as more).
    # Built once per role, so a long text with many quotes costs no rescan per quote.
    seen: dict[str, tuple[list[int], list[tuple[str, ...]]]] = {}
    out = []
    for q in quotes:
        if q.speaker is None or q.speaker_entity or q.resolved is not None:
            out.append(q)
            continue
        folded = _fold_span(ft, q.speaker.start, q.speaker.end)
        if folded.split()[0] not in ROLE_HEADS:
            out.append(q)
            continue
        if folded not in seen:
            seen[folded] = _role_names(folded, ft, persons, starts)
        positions, names_so_far = seen[folded]
        before = bisect_left(positions, q.speaker.start)
        names = names_so_far[before - 1] if before else ()
        if len(names) == 1:
            out.append(replace(q, speaker_label="PER", speaker_entity=names[0], resolved="role"))
        else:
            out.append(q)
    return out


def _role_names(
    folded: str, ft: FoldedText, persons: Sequence[Any], starts: list[int]
) -> tuple[list[int], list[tuple[str, ...]]]:
    """Original starts of every occurrence of a role, and for each, the distinct names (at
    most two) of the persons right after it there or at an earlier occurrence."""
    positions: list[int] = []
    cumulative: list[tuple[str, ...]] = []
    names: dict[str, None] = {}
    start = 0
    while (pos := ft.folded.find(folded, start)) >= 0:
        start = pos + 1
        o_start, o_end = ft.nt.span_to_original(pos, pos + len(folded))
        i = bisect_left(starts, o_end)
        while len(names) < 2 and i < len(starts) and starts[i] - o_end <= _ROLE_GAP:
            if not ft.original[o_end : starts[i]].strip(" ،,"):
                names.setdefault(persons[i].canonical)
            i += 1
        positions.append(o_start)
        cumulative.append(tuple(names))
    return positions, cumulative


def _fold_span(ft: FoldedText, start: int, end: int) -> str:
    """The folded text of an original span (offsets never decrease: two binary searches)."""
    offsets = ft.nt.offsets
    return ft.folded[bisect_left(offsets, start) : bisect_left(offsets, end)]
