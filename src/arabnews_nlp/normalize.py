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

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Literal, overload

from arabnews_nlp._charmaps import INVISIBLE, step_map
from arabnews_nlp._normalize_engine import Plan

__all__ = ["INVISIBLE", "PROFILES", "STEPS", "NormalizedText", "Normalizer", "normalize"]


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


@lru_cache(maxsize=64)
def _compile(config: tuple[tuple[str, bool], ...]) -> Plan:
    """Compose the enabled steps into one fixed-point character table and a plan."""
    settings = dict(config)
    maps = [step_map(step) for step in STEPS if settings[step]]
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

    # One keyword-only switch per normalization step (scikit-learn style parameters).
    def __init__(  # noqa: PLR0913
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
