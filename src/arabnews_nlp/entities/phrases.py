"""Known organisation names matched as whole phrases: a CRF feature (``org_phrases``).

A word of a multi-word name ("المتحدة" of "الأمم المتحدة") says little on its own; the whole
name in a row says much more. :class:`PhraseMatcher` finds the longest known name starting at
each token; the feature extractor marks its tokens ``gz=B`` (first) and ``gz=I`` (the others).
The first word is compared by its clitic-stripped stem ("للأمم المتحدة" and "ومنظمة الصحة
العالمية" match), the others by their normalized form. One-word names need no matcher: they
are the ``org_name`` list, a plain lexicon feature.

The names are the organisations of ``resources/kb/organisations.tsv`` (written for this library),
kept in the model's name lists as the ``org_name`` list so that a saved model matches the same
phrases when loaded.

Example:
    >>> from arabnews_nlp.entities.features import _shared_stem
    >>> m = PhraseMatcher(["الامم المتحده", "منظمه الصحه العالميه"], _shared_stem)
    >>> m.starts("امم"), m.starts("متحده")
    (True, False)
    >>> m.match(["قالت", "للامم", "المتحده"], [None, "امم", None])
    [(1, 3)]
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from arabnews_nlp.entities.data import token_spans
from arabnews_nlp.normalize import normalize

__all__ = ["ORGANISATIONS_FILE", "PhraseMatcher", "known_organisation_names", "organisation_rows"]

#: The hand-written organisation list (``latin``, ``country``, ``kind``, ``names`` with ``|``).
ORGANISATIONS_FILE = Path(__file__).resolve().parents[1] / "resources" / "kb" / "organisations.tsv"


def organisation_rows(path: str | Path = ORGANISATIONS_FILE) -> list[dict[str, str]]:
    """The rows of the list (``latin``, ``country``, ``kind``, ``names``), as written: the NER
    name lists and the entity-linking table (``scripts/build_kb.py``) read the same file."""
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def known_organisation_names(path: str | Path = ORGANISATIONS_FILE) -> list[str]:
    """Every Arabic name of the list, ``ner``-normalized and split into corpus tokens (joined
    by one space)."""
    names = []
    for row in organisation_rows(path):
        for name in row["names"].split("|"):
            text = normalize(name, profile="ner")
            names.append(" ".join(text[a:b] for a, b in token_spans(text)))
    return sorted({n for n in names if n})


class PhraseMatcher:
    """Longest-match lookup of multi-word names in a token sequence.

    Args:
        names: Normalized names, words separated by one space; one-word names are ignored.
        stem: The stem function of the feature extractor (applied to each name's first word).
    """

    def __init__(self, names: Iterable[str], stem: Callable[[str], str]) -> None:
        by_start: dict[str, set[tuple[str, ...]]] = {}
        for name in names:
            words = name.split()
            if len(words) > 1:
                by_start.setdefault(stem(words[0]), set()).add(tuple(words[1:]))
        # Longest first, so the first hit is the longest match.
        self._rests = {k: sorted(v, key=lambda r: (-len(r), r)) for k, v in by_start.items()}

    def __len__(self) -> int:
        return sum(len(v) for v in self._rests.values())

    def starts(self, stem: str) -> bool:
        """Whether a word with this stem opens some known name."""
        return stem in self._rests

    def match(self, norms: Sequence[str], stems: Sequence[str | None]) -> list[tuple[int, int]]:
        """The ``(start, end)`` token spans of the known names in a sentence, longest match
        first, left to right, not overlapping.

        ``stems[i]`` is token ``i``'s stem, or ``None`` when it opens no name (callers skip
        computing it); ``norms`` are the tokens' normalized forms.
        """
        spans: list[tuple[int, int]] = []
        n, end = len(norms), 0
        for i, stem in enumerate(stems):
            if stem is None or i < end:
                continue
            for rest in self._rests.get(stem, ()):
                k = len(rest)
                if i + k < n and tuple(norms[i + 1 : i + 1 + k]) == rest:
                    end = i + 1 + k
                    spans.append((i, end))
                    break
        return spans
