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
from arabnews_nlp.tokenize import strip_proclitics

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc

    from arabnews_nlp.entities.extract import Entity

__all__ = ["MIN_SEED_SCORE", "name_patterns", "propagate_names"]

#: Entities below this model score are not propagated (a doubtful tag should not spread).
MIN_SEED_SCORE = 0.5
# Words that bind to the next one in a family name: "عبد الله", "بن سلمان", "أبو مازن".
_BOUND = frozenset(entity_key(w) for w in ["عبد", "بن", "ابن", "أبو", "أبي", "بنت", "آل", "ولد"])


@lru_cache(maxsize=65536)
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
    patterns = name_patterns(entities)
    if not patterns:
        return []
    longest = max(len(p) for p in patterns)
    covered = {i for span in doc.ents for i in range(span.start, span.end)}
    tokens = [t for t in doc if not t.is_space and t.i not in covered]
    pairs = [_token_keys(t.text) for t in tokens]
    keys = [key for key, _ in pairs]
    bare = [stem for _, stem in pairs]
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            window = tokens[i : i + n]
            # Adjacent in the document: no tagged token, line break or punctuation between.
            if window[-1].i - window[0].i != n - 1:
                continue
            rest = tuple(keys[i + 1 : i + n])
            label = patterns.get((keys[i], *rest)) or patterns.get((bare[i], *rest))
            if label is not None:
                out.append((window[0].idx, window[-1].idx + len(window[-1].text), label))
                i += n
                break
        else:
            i += 1
    return out
