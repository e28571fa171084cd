"""The execution engine behind :mod:`arabnews_nlp.normalize` (private).

A :class:`Plan` is compiled once per step configuration. Every character step is folded into
one fixed-point table (each character maps to its final string), and the plan applies that
table with the cheapest primitives CPython offers, because ``str.translate`` with a dict costs
~80 ns per non-Latin-1 character while ``str.replace``/``in`` scan at well under 1 ns:

1. canonical composition of a letter with a combining hamza/madda (regex, only when present);
2. characters that are rare in news text (presentation forms, invisible marks, odd spaces,
   Arabic-Indic digits, Latin capitals, harakat, ...): one regex scan, the callback
   translates runs; in a vocalized text the harakat go with ``str.replace`` first;
3. characters that are frequent (alef variants, ى, ة, tatweel, RLM, NBSP): ``str.replace``;
4. optional elongation collapse, then whitespace folding (only when a run exists).

The offsets path replays stages 1-3 exactly, visiting only the characters that change length
(composition, deletions, expansions) match by match and copying offsets slice by slice; its
elongation and whitespace stages are regex rewrites that the property tests check against the
fast path.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

# Alef variants, ى, ة, the hamza carriers, tatweel, and the two invisible/space characters
# web text is sprinkled with (RLM, NBSP): replaced with str.replace, whose presence test is a
# memchr, instead of a regex callback per match. Each costs a call even when absent, so the
# list holds only characters that are frequent in real news text.
FREQUENT = frozenset("\u0622\u0623\u0625\u0649\u0629\u0624\u0626\u0640\u200f\xa0")
# The harakat are rare in news text (a regex callback is cheapest) but make up a third of a
# vocalized text; fatha, damma or kasra present means vocalized, then str.replace is cheaper.
HARAKAT = frozenset(chr(c) for c in range(0x064B, 0x0653)) | {"\u0670"}

#: Unicode canonical compositions inside the Arabic block (``unicodedata.decomposition``).
COMPOSITIONS = {
    "\u0627\u0653": "\u0622",  # ا + ٓ → آ
    "\u0627\u0654": "\u0623",  # ا + ٔ → أ
    "\u0648\u0654": "\u0624",  # و + ٔ → ؤ
    "\u0627\u0655": "\u0625",  # ا + ٕ → إ
    "\u064a\u0654": "\u0626",  # ي + ٔ → ئ
    "\u06d5\u0654": "\u06c0",  # ە + ٔ → ۀ
    "\u06c1\u0654": "\u06c2",  # ہ + ٔ → ۂ
    "\u06d2\u0654": "\u06d3",  # ے + ٔ → ۓ
}
# NFC lets the harakat (combining classes 27..35) sit between the letter and the hamza mark
# (class 220/230) without blocking the composition; they are kept, after the new letter.
_COMPOSE = re.compile(
    "([\u0627\u0648\u064a\u06d5\u06c1\u06d2])([\u064b-\u0652\u0670]*)([\u0653-\u0655])"
)
_ELONGATION = re.compile(r"([\u0621-\u064a])\1{2,}")
# After the character map every whitespace character is " " or "\n" (see normalize_spaces).
_SPACE_RUN = re.compile("[ \n][ \n]+")
_NEWLINE_RUN = re.compile("\n(?:(?<= \n)|[ \n])")  # a newline next to a space or newline
_DOUBLE_SPACE = re.compile("  [ ]*")  # not " +": a two-space literal prefix scans faster

Edit = Callable[["re.Match[str]"], tuple[str, Sequence[int]]]


def _runs_of(chars: set[str]) -> re.Pattern[str]:
    """A regex matching runs of ``chars``.

    Written ``[set][set]*`` rather than ``[set]+``: only a pattern that starts with a bare set
    gets the regex engine's fast scan to the next candidate (5x faster on Arabic text).
    """
    codes = sorted(ord(c) for c in chars)
    parts: list[str] = []
    i = 0
    while i < len(codes):
        j = i
        while j + 1 < len(codes) and codes[j + 1] == codes[j] + 1:
            j += 1
        lo, hi = re.escape(chr(codes[i])), re.escape(chr(codes[j]))
        parts.append(lo if i == j else f"{lo}-{hi}")
        i = j + 1
    charset = "[" + "".join(parts) + "]"
    return re.compile(charset + charset + "*")


def _has_combining_hamza(text: str) -> bool:
    return "\u0654" in text or "\u0653" in text or "\u0655" in text


def _compose_edit(m: re.Match[str]) -> tuple[str, Sequence[int]]:
    letter = COMPOSITIONS.get(m.group(1) + m.group(3))
    marks = m.group(2)
    if letter is None:  # e.g. و + ٕ: not a canonical pair, leave the text alone
        return m.group(), range(len(m.group()))
    # The new letter sits where the base letter was; the harakat keep their own positions.
    return letter + marks, range(len(marks) + 1)


def _space_edit(m: re.Match[str]) -> tuple[str, Sequence[int]]:
    return ("\n" if "\n" in m.group() else " "), (0,)


def _elongation_edit(m: re.Match[str]) -> tuple[str, Sequence[int]]:
    return m.group(1), (0,)


def _fold_spaces(text: str) -> str:
    """Fold runs of " "/"\n" to "\n" when they hold a newline, else to " "; strip the ends.

    Same result as rewriting :data:`_SPACE_RUN`, but that regex would stop at every space;
    these patterns start with a literal the regex engine skips to quickly.
    """
    if "\n" in text and _NEWLINE_RUN.search(text):
        lines = (line.strip(" ") for line in text.split("\n"))
        text = "\n".join([line for line in lines if line])
    if "  " in text:
        text = _DOUBLE_SPACE.sub(" ", text)
    return text.strip(" \n")


def rewrite(
    text: str, offsets: Sequence[int], pattern: re.Pattern[str], edit: Edit
) -> tuple[str, Sequence[int]]:
    """Replace every match of ``pattern`` by ``edit(match)``, carrying offsets along.

    ``edit`` returns the replacement and, for each of its characters, the index inside the
    match of the character it comes from.
    """
    pieces: list[str] = []
    new_offsets: list[int] = []
    prev = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        replacement, rel = edit(m)
        pieces.append(text[prev:start])
        pieces.append(replacement)
        new_offsets.extend(offsets[prev:start])
        new_offsets.extend(offsets[start + r] for r in rel)
        prev = end
    if not pieces:
        return text, offsets
    pieces.append(text[prev:])
    new_offsets.extend(offsets[prev:])
    return "".join(pieces), new_offsets


def _char_mapper(
    table: dict[int, str],
    rare: re.Pattern[str] | None,
    chain: tuple[tuple[str, str], ...],
    harakat: tuple[tuple[str, str], ...],
) -> Callable[[str], str]:
    """The function applying ``table`` (a closure: no attribute lookups per call)."""
    rare_sub = rare.sub if rare is not None else None

    def translate_run(m: re.Match[str]) -> str:
        return m.group().translate(table)

    def char_map(text: str) -> str:
        if harakat and ("\u064e" in text or "\u064f" in text or "\u0650" in text):
            for old, new in harakat:
                text = text.replace(old, new)
        if rare_sub is not None:
            text = rare_sub(translate_run, text)
        for old, new in chain:
            if old in text:
                text = text.replace(old, new)
        return text

    return char_map


@dataclass(frozen=True)
class Plan:
    """A compiled step configuration: apply it with :meth:`run` or :meth:`run_with_offsets`."""

    table: dict[int, str]
    compose: bool
    elongation: bool
    spaces: bool
    irregular: re.Pattern[str] | None
    char_map: Callable[[str], str]

    @classmethod
    def build(cls, table: dict[int, str], *, compose: bool, elongation: bool, spaces: bool) -> Plan:
        """Split ``table`` into the regex-driven and the ``str.replace``-driven characters."""
        keys = {chr(k) for k in table}
        frequent = keys & FREQUENT
        rare = keys - frequent
        irregular = {c for c in keys if len(table[ord(c)]) != 1}
        return cls(
            table=table,
            compose=compose,
            elongation=elongation,
            spaces=spaces,
            irregular=_runs_of(irregular) if irregular else None,
            char_map=_char_mapper(
                table,
                _runs_of(rare) if rare else None,
                tuple((c, table[ord(c)]) for c in sorted(frequent)),
                tuple((c, table[ord(c)]) for c in sorted(keys & HARAKAT)),
            ),
        )

    # -- the fast path
    def run(self, text: str) -> str:
        """Normalize ``text``."""
        if self.compose and _has_combining_hamza(text):
            text = _COMPOSE.sub(lambda m: _compose_edit(m)[0], text)
        text = self.char_map(text)
        if self.elongation:
            text = _ELONGATION.sub(r"\1", text)
        if self.spaces:
            text = _fold_spaces(text)
        return text

    # -- the offsets path
    def _irregular_edit(self, m: re.Match[str]) -> tuple[str, Sequence[int]]:
        table = self.table
        rel = [i for i, ch in enumerate(m.group()) for _ in table.get(ord(ch), ch)]
        return m.group().translate(table), rel

    def run_with_offsets(self, text: str) -> tuple[str, Sequence[int]]:
        """Normalize ``text`` and return, for each output character, its index in ``text``."""
        offsets: Sequence[int] = range(len(text))
        if self.compose and _has_combining_hamza(text):
            text, offsets = rewrite(text, offsets, _COMPOSE, _compose_edit)
        if self.irregular is not None:
            # Deletions and expansions first; their replacements are fixed points of the
            # table, so the 1:1 character map below leaves them alone.
            text, offsets = rewrite(text, offsets, self.irregular, self._irregular_edit)
        text = self.char_map(text)
        if self.elongation:
            text, offsets = rewrite(text, offsets, _ELONGATION, _elongation_edit)
        if self.spaces:
            if "  " in text or ("\n" in text and _NEWLINE_RUN.search(text)):
                text, offsets = rewrite(text, offsets, _SPACE_RUN, _space_edit)
            stripped = text.lstrip(" \n")
            lead = len(text) - len(stripped)
            stripped = stripped.rstrip(" \n")
            offsets = offsets[lead : lead + len(stripped)]
            text = stripped
        return text, offsets
