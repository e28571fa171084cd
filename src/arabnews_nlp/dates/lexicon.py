"""Word lists of the date extractor, spelled as the ``search`` normalization profile writes them.

Month names come in four Gregorian sets (one per region of the Arab press) and the Hijri set;
a name shared by several sets (مارس, سبتمبر...) is listed under each of them and reported under
the first set that has it, in the order of :data:`MONTH_SETS`.
"""

from __future__ import annotations

from functools import lru_cache

from arabnews_nlp.normalize import normalize

__all__ = [
    "COUNT_WORDS",
    "FUTURE_WORDS",
    "HIJRI_MONTHS",
    "MONTH_SETS",
    "PAST_WORDS",
    "WEEKDAYS",
    "fold",
    "month_lookup",
]


def fold(word: str) -> str:
    """``word`` as the extractor matches it (``search`` profile: alef, ya, teh marbuta, digits)."""
    return normalize(word, profile="search")


#: Gregorian month names per regional set, January first. Several spellings per month.
MONTH_SETS: dict[str, tuple[tuple[str, ...], ...]] = {
    # Egypt, the Gulf, most wire services.
    "egyptian": (
        ("يناير",),
        ("فبراير",),
        ("مارس",),
        ("أبريل", "إبريل"),
        ("مايو",),
        ("يونيو", "يونية"),
        ("يوليو", "يولية"),
        ("أغسطس", "أغسطوس"),
        ("سبتمبر",),
        ("أكتوبر",),
        ("نوفمبر",),
        ("ديسمبر",),
    ),
    # Syria, Lebanon, Jordan, Palestine, Iraq (the Syriac names).
    "levantine": (
        ("كانون الثاني",),
        ("شباط",),
        ("آذار",),
        ("نيسان",),
        ("أيار",),
        ("حزيران",),
        ("تموز",),
        ("آب",),
        ("أيلول",),
        ("تشرين الأول",),
        ("تشرين الثاني",),
        ("كانون الأول",),
    ),
    # Tunisia and Algeria (French-derived).
    "maghrebi": (
        ("جانفي",),
        ("فيفري",),
        ("مارس",),
        ("أفريل",),
        ("ماي",),
        ("جوان",),
        ("جويلية", "جويليه"),
        ("أوت",),
        ("سبتمبر",),
        ("أكتوبر",),
        ("نوفمبر",),
        ("ديسمبر",),
    ),
    # Morocco.
    "moroccan": (
        ("يناير",),
        ("فبراير",),
        ("مارس",),
        ("أبريل",),
        ("ماي",),
        ("يونيو",),
        ("يوليوز",),
        ("غشت",),
        ("شتنبر",),
        ("أكتوبر",),
        ("نونبر",),
        ("دجنبر",),
    ),
}

#: Hijri months, Muharram first.
HIJRI_MONTHS: tuple[tuple[str, ...], ...] = (
    ("محرم", "المحرم"),
    ("صفر",),
    ("ربيع الأول",),
    ("ربيع الثاني", "ربيع الآخر"),
    ("جمادى الأولى", "جمادى الأول"),
    ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر"),
    ("رجب",),
    ("شعبان",),
    ("رمضان",),
    ("شوال",),
    ("ذو القعدة", "ذي القعدة", "ذا القعدة"),
    ("ذو الحجة", "ذي الحجة", "ذا الحجة"),
)

#: Weekday names, Monday first (``date.weekday()`` order).
WEEKDAYS: tuple[tuple[str, ...], ...] = (
    ("الاثنين", "الإثنين"),
    ("الثلاثاء",),
    ("الأربعاء",),
    ("الخميس",),
    ("الجمعة",),
    ("السبت",),
    ("الأحد",),
)

#: Words after a date that point back or forward in time.
PAST_WORDS = ("الماضي", "الماضية", "المنصرم", "المنصرمة", "الفائت", "الفائتة", "السابق")
FUTURE_WORDS = ("المقبل", "المقبلة", "القادم", "القادمة")
CURRENT_WORDS = ("الجاري", "الجارية", "الحالي", "الحالية")

#: Counted units (قبل ثلاثة أيام): the word as written and its number; None = read the digits.
COUNT_WORDS: dict[str, int] = {
    "واحد": 1,
    "واحدة": 1,
    "اثنين": 2,
    "ثلاثة": 3,
    "ثلاث": 3,
    "أربعة": 4,
    "أربع": 4,
    "خمسة": 5,
    "خمس": 5,
    "ستة": 6,
    "ست": 6,
    "سبعة": 7,
    "سبع": 7,
    "ثمانية": 8,
    "ثماني": 8,
    "تسعة": 9,
    "تسع": 9,
    "عشرة": 10,
    "عشر": 10,
    "بضعة": 3,
    "بضع": 3,
}


@lru_cache(maxsize=1)
def month_lookup() -> dict[str, tuple[str, int]]:
    """Folded month name → (set, month number); a shared name goes to the first set."""
    out: dict[str, tuple[str, int]] = {}
    for set_name, months in MONTH_SETS.items():
        for number, names in enumerate(months, start=1):
            for name in names:
                out.setdefault(fold(name), (set_name, number))
    return out


@lru_cache(maxsize=1)
def month_sets_of() -> dict[str, tuple[str, ...]]:
    """Folded month name → every set that uses it (يناير: egyptian and moroccan)."""
    out: dict[str, list[str]] = {}
    for set_name, months in MONTH_SETS.items():
        for names in months:
            for name in names:
                out.setdefault(fold(name), []).append(set_name)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1)
def hijri_lookup() -> dict[str, int]:
    """Folded Hijri month name → month number."""
    return {fold(name): n for n, names in enumerate(HIJRI_MONTHS, start=1) for name in names}


@lru_cache(maxsize=1)
def weekday_lookup() -> dict[str, int]:
    """Folded weekday name → ``date.weekday()`` number."""
    return {fold(name): n for n, names in enumerate(WEEKDAYS) for name in names}
