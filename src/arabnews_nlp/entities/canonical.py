"""Canonical entity names, matching keys, person titles and junk filtering.

A model finds *mentions*: "بموسكو", "وروسيا", "الرئيس أحمد الشرع". A newsroom wants *names*:
"موسكو", "روسيا", "أحمد الشرع". The canonical name is the display-cleaned mention with diacritics
and tatweel removed (hamza forms are kept, so names stay readable), the leading proclitics
و/ف/ب/ل/ك of the first word stripped (a lexical ال stays: "والأسد" → "الأسد", "للكرملين" →
"الكرملين"), and, for a person, leading titles and roles removed. The *key* is the canonical
name folded with the ``search`` profile, for comparing names spelled differently.

Clitic decisions (which words are protected names such as بريطانيا or لبنان) come from
:mod:`arabnews_nlp.tokenize`, so there is one segmenter in the library.

Example:
    >>> canonical_name("بموسكو", "LOC")
    'موسكو'
    >>> canonical_name("الرئيسُ الروسيُّ فلاديمير بوتين", "PER")
    'فلاديمير بوتين'
    >>> entity_key("أحمد الشرع")
    'احمد الشرع'
    >>> is_title_only("الرئيس الروسي")
    True
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

from arabnews_nlp.normalize import normalize
from arabnews_nlp.tokenize import is_stop_word, strip_proclitics

__all__ = [
    "COMMON_WORDS",
    "DESCRIPTOR_WORDS",
    "TITLE_WORDS",
    "KeepWord",
    "canonical_name",
    "entity_key",
    "is_junk",
    "is_title_only",
    "strip_titles",
]

# Titles and positions that open a person mention. Words that are also given names (أمين, أمير,
# سيد, ملك) appear only with the article, where they are titles, so "أمين معلوف" keeps its name.
_TITLES = """
رئيس الرئيس رئيسة الرئيسة نائب النائب نائبة وزير الوزير وزيرة الوزيرة الملك الملكة الأمير
الأميرة الشيخ الشيخة السيد السيدة الدكتور الدكتورة د. المهندس المهندسة الأستاذ الأستاذة
المستشار المستشارة الجنرال اللواء العقيد العميد الفريق المشير الرائد النقيب الملازم القائد قائد
زعيم الزعيم سفير السفير السفيرة مبعوث المبعوث المبعوثة المتحدث متحدث المتحدثة الناطق ناطق
الناطقة الأمين مدير المدير مديرة المديرة محافظ المحافظ حاكم الحاكم عمدة الإمام البابا الحاج
السلطان القاضي المفوض المندوب مندوب ممثل الممثل المرشد ولي العاهل الملا المطران البطريرك
النجم اللاعب المدرب الفنان الفنانة الكاتب الكاتبة الصحفي الصحفية الرئيسين الزعيمين
"""
# Words that follow a title and still describe the role, not the person: nationalities, office
# domains and qualifiers ("الرئيس الروسي", "وزير الخارجية", "الرئيس السابق").
_DESCRIPTORS = """
السابق السابقة الأسبق الجديد الجديدة المنتخب المنتخبة المؤقت المؤقتة الانتقالي الحالي الراحل
الراحلة المخلوع العام العامة الخاص الخاصة الأعلى التنفيذي التنفيذية المساعد الأول الأولى الثاني
الأممي الدولي باسم العهد الوزراء الجمهورية الحكومة الدولة الخارجية الدفاع الداخلية المالية العدل
الصحة التعليم التربية الاقتصاد الطاقة النفط الزراعة الإعلام الثقافة النقل الإسكان السياحة الرياضة
الشباب العمل التجارة الصناعة الاتصالات البيئة الأوقاف التنمية الإدارية الخزانة الأركان الجيش
البرلمان مجلس النواب الشعب الأمن القومي الوطني الحزب حزب الشرطة الحرس الثوري المركزي الأمة
"""
# Nationality adjectives (masculine; the feminine adds ة).
_NATIONALITIES = """
الروسي السوري الأمريكي الأميركي التركي المصري الإيراني العراقي اللبناني الأردني السعودي الإماراتي
القطري الكويتي البحريني العماني اليمني الليبي التونسي الجزائري المغربي السوداني الفلسطيني
الإسرائيلي الفرنسي البريطاني الألماني الإيطالي الإسباني الصيني الياباني الهندي الباكستاني الأفغاني
الأوكراني الكوري الكندي البرازيلي الأوروبي الموريتاني الصومالي الإثيوبي النيجيري الأفريقي العربي
الخليجي الكردي الإسلامي الأسترالي البولندي السويدي الهولندي البلجيكي اليوناني القبرصي الأرمني
"""
# Single words the model sometimes tags although they are ordinary nouns, institutions named by
# their kind, currencies, dates or days.
_COMMON = """
الهيئة المؤسسة المنظمة البورصة السوق المصرف البنك الصندوق الوكالة المكتب المركز المعهد النادي
المنتخب الإدارة الأمانة السلطة السلطات الجهات الحكومات الوزارات البلدية الجمعية النقابة الشرطة
درهم دينار ريال جنيه دولار يورو ليرة روبل يوان الدرهم الدينار الريال الجنيه الدولار اليورو الليرة
العاصمة البلاد البلدين المنطقة الحكومة الدولة الجيش القوات الشرطة البرلمان الوزارة المدينة القرية
المحافظة الولاية الرئاسة البيان الزيارة العالم الشعب المجلس اللجنة الشركة الجامعة المحكمة الحزب
الجماعة التنظيم المعارضة النظام القمة الاجتماع المؤتمر الحرب السلام الاتفاق المباحثات المحادثات
الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت اليوم أمس غدا يناير فبراير مارس أبريل مايو
يونيو يوليو أغسطس سبتمبر أكتوبر نوفمبر ديسمبر كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين
"""


def entity_key(name: str) -> str:
    """The matching key of a name: its ``search``-profile normalization.

    >>> entity_key("الكرملين") == entity_key("الكِرملين")
    True
    """
    return normalize(name, profile="search")


def _keys(words: str) -> frozenset[str]:
    return frozenset(entity_key(w) for w in words.split())


#: Search-normalized keys of person titles/positions.
TITLE_WORDS: frozenset[str] = _keys(_TITLES)
#: Search-normalized keys of role descriptors (office domains, qualifiers, nationalities).
DESCRIPTOR_WORDS: frozenset[str] = (
    _keys(_DESCRIPTORS)
    | _keys(_NATIONALITIES)
    # the feminine (ة, folded to ه by the search profile)
    | frozenset(k + "ه" for k in _keys(_NATIONALITIES))
)
#: Search-normalized keys of ordinary words that are never an entity on their own.
COMMON_WORDS: frozenset[str] = _keys(_COMMON)

_ROLE_WORDS = TITLE_WORDS | DESCRIPTOR_WORDS
#: ``keep(word, stripped) -> bool``: evidence that a first word's clitic-like letter is part of
#: the name (see :func:`canonical_name`).
KeepWord = Callable[[str, str], bool]
# What may wrap a mention without being part of it: quotes, brackets, punctuation, dashes.
_EDGE = "\"'«»“”‘’()[]{}<>.,،;؛:!?؟…-–—_/\\|*#"
_HAS_LETTER = re.compile(r"[^\W\d_]")


def _clean(text: str) -> str:
    """Display cleanup plus diacritics/tatweel removal and Persian/Urdu letters folded to
    Arabic (موسکو is موسكو), trimmed of wrapping punctuation."""
    text = normalize(
        text,
        profile="display",
        remove_diacritics=True,
        remove_tatweel=True,
        normalize_persian_letters=True,
    )
    return text.strip().strip(_EDGE).strip()


def _word_key(word: str) -> str:
    """Key of a word with its proclitics removed (so "والرئيس" matches "الرئيس")."""
    return entity_key(strip_proclitics(word, keep_article=True) or word)


def strip_titles(words: Sequence[str]) -> list[str]:
    """Drop leading titles/roles from a person's words; return [] if nothing else is left.

    The first word must be a title; descriptors only count after one, so a family name that
    happens to be an adjective ("العربي") is kept when it opens the mention.

    >>> strip_titles("وزير الخارجية سيرغي لافروف".split())
    ['سيرغي', 'لافروف']
    >>> strip_titles(["الرئيس", "الروسي"])
    []
    """
    i = 0
    while i < len(words):
        key = entity_key(words[i])
        # The first word may carry a conjunction ("والرئيس"); try it without, but a title that
        # merely starts with a clitic-like letter ("وزير") must match as written.
        if (
            key in TITLE_WORDS
            or (i == 0 and _word_key(words[i]) in TITLE_WORDS)
            or (i > 0 and key in DESCRIPTOR_WORDS)
        ):
            i += 1
        else:
            break
    return list(words[i:])


def is_title_only(text: str) -> bool:
    """True when a mention is only titles and role descriptors ("الرئيس الروسي").

    >>> is_title_only("وزير الدفاع")
    True
    >>> is_title_only("الرئيس بشار الأسد")
    False
    """
    words = _clean(text).split()
    return bool(words) and not strip_titles(words)


def canonical_name(
    text: str, label: str | None = None, *, keep_word: KeepWord | None = None
) -> str:
    """The canonical name of a mention.

    Args:
        text: The mention as it appears in the text.
        label: The entity label; for ``"PER"`` leading titles are removed as well.
        keep_word: Optional evidence against the segmenter: called with the first word and
            its stripped form, True keeps the word whole. The segmenter protects the names in
            its lexicon; a foreign name outside it ("بايرن", "لوكاس") can look like a clitic
            plus a stem, and the extractor knows more (name lists, the rest of the document).

    Returns:
        The cleaned name, or ``""`` when nothing name-like is left (e.g. a bare title).

    >>> canonical_name("وروسيا")
    'روسيا'
    >>> canonical_name("للكرملين")
    'الكرملين'
    >>> canonical_name("وزارة الدفاع الروسية", "ORG")
    'وزارة الدفاع الروسية'
    >>> canonical_name("والرئيس أحمد الشرع", "PER")
    'أحمد الشرع'
    """
    whole, first, stripped = _candidates(text, label)
    if stripped is None or (keep_word is not None and keep_word(first, stripped)):
        return whole
    return stripped + whole[len(first) :]


@lru_cache(maxsize=1 << 16)
def _candidates(text: str, label: str | None) -> tuple[str, str, str | None]:
    """The name with its first word kept, that word, and the word stripped of its proclitics
    (None when there is nothing to strip). Cached: a corpus names the same entities again and
    again, and only the keep-or-strip decision depends on the document."""
    words = _clean(text).split()
    # A clitic written apart ("و بوتين") or with a tatweel ("لـ بوتين") is its own token.
    while len(words) > 1 and len(words[0]) == 1:
        words = words[1:]
    if not words:
        return "", "", None
    if label == "PER":
        # Titles first: "وزير" must be read as a title, not as و + زير.
        untitled = strip_titles(words)
        if len(untitled) < len(words):
            return " ".join(untitled), "", None
    stripped = strip_proclitics(words[0], keep_article=True) or words[0]
    return " ".join(words), words[0], (stripped if stripped != words[0] else None)


def _is_stop(word: str) -> bool:
    return is_stop_word(word) or is_stop_word(strip_proclitics(word, keep_article=True) or word)


@lru_cache(maxsize=1 << 16)
def is_junk(text: str, label: str, canonical: str | None = None) -> bool:
    """True for model output that is not a name.

    Junk is: no letter at all (digits, punctuation), a single character, only stop words, a
    single ordinary word ("العاصمة", "الخميس"), or a person made only of titles and roles.

    >>> is_junk("في", "LOC"), is_junk("2024", "ORG"), is_junk("الرئيس الروسي", "PER")
    (True, True, True)
    >>> is_junk("دمشق", "LOC")
    False
    """
    name = canonical_name(text, label) if canonical is None else canonical
    words = name.split()
    if not words or not _HAS_LETTER.search(name) or len(name.replace(" ", "")) < 2:
        return True
    if all(_is_stop(w) for w in words):
        return True
    return len(words) == 1 and entity_key(words[0]) in COMMON_WORDS | _ROLE_WORDS
