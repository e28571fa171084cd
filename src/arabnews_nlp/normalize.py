"""Arabic text normalization with offsets back to the original string.

Every character step maps one character to zero, one or several characters; the enabled steps
are composed into one table, applied by a compiled plan (see ``_normalize_engine``), followed by
optional elongation collapse and whitespace folding. The same plan, run with offsets, keeps for
every output character the index of the input character it came from.

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

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, overload

from arabnews_nlp._normalize_engine import Plan

__all__ = ["PROFILES", "STEPS", "NormalizedText", "Normalizer", "normalize"]


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(c) for lo, hi in ranges for c in range(lo, hi + 1))


# ---------------------------------------------------------------- character classes
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
PERSIAN_LETTERS = {"\u06cc": YEH, "\u06a9": "\u0643"}  # ی→ي ک→ك (Persian keyboards)
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

#: Every step, in the order the documentation presents them.
STEPS = (
    "remove_invisible",
    "fold_presentation_forms",
    "normalize_spaces",
    "compose_arabic",
    "remove_diacritics",
    "remove_tatweel",
    "normalize_alef",
    "normalize_alef_maksura",
    "normalize_teh_marbuta",
    "normalize_hamza",
    "normalize_persian_letters",
    "normalize_digits",
    "normalize_punctuation",
    "collapse_elongation",
    "lowercase",
)

_CLEANUP = {"remove_invisible": True, "fold_presentation_forms": True, "normalize_spaces": True}
_FOLD = {
    "compose_arabic": True,
    "remove_diacritics": True,
    "remove_tatweel": True,
    "normalize_alef": True,
    "normalize_alef_maksura": True,
    "normalize_teh_marbuta": True,
    "normalize_digits": True,
}
#: Named profiles: which steps each one switches on (the rest are off).
PROFILES: dict[str, dict[str, bool]] = {
    # Cleanup only: what a reader sees is unchanged, and no Arabic letter is ever changed.
    "display": dict(_CLEANUP),
    # Fold everything that does not change a word's identity for matching, TF-IDF and indexing.
    "search": {**_CLEANUP, **_FOLD, "normalize_persian_letters": True, "lowercase": True},
    # What the entity model was trained on; Latin case is kept because it marks names.
    "ner": {**_CLEANUP, **_FOLD},
}
# Steps done outside the character table (regex passes of the engine).
_PASSES = ("compose_arabic", "collapse_elongation")


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


def _step_map(step: str) -> dict[str, str]:
    """The character map of one step (characters not listed are left alone)."""
    if step == "remove_invisible":
        return dict.fromkeys(INVISIBLE, "")
    if step == "normalize_spaces":
        return {**dict.fromkeys(ODD_SPACES, " "), **dict.fromkeys(LINE_BREAKS[1:], "\n")}
    if step == "fold_presentation_forms":
        return _presentation_forms()
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
    if step == "normalize_persian_letters":
        return dict(PERSIAN_LETTERS)
    if step == "normalize_digits":
        return {chr(base + d): str(d) for base in (0x0660, 0x06F0) for d in range(10)}
    if step == "normalize_punctuation":
        return dict(PUNCTUATION)
    if step == "lowercase":
        # Basic Latin through Latin Extended-B; one-to-one only, so "İ" (→ "i̇") stays.
        lowered = ((chr(cp), chr(cp).lower()) for cp in range(0x41, 0x250))
        return {ch: low for ch, low in lowered if low != ch and len(low) == 1}
    if step in _PASSES:
        return {}
    raise ValueError(f"unknown normalization step: {step!r}")


@lru_cache(maxsize=64)
def _compile(config: tuple[tuple[str, bool], ...]) -> Plan:
    """Compose the enabled steps into one fixed-point character table and a plan."""
    settings = dict(config)
    maps = [_step_map(step) for step in STEPS if settings[step]]
    keys = {ch for m in maps for ch in m}

    def apply_all(s: str) -> str:
        for m in maps:
            s = "".join(m.get(c, c) for c in s)
        return s

    table: dict[int, str] = {}
    for ch in keys:
        out = ch
        # Chains are short (ligature → أ → ا); the fixed point makes the table idempotent.
        for _ in range(8):
            nxt = apply_all(out)
            if nxt == out:
                break
            out = nxt
        else:  # pragma: no cover - would mean two steps undo each other
            raise RuntimeError(f"normalization steps do not converge on {ch!r}")
        if out != ch:
            table[ord(ch)] = out
    return Plan.build(
        table,
        compose=settings["compose_arabic"],
        elongation=settings["collapse_elongation"],
        spaces=settings["normalize_spaces"],
    )


@dataclass(frozen=True)
class NormalizedText:
    """A normalized string and, for each of its characters, its index in the original.

    Attributes:
        text: The normalized string.
        offsets: ``offsets[i]`` is the index in ``original`` of ``text[i]`` (non-decreasing).
        original: The input string.

    Example:
        >>> nt = normalize("قالَ الرئيسُ", return_offsets=True)
        >>> nt.text, nt.offsets[:4]
        ('قال الرئيس', (0, 1, 2, 4))
        >>> nt.span_to_original(4, 10)
        (5, 12)
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
        # Trim what normalization removed between the span and the next character when it
        # is whitespace or an invisible mark: it belongs to neither.
        while o_end > o_last and (
            self.original[o_end - 1].isspace() or self.original[o_end - 1] in INVISIBLE
        ):
            o_end -= 1
        return o_start, o_end


class Normalizer:
    """Configurable Arabic normalizer: a stateless scikit-learn style transformer.

    It follows scikit-learn's conventions (parameters stored unchanged by ``__init__``,
    ``get_params``/``set_params``, ``fit``/``transform``) without importing scikit-learn, so
    ``import arabnews_nlp`` stays cheap; ``sklearn.base.clone`` and ``Pipeline`` accept it.

    Args:
        profile: ``"display"``, ``"search"`` or ``"ner"``: the defaults for every step.
        **steps: Any of :data:`STEPS` (``remove_diacritics``, ``normalize_teh_marbuta``, ...)
            set to True/False to override the profile; None keeps the profile's choice.

    Example:
        >>> norm = Normalizer("search", normalize_teh_marbuta=False)
        >>> norm("مدرسةٌ")
        'مدرسة'
        >>> norm.transform(["أحمد", "إسلام"])
        ['احمد', 'اسلام']
        >>> from sklearn.feature_extraction.text import TfidfVectorizer
        >>> vec = TfidfVectorizer(preprocessor=Normalizer()).fit(["أحمد ٢"])
        >>> vec.get_feature_names_out().tolist()
        ['احمد']
    """

    def __init__(
        self,
        profile: str = "search",
        *,
        remove_invisible: bool | None = None,
        fold_presentation_forms: bool | None = None,
        normalize_spaces: bool | None = None,
        compose_arabic: bool | None = None,
        remove_diacritics: bool | None = None,
        remove_tatweel: bool | None = None,
        normalize_alef: bool | None = None,
        normalize_alef_maksura: bool | None = None,
        normalize_teh_marbuta: bool | None = None,
        normalize_hamza: bool | None = None,
        normalize_persian_letters: bool | None = None,
        normalize_digits: bool | None = None,
        normalize_punctuation: bool | None = None,
        collapse_elongation: bool | None = None,
        lowercase: bool | None = None,
    ) -> None:
        self.profile = profile
        self.remove_invisible = remove_invisible
        self.fold_presentation_forms = fold_presentation_forms
        self.normalize_spaces = normalize_spaces
        self.compose_arabic = compose_arabic
        self.remove_diacritics = remove_diacritics
        self.remove_tatweel = remove_tatweel
        self.normalize_alef = normalize_alef
        self.normalize_alef_maksura = normalize_alef_maksura
        self.normalize_teh_marbuta = normalize_teh_marbuta
        self.normalize_hamza = normalize_hamza
        self.normalize_persian_letters = normalize_persian_letters
        self.normalize_digits = normalize_digits
        self.normalize_punctuation = normalize_punctuation
        self.collapse_elongation = collapse_elongation
        self.lowercase = lowercase

    # -- scikit-learn parameter protocol
    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """The constructor parameters (scikit-learn protocol)."""
        return {"profile": self.profile, **{step: getattr(self, step) for step in STEPS}}

    def set_params(self, **params: Any) -> Normalizer:
        """Set constructor parameters (scikit-learn protocol); returns self."""
        valid = self.get_params()
        for name, value in params.items():
            if name not in valid:
                raise ValueError(f"invalid parameter {name!r} for Normalizer")
            setattr(self, name, value)
        return self

    def __repr__(self) -> str:
        changed = {k: v for k, v in self.get_params().items() if k != "profile" and v is not None}
        args = [repr(self.profile)] + [f"{k}={v!r}" for k, v in changed.items()]
        return f"Normalizer({', '.join(args)})"

    def __sklearn_tags__(self) -> Any:
        """Tags for scikit-learn >= 1.6: a stateless transformer of strings."""
        from sklearn.utils import InputTags, Tags, TargetTags, TransformerTags

        return Tags(
            estimator_type=None,
            target_tags=TargetTags(required=False),
            transformer_tags=TransformerTags(preserves_dtype=[]),
            input_tags=InputTags(one_d_array=True, two_d_array=False, string=True),
            requires_fit=False,
        )

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

    def __setattr__(self, name: str, value: Any) -> None:
        # The compiled plan is memoized (a vectorizer's preprocessor is called once per
        # document); setting any parameter, as set_params does, drops it.
        self.__dict__.pop("_plan_cache", None)
        object.__setattr__(self, name, value)

    def _plan(self) -> Plan:
        try:
            return self.__dict__["_plan_cache"]
        except KeyError:
            plan = _compile(tuple(self.steps().items()))
            self.__dict__["_plan_cache"] = plan
            return plan

    # -- scikit-learn transformer API
    def fit(self, X: Any = None, y: Any = None) -> Normalizer:
        """No-op (the normalizer is stateless); validates the configuration."""
        self.steps()
        return self

    def transform(self, X: Iterable[str]) -> list[str]:
        """Normalize every string in ``X``."""
        run = self._plan().run
        out = []
        for x in X:
            _check_str(x)
            out.append(run(x))
        return out

    def fit_transform(self, X: Iterable[str], y: Any = None) -> list[str]:
        """Same as :meth:`transform` (nothing to learn)."""
        return self.fit().transform(X)

    def __call__(self, text: str) -> str:
        return self.normalize(text)

    # -- normalization
    def normalize(self, text: str) -> str:
        """Normalize one string (the fast path: no offsets)."""
        _check_str(text)
        return self._plan().run(text)

    def normalize_with_offsets(self, text: str) -> NormalizedText:
        """Normalize one string and keep each output character's original index."""
        _check_str(text)
        out, offsets = self._plan().run_with_offsets(text)
        return NormalizedText(out, tuple(offsets), text)


def _check_str(text: object) -> None:
    if not isinstance(text, str):
        raise TypeError(f"expected str, got {type(text).__name__}")


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
    >>> normalize("مدرسة", normalize_teh_marbuta=False)
    'مدرسة'
    """
    _check_str(text)
    plan = _plan_for(profile, tuple(sorted(steps.items())) if steps else ())
    if return_offsets:
        out, offsets = plan.run_with_offsets(text)
        return NormalizedText(out, tuple(offsets), text)
    return plan.run(text)


@lru_cache(maxsize=64)
def _plan_for(profile: str, steps: tuple[tuple[str, bool], ...]) -> Plan:
    return Normalizer(profile, **dict(steps))._plan()
