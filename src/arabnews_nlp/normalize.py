"""Arabic text normalization with offsets back to the original string.

Every step is a character map (one character to zero, one or several) followed by whitespace
folding and optional elongation folding, so the whole fast path is one ``str.translate`` and
one or two regex passes. The same tables drive the offsets path, which keeps, for every output
character, the index of the input character it came from.

Example:
    >>> from arabnews_nlp import normalize
    >>> normalize("الْعَرَبِيَّـــة  ٢٠٢٤", profile="search")
    'العربيه 2024'
    >>> nt = normalize("وَصَلَ إلى موسكو", profile="search", return_offsets=True)
    >>> nt.text
    'وصل الي موسكو'
    >>> s = nt.text.index("موسكو"); nt.span_to_original(s, s + 5)
    (11, 16)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, overload

from sklearn.base import BaseEstimator, TransformerMixin

__all__ = ["PROFILES", "NormalizedText", "Normalizer", "normalize"]

# ---------------------------------------------------------------- character classes
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator (legacy zero-width space)
    "\u200b\u200c\u200d\u200e\u200f"  # ZWSP ZWNJ ZWJ LRM RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings/overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\ufeff"  # BOM / zero-width no-break space
)
ODD_SPACES = "\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
# Tashkeel, superscript alef, Quranic annotation marks and small high letters.
DIACRITICS = (
    "".join(chr(c) for c in range(0x064B, 0x0660))
    + "\u0670"
    + "".join(chr(c) for c in range(0x0610, 0x061B))
    + "".join(chr(c) for c in range(0x06D6, 0x06DD))
    + "".join(chr(c) for c in range(0x06DF, 0x06E5))
    + "\u06e7\u06e8\u06ea\u06eb\u06ec\u06ed"
    + "\u08d3\u08d4\u08d5\u08d6\u08d7\u08d8\u08d9\u08da\u08db\u08dc\u08dd\u08de\u08df\u08e0\u08e1"
    + "".join(chr(c) for c in range(0x08E3, 0x0900))
)
TATWEEL = "\u0640"
ALEF_VARIANTS = "\u0622\u0623\u0625\u0671\u0672\u0673"  # آ أ إ ٱ ٲ ٳ
ALEF = "\u0627"
ALEF_MAKSURA = "\u0649"
YEH = "\u064a"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"
HAMZA_CARRIERS = {"\u0624": "\u0648", "\u0626": "\u064a"}  # ؤ→و ئ→ي
PUNCTUATION = {"\u060c": ",", "\u061b": ";", "\u061f": "?", "\u066a": "%", "\u066b": ".", "\u066c": ","}
ARABIC_LETTERS = "".join(chr(c) for c in range(0x0621, 0x064B))

STEPS = (
    "remove_invisible",
    "fold_presentation_forms",
    "normalize_spaces",
    "remove_diacritics",
    "remove_tatweel",
    "normalize_alef",
    "normalize_alef_maksura",
    "normalize_teh_marbuta",
    "normalize_hamza",
    "normalize_digits",
    "normalize_punctuation",
    "collapse_elongation",
    "lowercase",
)

_CLEANUP = {"remove_invisible": True, "fold_presentation_forms": True, "normalize_spaces": True}
_FOLD = {
    "remove_diacritics": True,
    "remove_tatweel": True,
    "normalize_alef": True,
    "normalize_alef_maksura": True,
    "normalize_teh_marbuta": True,
    "normalize_digits": True,
    "lowercase": True,
}
#: Named profiles: which steps each one switches on (the rest are off).
PROFILES: dict[str, dict[str, bool]] = {
    # Cleanup only: what a reader sees is unchanged.
    "display": dict(_CLEANUP),
    # Fold everything that does not change a word's identity for matching, TF-IDF and indexing.
    "search": {**_CLEANUP, **_FOLD},
    # What the entity model was trained on; Latin case is kept because it marks names.
    "ner": {**_CLEANUP, **_FOLD, "lowercase": False},
}


def _step_map(step: str) -> dict[str, str]:
    """The character map of one step (characters not listed are left alone)."""
    if step == "remove_invisible":
        return dict.fromkeys(INVISIBLE, "")
    if step == "normalize_spaces":
        return dict.fromkeys(ODD_SPACES, " ")
    if step == "fold_presentation_forms":
        out = {}
        for cp in list(range(0xFB50, 0xFE00)) + list(range(0xFE70, 0xFF00)):
            ch = chr(cp)
            if unicodedata.category(ch) == "Cn" or ch == "\ufeff":
                continue
            folded = unicodedata.normalize("NFKC", ch)
            # Isolated harakat forms (U+FE70..) decompose to space + mark: keep only the mark.
            out[ch] = folded.strip(" ") or folded
        return out
    if step == "remove_diacritics":
        return dict.fromkeys(DIACRITICS, "")
    if step == "remove_tatweel":
        return {TATWEEL: ""}
    if step == "normalize_alef":
        return dict.fromkeys(ALEF_VARIANTS, ALEF)
    if step == "normalize_alef_maksura":
        return {ALEF_MAKSURA: YEH}
    if step == "normalize_teh_marbuta":
        return {TEH_MARBUTA: HEH}
    if step == "normalize_hamza":
        return dict(HAMZA_CARRIERS)
    if step == "normalize_digits":
        out = {chr(0x0660 + d): str(d) for d in range(10)}
        out.update({chr(0x06F0 + d): str(d) for d in range(10)})
        return out
    if step == "normalize_punctuation":
        return dict(PUNCTUATION)
    if step == "lowercase":
        out = {}
        for cp in range(0x0041, 0x0250):  # Basic Latin through Latin Extended-B
            ch = chr(cp)
            low = ch.lower()
            if low != ch and len(low) == 1:
                out[ch] = low
        return out
    if step == "collapse_elongation":
        return {}  # handled by a regex pass
    raise ValueError(f"unknown normalization step: {step!r}")


@lru_cache(maxsize=64)
def _compile(config: tuple[tuple[str, bool], ...]) -> tuple[dict[int, str], bool, bool]:
    """Compose the enabled steps into one translate table (applied to a fixed point)."""
    enabled = [step for step, on in config if on]
    maps = [_step_map(step) for step in enabled]
    keys: set[str] = set()
    for m in maps:
        keys.update(m)

    def apply_all(s: str) -> str:
        for m in maps:
            s = "".join(m.get(c, c) for c in s)
        return s

    table: dict[int, str] = {}
    for ch in keys:
        out = ch
        for _ in range(4):  # a few rounds reach the fixed point (e.g. ligature -> أ -> ا)
            nxt = apply_all(out)
            if nxt == out:
                break
            out = nxt
        if out != ch:
            table[ord(ch)] = out
    settings = dict(config)
    return table, settings["normalize_spaces"], settings["collapse_elongation"]


_SPACE_RUN = re.compile(r"\s+")
_ELONGATION = re.compile(r"([\u0621-\u064a])\1{2,}")


def _fold_space(match: re.Match[str]) -> str:
    return "\n" if "\n" in match.group() else " "


@dataclass(frozen=True)
class NormalizedText:
    """A normalized string and, for each of its characters, its index in the original.

    Attributes:
        text: The normalized string.
        offsets: ``offsets[i]`` is the index in ``original`` of ``text[i]``.
        original: The input string.
    """

    text: str
    offsets: tuple[int, ...]
    original: str

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a ``[start, end)`` span of ``text`` to the span it covers in ``original``.

        The end is extended over characters that were removed inside the span (e.g.
        diacritics on its last letter), so ``original[s:e]`` is the full surface form.
        """
        if not 0 <= start <= end <= len(self.text):
            raise IndexError(f"span ({start}, {end}) outside text of length {len(self.text)}")
        if start == end:
            pos = self.offsets[start] if start < len(self.offsets) else len(self.original)
            return pos, pos
        o_start = self.offsets[start]
        o_end = self.offsets[end] if end < len(self.offsets) else len(self.original)
        o_last = self.offsets[end - 1] + 1
        # Trim trailing whitespace that normalization removed between the span and the next char.
        while o_end > o_last and self.original[o_end - 1].isspace():
            o_end -= 1
        return o_start, o_end


class Normalizer(BaseEstimator, TransformerMixin):  # type: ignore[misc]
    """Configurable Arabic normalizer (a stateless scikit-learn transformer).

    Args:
        profile: ``"display"``, ``"search"`` or ``"ner"``: the defaults for every step.
        **steps: Any of the step names (``remove_diacritics``, ``normalize_teh_marbuta``, ...)
            set to True/False to override the profile; None keeps the profile's choice.

    Example:
        >>> norm = Normalizer("search", normalize_teh_marbuta=False)
        >>> norm("مدرسةٌ")
        'مدرسة'
        >>> norm.transform(["أحمد", "إسلام"])
        ['احمد', 'اسلام']
        >>> from sklearn.feature_extraction.text import TfidfVectorizer
        >>> TfidfVectorizer(preprocessor=Normalizer()).fit(["أحمد ٢"]).get_feature_names_out().tolist()
        ['احمد']
    """

    def __init__(
        self,
        profile: str = "search",
        *,
        remove_invisible: bool | None = None,
        fold_presentation_forms: bool | None = None,
        normalize_spaces: bool | None = None,
        remove_diacritics: bool | None = None,
        remove_tatweel: bool | None = None,
        normalize_alef: bool | None = None,
        normalize_alef_maksura: bool | None = None,
        normalize_teh_marbuta: bool | None = None,
        normalize_hamza: bool | None = None,
        normalize_digits: bool | None = None,
        normalize_punctuation: bool | None = None,
        collapse_elongation: bool | None = None,
        lowercase: bool | None = None,
    ) -> None:
        self.profile = profile
        self.remove_invisible = remove_invisible
        self.fold_presentation_forms = fold_presentation_forms
        self.normalize_spaces = normalize_spaces
        self.remove_diacritics = remove_diacritics
        self.remove_tatweel = remove_tatweel
        self.normalize_alef = normalize_alef
        self.normalize_alef_maksura = normalize_alef_maksura
        self.normalize_teh_marbuta = normalize_teh_marbuta
        self.normalize_hamza = normalize_hamza
        self.normalize_digits = normalize_digits
        self.normalize_punctuation = normalize_punctuation
        self.collapse_elongation = collapse_elongation
        self.lowercase = lowercase

    # -- configuration
    def steps(self) -> dict[str, bool]:
        """The effective on/off value of every step (profile plus overrides)."""
        if self.profile not in PROFILES:
            raise ValueError(f"unknown profile {self.profile!r}; choose from {sorted(PROFILES)}")
        base = PROFILES[self.profile]
        out = {}
        for step in STEPS:
            override = getattr(self, step)
            out[step] = bool(base.get(step, False) if override is None else override)
        return out

    def _compiled(self) -> tuple[dict[int, str], bool, bool]:
        return _compile(tuple(self.steps().items()))

    # -- scikit-learn API
    def fit(self, X: Any = None, y: Any = None) -> Normalizer:
        """No-op (the normalizer is stateless); validates the configuration."""
        self.steps()
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        """Normalize every string in ``X``."""
        return [self.normalize(x) for x in X]

    def __call__(self, text: str) -> str:
        return self.normalize(text)

    # -- normalization
    def normalize(self, text: str) -> str:
        """Normalize one string (the fast path: no offsets)."""
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        table, spaces, elongation = self._compiled()
        out = text.translate(table)
        if elongation:
            out = _ELONGATION.sub(r"\1", out)
        if spaces:
            out = _SPACE_RUN.sub(_fold_space, out).strip()
        return out

    def normalize_with_offsets(self, text: str) -> NormalizedText:
        """Normalize one string and keep each output character's original index."""
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        table, spaces, elongation = self._compiled()
        chars: list[str] = []
        offs: list[int] = []
        get = table.get
        for i, ch in enumerate(text):
            rep = get(ord(ch))
            if rep is None:
                chars.append(ch)
                offs.append(i)
            else:
                for r in rep:
                    chars.append(r)
                    offs.append(i)
        if elongation:
            chars, offs = _collapse(chars, offs)
        if spaces:
            chars, offs = _fold_spaces(chars, offs)
        return NormalizedText("".join(chars), tuple(offs), text)


def _collapse(chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    """Keep the first letter of every run of 3+ identical Arabic letters (as the regex does)."""
    out_c: list[str] = []
    out_o: list[int] = []
    n = len(chars)
    i = 0
    while i < n:
        ch = chars[i]
        j = i + 1
        while j < n and chars[j] == ch:
            j += 1
        run = j - i
        if run >= 3 and "\u0621" <= ch <= "\u064a":
            out_c.append(ch)
            out_o.append(offs[i])
        else:
            out_c.extend(chars[i:j])
            out_o.extend(offs[i:j])
        i = j
    return out_c, out_o


def _fold_spaces(chars: list[str], offs: list[int]) -> tuple[list[str], list[int]]:
    """Collapse whitespace runs to one space (or newline) and strip both ends."""
    out_c: list[str] = []
    out_o: list[int] = []
    run_start = -1
    has_newline = False
    for ch, o in zip(chars, offs, strict=True):
        if ch.isspace():
            if run_start < 0:
                run_start = o
                has_newline = False
            has_newline = has_newline or ch == "\n"
            continue
        if run_start >= 0:
            if out_c:  # leading whitespace is stripped
                out_c.append("\n" if has_newline else " ")
                out_o.append(run_start)
            run_start = -1
        out_c.append(ch)
        out_o.append(o)
    return out_c, out_o


@overload
def normalize(
    text: str, profile: str = ..., *, return_offsets: Literal[False] = ..., **steps: bool
) -> str: ...
@overload
def normalize(
    text: str, profile: str = ..., *, return_offsets: Literal[True], **steps: bool
) -> NormalizedText: ...
def normalize(
    text: str, profile: str = "search", *, return_offsets: bool = False, **steps: bool
) -> str | NormalizedText:
    """Normalize Arabic text with a named profile and optional per-step overrides.

    Args:
        text: The input string.
        profile: ``"display"``, ``"search"`` (default) or ``"ner"``.
        return_offsets: Return a :class:`NormalizedText` with offsets into ``text``.
        **steps: Per-step overrides, e.g. ``normalize_teh_marbuta=False``.

    >>> normalize("ﻻ إله", profile="display")
    'لا إله'
    """
    norm = _cached_normalizer(profile, tuple(sorted(steps.items())))
    if return_offsets:
        return norm.normalize_with_offsets(text)
    return norm.normalize(text)


@lru_cache(maxsize=64)
def _cached_normalizer(profile: str, steps: tuple[tuple[str, bool], ...]) -> Normalizer:
    return Normalizer(profile, **dict(steps))
