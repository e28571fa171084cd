"""The character tables behind :mod:`arabnews_nlp.normalize`: which characters each step maps.

Kept apart from the normalizer itself so the tables (Unicode ranges, presentation forms, digit
sets) can be read on their own; :mod:`arabnews_nlp.normalize` composes them into one plan.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

__all__ = ["INVISIBLE", "PASSES", "SENTENCE_END", "step_map"]


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


# ---------------------------------------------------------------- character classes
#: Characters that end a sentence: . ! ? ؟ … and the Urdu-style full stop ۔ (re-exported by
#: :mod:`arabnews_nlp.tokenize`, which splits sentences with it).
SENTENCE_END = frozenset(".!?\u061f\u2026\u06d4")
INVISIBLE = (
    "\u00ad"  # soft hyphen
    "\u061c"  # Arabic letter mark
    "\u180e"  # Mongolian vowel separator (legacy zero-width space)
    "\u200b\u200c\u200d\u200e\u200f"  # ZWSP ZWNJ ZWJ LRM RLM
    "\u202a\u202b\u202c\u202d\u202e"  # bidi embeddings/overrides
    "\u2060\u2061\u2062\u2063\u2064"  # word joiner, invisible operators
    "\u2066\u2067\u2068\u2069"  # bidi isolates
    "\u206a\u206b\u206c\u206d\u206e\u206f"  # deprecated shaping/swapping controls
    "\ufeff"  # BOM / zero-width no-break space
)
#: Line boundaries as ``str.splitlines`` sees them: folded to "\n".
LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
#: Every other ``str.isspace`` character: folded to " ".
ODD_SPACES = "\t\x1f\u00a0\u1680" + _chars((0x2000, 0x200A)) + "\u202f\u205f\u3000"
#: Tashkeel, superscript alef, honorifics, Quranic annotation marks and small high letters:
#: every nonspacing mark (Mn) of the Arabic blocks, listed explicitly so that the set does not
#: drift with the Unicode version of the running Python.
DIACRITICS = _chars(
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06DC),
    (0x06DF, 0x06E4),
    (0x06E7, 0x06E8),
    (0x06EA, 0x06ED),
    (0x0898, 0x089F),
    (0x08CA, 0x08E1),
    (0x08E3, 0x08FF),
)
TATWEEL = "\u0640"
ALEF_VARIANTS = "\u0622\u0623\u0625\u0671\u0672\u0673"  # آ أ إ ٱ ٲ ٳ
ALEF = "\u0627"
ALEF_MAKSURA = "\u0649"
YEH = "\u064a"
TEH_MARBUTA = "\u0629"
HEH = "\u0647"
HAMZA_CARRIERS = {"\u0624": "\u0648", "\u0626": "\u064a"}  # ؤ→و ئ→ي
# Persian and Urdu keyboards type these for the Arabic letters of the same sound and shape.
PERSIAN_LETTERS = {
    "\u06cc": YEH,  # ی Farsi yeh
    "\u06d2": YEH,  # ے Urdu yeh barree
    "\u06a9": "\u0643",  # ک keheh
    "\u06aa": "\u0643",  # ڪ swash kaf
    "\u06c1": HEH,  # ہ Urdu heh goal
    "\u06be": HEH,  # ھ heh doachashmee
    "\u06c3": TEH_MARBUTA,  # ۃ Urdu teh marbuta goal
}
PUNCTUATION = {
    "\u060c": ",",  # ،
    "\u061b": ";",  # ؛
    "\u061f": "?",  # ؟
    "\u066a": "%",  # ٪
    "\u066b": ".",  # ٫ decimal separator
    "\u066c": ",",  # ٬ thousands separator
    "\u06d4": ".",  # ۔ full stop
}
ARABIC_LETTERS = _chars((0x0621, 0x064A))
# NFKC leaves these signs alone; spell them out as camel-tools' normalize_unicode does.
_SPELLED_SIGNS = {"\ufdfc": "ريال", "\ufdfd": "بسم الله الرحمن الرحيم"}

#: Steps done outside the character table (regex passes of the engine).
PASSES = ("compose_arabic", "collapse_elongation")


def _presentation_forms() -> dict[str, str]:
    out = {}
    for cp in [*range(0xFB50, 0xFE00), *range(0xFE70, 0xFEFF)]:
        ch = chr(cp)
        if unicodedata.category(ch) == "Cn":
            continue
        folded = _SPELLED_SIGNS.get(ch) or unicodedata.normalize("NFKC", ch)
        # Isolated harakat forms (U+FE70.., U+FC5E..) decompose to space + mark: keep the mark.
        folded = folded.lstrip(" ") or folded
        if folded != ch:
            out[ch] = folded
    return out


def _lowercase() -> dict[str, str]:
    # Basic Latin through Latin Extended-B; one-to-one only, so "İ" (→ "i̇") stays.
    lowered = ((chr(cp), chr(cp).lower()) for cp in range(0x41, 0x250))
    return {ch: low for ch, low in lowered if low != ch and len(low) == 1}


# Step name → builder of its character map (built when a normalizer plans its steps).
_STEP_MAPS: dict[str, Callable[[], dict[str, str]]] = {
    "remove_invisible": lambda: dict.fromkeys(INVISIBLE, ""),
    "normalize_spaces": lambda: {
        **dict.fromkeys(ODD_SPACES, " "),
        **dict.fromkeys(LINE_BREAKS[1:], "\n"),
    },
    "fold_presentation_forms": _presentation_forms,
    "remove_diacritics": lambda: dict.fromkeys(DIACRITICS, ""),
    "remove_tatweel": lambda: {TATWEEL: ""},
    "normalize_alef": lambda: dict.fromkeys(ALEF_VARIANTS, ALEF),
    "normalize_alef_maksura": lambda: {ALEF_MAKSURA: YEH},
    "normalize_teh_marbuta": lambda: {TEH_MARBUTA: HEH},
    "normalize_hamza": lambda: dict(HAMZA_CARRIERS),
    "normalize_persian_letters": lambda: dict(PERSIAN_LETTERS),
    "normalize_digits": lambda: {
        chr(base + d): str(d) for base in (0x0660, 0x06F0) for d in range(10)
    },
    "normalize_punctuation": lambda: dict(PUNCTUATION),
    "lowercase": _lowercase,
}


def step_map(step: str) -> dict[str, str]:
    """The character map of one step (characters not listed are left alone)."""
    build = _STEP_MAPS.get(step)
    if build is not None:
        return build()
    if step in PASSES:
        return {}
    raise ValueError(f"unknown normalization step: {step!r}")
