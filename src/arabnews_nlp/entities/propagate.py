"""Document-level propagation: a name the model found is also marked where it recurs untagged.

A sequence tagger decides every occurrence from its local context, so one article may tag
"أحمد الشرع" in the body and miss "الرئيس الشرع" in the title or "بين بوتين والشرع" later.
Within one document a repeated name almost always means the same thing, so each confident
entity (and a person's family name on its own) is looked up among the untagged tokens, with an
optional proclitic on the first word. Propagated mentions carry no model score.

Example:
    >>> import spacy
    >>> from arabnews_nlp.entities import Entity
    >>> doc = spacy.blank("ar")("زار أحمد الشرع دمشق ثم عاد الشرع")
    >>> seeds = [Entity("PER", "أحمد الشرع", 4, 14, "أحمد الشرع", 0.9)]
    >>> doc.ents = [doc.char_span(4, 14, label="PER")]
    >>> propagate_names(doc, seeds)
    [(27, 32, 'PER')]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING

from arabnews_nlp.entities.canonical import entity_key, is_junk
from arabnews_nlp.entities.data import doc_words
from arabnews_nlp.entities.entity import Entity
from arabnews_nlp.tokenize import strip_proclitics

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

__all__ = ["MIN_SEED_SCORE", "name_patterns", "propagate_names"]

#: Entities below this model score are not propagated (a doubtful tag should not spread).
MIN_SEED_SCORE = 0.5
# Words that bind to the next one in a family name: "عبد الله", "بن سلمان", "أبو مازن".
_BOUND = frozenset(entity_key(w) for w in ["عبد", "بن", "ابن", "أبو", "أبي", "بنت", "آل", "ولد"])


# 32,768 words, as the clitic segmenter's cache (at 65,536 entries this one holds ~50 MB;
# 262,144 would be ~200 MB in every stage-1 process), missing few more calls.
@lru_cache(maxsize=1 << 15)
def _token_keys(word: str) -> tuple[str, str]:
    """The key of a token as written and without its proclitics (cached: words recur a lot)."""
    return entity_key(word), entity_key(strip_proclitics(word))


def _family_name(words: tuple[str, ...]) -> tuple[str, ...]:
    return words[-2:] if len(words) > 2 and words[-2] in _BOUND else words[-1:]


def name_patterns(entities: Iterable[Entity]) -> dict[tuple[str, ...], str]:
    """Word keys of the names to look for, with the label each one gets.

    Full names come from every confident entity; a person's family name alone is added unless
    it is already a full name of its own ("واشنطن" the city stays a place), too short, or a
    word that is never a name by itself.

    >>> from arabnews_nlp.entities import Entity
    >>> name_patterns([Entity("PER", "فلاديمير بوتين", 0, 14, "فلاديمير بوتين", 0.9)])
    {('فلاديمير', 'بوتين'): 'PER', ('بوتين',): 'PER'}
    """
    confident = [e for e in entities if e.score is None or e.score >= MIN_SEED_SCORE]
    votes: dict[tuple[str, ...], Counter[str]] = {}
    for e in confident:
        votes.setdefault(tuple(e.key.split()), Counter())[e.label] += 1
    patterns = {words: counts.most_common(1)[0][0] for words, counts in votes.items()}
    for e in confident:
        words = tuple(e.key.split())
        if e.label != "PER" or len(words) < 2:
            continue
        family = _family_name(words)
        if family not in patterns and len(family[-1]) >= 3 and not is_junk(" ".join(family), "PER"):
            patterns[family] = "PER"
    return patterns


def propagate_names(doc: Doc, entities: Iterable[Entity]) -> list[tuple[int, int, str]]:
    """Character spans (in ``doc.text``) and labels of untagged repetitions of found names.

    Args:
        doc: The tagged document; tokens inside ``doc.ents`` are never re-labelled.
        entities: The entities already extracted from ``doc`` (the seeds).

    Returns:
        ``(start_char, end_char, label)`` for every new mention, in text order.
    """
    from spacy.attrs import ENT_IOB, IDX, IS_SPACE, LENGTH

    patterns = name_patterns(entities)
    if not patterns:
        return []
    # Patterns by first word, longest first: a token is only examined further when it can start
    # a name, which keeps the scan linear in the document (no Token or Span objects are made).
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for name in sorted(patterns, key=len, reverse=True):
        by_first.setdefault(name[0], []).append(name)
    rows = doc.to_array([IDX, LENGTH, IS_SPACE, ENT_IOB]).tolist()
    words = doc_words(doc)
    # Free: neither whitespace nor inside a tagged entity (IOB code 1 = I, 3 = B).
    free = [not space and iob not in (1, 3) for _, _, space, iob in rows]
    keys = [_token_keys(w) if ok else ("", "") for w, ok in zip(words, free, strict=True)]
    out: list[tuple[int, int, str]] = []
    i, size = 0, len(rows)
    while i < size:
        key, bare = keys[i]
        # Most tokens cannot start a name: skip them without a call.
        match = None
        if free[i] and (key in by_first or bare in by_first):
            match = _match_at(i, keys, free, by_first, patterns)
        if match is None:
            i += 1
            continue
        n, label = match
        last = i + n - 1
        out.append((rows[i][0], rows[last][0] + rows[last][1], label))
        i += n
    return out


def _match_at(
    i: int,
    keys: list[tuple[str, str]],
    free: list[bool],
    by_first: dict[str, list[tuple[str, ...]]],
    patterns: dict[tuple[str, ...], str],
) -> tuple[int, str] | None:
    """The longest name starting at token ``i`` (the first word as written, then without its
    proclitics), as ``(number of tokens, label)``."""
    key, bare = keys[i]
    candidates = [(p, 0) for p in by_first.get(key, ())]
    if bare != key:
        candidates += [(p, 1) for p in by_first.get(bare, ())]
    candidates.sort(key=lambda c: (-len(c[0]), c[1]))
    for pattern, _ in candidates:
        n = len(pattern)
        # Adjacent in the document: no tagged token, whitespace token or other word between.
        if i + n > len(keys) or not all(free[i + 1 : i + n]):
            continue
        if all(keys[i + k][0] == pattern[k] for k in range(1, n)):
            return n, patterns[pattern]
    return None
