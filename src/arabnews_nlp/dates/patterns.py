"""The regular expressions of the date extractor, built once from the word lists.

They run on ``search``-folded text (one alef, ي for ى, ه for ة, ASCII digits), so one spelling
per word covers its variants. Each pattern has a ``kind`` and named groups that
:mod:`arabnews_nlp.dates.resolve` turns into a value; the group ``m`` (when present) is the
mention itself, leaving out a context word that was only needed to accept it (في 2024).
"""

from __future__ import annotations

import re
from functools import lru_cache

from arabnews_nlp.dates.lexicon import (
    COUNT_WORDS,
    CURRENT_WORDS,
    FUTURE_WORDS,
    PAST_WORDS,
    fold,
    hijri_lookup,
    month_lookup,
    weekday_lookup,
)

__all__ = ["PATTERNS", "context_before", "future_sentence", "windows"]


def _alt(words: object) -> str:
    folded = sorted({fold(str(w)) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in folded)


_B = r"(?<!\w)(?:[وفبل]|وب|ول|فب|فل)?"  # word start, with a conjunction/preposition clitic
_E = r"(?!\w)"
_MOD = f"(?P<mod>{_alt(PAST_WORDS + FUTURE_WORDS + CURRENT_WORDS)}){_E}"
_TOD = r"(?:(?:صباح|مساء|ظهر|عصر|فجر|ليل|ليله|ظهيره|منتصف\s+ليل|نهار|اواخر|مطلع)\s+)?"


def _build() -> dict[str, re.Pattern[str]]:
    gm = _alt(month_lookup())
    hm = _alt(hijri_lookup())
    wd = _alt(weekday_lookup())
    weekday = f"(?:{_TOD}(?:يوم\\s+)?(?P<wd>{wd}){_E}\\s*[،,-]?\\s*)"
    day = r"(?:ال)?(?P<day>[0-3]?\d)(?!\d)\s*(?:من\s+)?(?:شهر\s+)?"
    year = r"(?P<year>\d{4})(?!\d)"
    year_word = r"(?:عام|العام|سنه|السنه)\s+"
    hijri_suffix = r"\s*(?P<hsuf>ه(?!\w)|هجري(?:ه)?(?!\w)|للهجره)"
    counted = _alt(COUNT_WORDS)
    units = (
        "يوم|يومين|ايام|اسبوع|اسبوعين|اسابيع|شهر|شهرين|اشهر|شهور|عام|عامين|اعوام|سنه|سنتين|سنوات"
    )
    patterns = {
        # 24 كانون الثاني/يناير 2025, الخميس 3 أفريل, يناير 2025, 3 مارس الماضي, شهر أيار
        "gregorian": (
            f"{_B}(?P<m>{weekday}?(?P<shahr>شهر\\s+)?(?:{day})?(?P<mon>{gm}){_E}"
            f"(?:\\s*(?:/|\\(|-)\\s*(?P<mon2>{gm}){_E}\\s*\\)?)?"
            f"(?:\\s*[،,]?\\s*(?:من\\s+)?(?:{year_word})?{year}(?:\\s*م{_E})?)?"
            f"(?:\\s+{_MOD})?)"
        ),
        # 15 رمضان 1446 هـ, شهر رمضان المقبل, 1 محرم
        "hijri": (
            f"{_B}(?P<m>{weekday}?(?P<shahr>شهر\\s+)?(?:{day})?(?P<hmon>{hm}){_E}"
            f"(?:\\s*[،,]?\\s*(?:من\\s+)?(?:{year_word})?(?P<year>\\d{{3,4}})(?!\\d))?"
            f"(?:{hijri_suffix})?(?:\\s+{_MOD})?)"
        ),
        # 1446 هـ, عام 1446 للهجرة
        "hijri_year": f"{_B}(?P<m>(?:{year_word})?(?P<year>\\d{{3,4}})(?!\\d){hijri_suffix})",
        # عام 2024, 2024م, في 2024
        "year": (
            f"{_B}(?P<m>(?:(?:{year_word})(?P<year>\\d{{4}})|(?P<year2>\\d{{4}})\\s*م{_E})(?!\\d))"
        ),
        "bare_year": (
            r"(?<!\w)(?:في|منذ|حتى|خلال|مطلع|نهايه|بدايه|اواخر|اوائل|منتصف|قبل|بعد|وفي)\s+"
            r"(?P<m>(?P<year>(?:19|20)\d\d))(?![\d.,/%-])(?!\s*(?:م|ه|%))"
        ),
        # 24/1/2025, 24-01-2025, 2025-01-24, 15/9/1446 هـ
        "numeric": (
            r"(?<![\d./-])(?P<m>(?:(?P<day>\d{1,2})(?P<sep>[/.-])(?P<month>\d{1,2})(?P=sep)"
            r"(?P<year>\d{4})|(?P<iy>\d{4})(?P<isep>[/-])(?P<im>\d{1,2})(?P=isep)(?P<id>\d{1,2}))"
            f"(?![\\d./-])(?:{hijri_suffix})?)"
        ),
        # أمس, صباح اليوم, أول أمس, غدا, بعد غد, الليلة
        "relative_day": (
            f"{_B}(?P<m>{_TOD}(?:يوم\\s+)?(?P<rel>اول\\s+امس|امس\\s+الاول|اول\\s+من\\s+امس|"
            f"الامس|امس|البارحه|اليوم|الليله|بعد\\s+غد|غدا|غد){_E})"
        ),
        # الأسبوع الماضي, هذا العام, الشهر الجاري
        "relative_unit": (
            f"{_B}(?P<m>(?:(?P<this>هذا|هذه)\\s+(?P<unit>الاسبوع|الشهر|العام|السنه){_E}"
            f"|(?P<unit2>الاسبوع|الشهر|العام|السنه)\\s+{_MOD}))"
        ),
        # قبل ثلاثة أيام, منذ عامين, بعد أسبوعين
        "relative_count": (
            f"{_B}(?P<m>(?P<dir>قبل|منذ|بعد)\\s+(?:(?P<n>\\d{{1,3}}|{counted})\\s+)?"
            f"(?P<cunit>{units}){_E})(?!\\s*\\d)"
        ),
        # الخميس, يوم الأحد المقبل, مساء السبت
        "weekday": f"{_B}(?P<m>{_TOD}(?:يوم\\s+)?(?P<wd>{wd}){_E}(?:\\s+{_MOD})?)",
    }
    return {k: re.compile(v) for k, v in patterns.items()}


@lru_cache(maxsize=1)
def compiled() -> dict[str, re.Pattern[str]]:
    """The patterns by kind, compiled on first use."""
    return _build()


PATTERNS = ("numeric", "gregorian", "hijri", "hijri_year", "year", "bare_year")

#: Words right before a bare month name that make it a date (في مارس, not مارس الضغط).
_CONTEXT = re.compile(
    r"(?<!\w)(?:[وفبل])?(?:في|خلال|منذ|حتى|مطلع|اواخر|اوائل|اواسط|منتصف|بدايه|نهايه|مع|قبل|بعد|"
    r"حلول|غضون|شهري|شهر)\s*$"
)


def context_before(text: str, start: int) -> bool:
    """Whether a temporal preposition or noun stands right before ``start``."""
    return _CONTEXT.search(text, max(0, start - 12), start) is not None


# Future markers: سوف, من المقرر, and س + imperfect verb prefix (سيعقد, ستبدأ, سنعمل), minus the
# common nouns that start like one (سياسة, سيارة, ستة...).
_FUTURE = re.compile(
    r"(?<!\w)(?:[وف])?(?:سوف|من\s+المقرر|من\s+المتوقع|من\s+المنتظر|يعتزم|تعتزم|يرتقب|يتوقع|تتوقع|"
    r"س(?!ياس|يار|يطر|يد|يف|ين|يول|ته|تين|تار|تاد|تراتيج|توكهولم|تيف|يناريو)[يتن]\w{2,})"
)


_CLAUSE_END = re.compile(r"[.!؟?\n،,؛]|(?<!\w)(?:ان|بان|لان)(?!\w)")


def future_sentence(text: str, start: int, end: int) -> bool:
    """Whether the clause around ``start:end`` speaks of the future (a reported clause after
    أن/إن has its own tense: «قال الثلاثاء إن الوفد سيصل»)."""
    left = 0
    for m in _CLAUSE_END.finditer(text, max(0, start - 200), start):
        left = m.end()
    right_match = _CLAUSE_END.search(text, end)
    right = right_match.start() if right_match else len(text)
    return _FUTURE.search(text, left, right) is not None


@lru_cache(maxsize=1)
def _anchors() -> dict[str, frozenset[str]]:
    """Words one of which every date expression contains, each with the patterns it can start:
    a month's first word, a weekday, a relative word, قبل/منذ/بعد (digits are handled apart)."""
    out: dict[str, set[str]] = {}

    def add(words: object, kind: str) -> None:
        for word in words:  # type: ignore[attr-defined]
            out.setdefault(fold(str(word)).split()[0], set()).add(kind)

    add(month_lookup(), "gregorian")
    add(hijri_lookup(), "hijri")
    add(weekday_lookup(), "weekday")
    add(["أمس", "الأمس", "البارحة", "اليوم", "الليلة", "غد", "غدا"], "relative_day")
    add(["الأسبوع", "الشهر", "العام", "السنة"], "relative_unit")
    add(["قبل", "منذ", "بعد"], "relative_count")
    return {word: frozenset(kinds) for word, kinds in out.items()}


#: The patterns a number can start (a year, a numeric date; a day before a month name is found
#: from the month).
_DIGIT_KINDS = frozenset({"numeric", "hijri_year", "year", "bare_year"})
_WORD_END = re.compile(r"\W")
# How far a date expression reaches around its anchor word (weekday, يوم, شهر, a day before a
# month; a dual name, a year and a modifier after it), with room to spare.
_BEFORE, _AFTER = 48, 64


@lru_cache(maxsize=1)
def _anchor_pattern() -> re.Pattern[str]:
    """One regex for the anchor scan: a word starting with a digit, or a word that is an anchor
    after at most two clitic letters (وفي, بالخميس); one C-level pass instead of a dict lookup
    per word in Python."""
    words = "|".join(sorted(map(re.escape, _anchors()), key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?:\d\w*|\w{{0,2}}?(?P<a>{words})(?!\w))")


def windows(folded: str) -> list[tuple[int, int, frozenset[str]]]:
    """Stretches of ``folded`` around anchor words and digits, merged, with the patterns to run
    in each: running every pattern over the whole text costs several times more."""
    anchors = _anchors()
    out: list[tuple[int, int, frozenset[str]]] = []
    for m in _anchor_pattern().finditer(folded):
        anchor = m.group("a")
        kinds = anchors[anchor] if anchor else _DIGIT_KINDS
        lo, hi = max(0, m.start() - _BEFORE), min(len(folded), m.end() + _AFTER)
        # End a window between words: a pattern's (?!\w) would succeed at a cut word's end.
        cut = _WORD_END.search(folded, hi)
        hi = cut.start() if cut else len(folded)
        if out and lo <= out[-1][1]:
            out[-1] = (out[-1][0], hi, out[-1][2] | kinds)
        else:
            out.append((lo, hi, kinds))
    return out
