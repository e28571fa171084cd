"""The words quote attribution turns on: reporting cues and the words that end a speaker.

Everything is stored ``search``-folded (one alef, ي for ى, ه for ة, no diacritics), the form the
extractor matches, and looked up with a leading conjunction (و/ف) stripped when needed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from arabnews_nlp.normalize import normalize

__all__ = ["Cue", "cue_of", "cue_pattern", "fold_set"]


@dataclass(frozen=True)
class Cue:
    """A reporting cue: its lemma, its kind and whether it denies what follows.

    ``kind`` is ``"verb"`` (قال), ``"participle"`` (مشيرا, after a comma, same speaker),
    ``"nominal"`` (بحسب, وفق: the source comes after the cue) or ``"transfer"`` (نقلت ... عن).
    """

    lemma: str
    kind: str
    negated: bool = False
    imperfect: bool = False
    gender: str = ""  # "m", "f", "p" (plural or dual), or "" (nominal)


def _fold(word: str) -> str:
    return normalize(word, profile="search")


def fold_set(words: str) -> frozenset[str]:
    """A set of folded words from a space-separated string."""
    return frozenset(_fold(w) for w in words.split())


# Perfect verbs: masculine, feminine, plural and dual forms are generated (قال قالت قالوا قالا).
_VERBS = (
    "قال أكد أوضح أشار أعلن صرح حذر أضاف تابع ذكر أفاد كشف شدد اعتبر لفت زعم أقر اعترف أعرب "
    "أردف استطرد أبلغ نوه"
)
# Verbs whose forms are irregular (weak final letter) and imperfect forms, listed whole.
_FORMS = {
    "نفى": "نفى نفت نفوا نفيا ينفي تنفي ينفون",
    "رأى": "رأى رأت رأوا يرى ترى يرون",
    "ادعى": "ادعى ادعت ادعوا يدعي تدعي",
    "قال": "يقول تقول يقولون تقولون بالقول",
    "أكد": "يؤكد تؤكد يؤكدون",
    "أشار": "يشير تشير يشيرون",
    "اعتبر": "يعتبر تعتبر يعتبرون",
    "أضاف": "يضيف تضيف",
    "أوضح": "يوضح توضح",
    "حذر": "يحذر تحذر يحذرون",
}
_PARTICIPLES = {
    "أشار": "مشيرا مشيرة مشيرين",
    "أضاف": "مضيفا مضيفة مضيفين",
    "أكد": "مؤكدا مؤكدة مؤكدين",
    "أوضح": "موضحا موضحة موضحين",
    "لفت": "لافتا لافتة لافتين",
    "حذر": "محذرا محذرة محذرين",
    "اعتبر": "معتبرا معتبرة معتبرين",
    "شدد": "مشددا مشددة مشددين",
    "أعرب": "معربا معربة معربين",
    "نوه": "منوها منوهة",
    "تابع": "متابعا متابعة",
    "نفى": "نافيا نافية نافين",
}
_NOMINAL = "بحسب حسب وفق وفقا طبقا نقلا حسبما وحسبما"
_TRANSFER = "نقل نقلت نقلوا"
_NEGATED = frozenset({"نفى"})


def _gender(form: str, lemma: str, imperfect: bool) -> str:
    """Grammatical gender of a listed verb form: ت- (imperfect) or -ت (perfect) is feminine."""
    if form.startswith("بال"):
        return ""  # بالقول: a verbal noun, any speaker
    if form.endswith(("ون", "وا")) or (form.endswith("ا") and not imperfect and lemma[-1] != "ى"):
        return "p"
    if imperfect:
        return "f" if form.startswith("ت") else "m"
    return "f" if form.endswith("ت") and not lemma.endswith("ت") else "m"


@lru_cache(maxsize=1)
def _cues() -> dict[str, Cue]:
    out: dict[str, Cue] = {}
    for lemma in _VERBS.split():
        for suffix, gender in (("", "m"), ("ت", "f"), ("وا", "p"), ("ا", "p")):
            out[_fold(lemma + suffix)] = Cue(_fold(lemma), "verb", gender=gender)
    for lemma, forms in _FORMS.items():
        for form in forms.split():
            imperfect = form[0] in "يت" and not lemma.startswith(form[0])
            gender = _gender(form, lemma, imperfect)
            out[_fold(form)] = Cue(_fold(lemma), "verb", lemma in _NEGATED, imperfect, gender)
    for lemma, forms in _PARTICIPLES.items():
        for form in forms.split():
            gender = "f" if form.endswith("ة") else "m" if form.endswith("ا") else "p"
            out[_fold(form)] = Cue(_fold(lemma), "participle", lemma in _NEGATED, gender=gender)
    for form in _NOMINAL.split():
        out[_fold(form)] = Cue(_fold(form), "nominal")
    for form in _TRANSFER.split():
        out[_fold(form)] = Cue("نقل", "transfer")
    return out


@lru_cache(maxsize=1)
def cue_pattern() -> re.Pattern[str]:
    """A regex matching every cue word (with a leading و/ف) of a folded text."""
    forms = sorted(_cues(), key=len, reverse=True)
    return re.compile(r"(?<!\w)[وف]?(?:" + "|".join(map(re.escape, forms)) + r")(?!\w)")


def cue_of(token: str) -> tuple[Cue, int] | None:
    """The cue a folded token is, and how many clitic letters precede it (وقال: 1)."""
    cues = _cues()
    if token in cues:
        return cues[token], 0
    if len(token) > 3 and token[0] in "وف" and token[1:] in cues:
        return cues[token[1:]], 1
    return None


#: Complementizers after which reported content starts (أن, إن, بأن, فإن, with pronouns).
COMPLEMENTIZERS = fold_set(
    "أن إن أنه أنها أنهم أنهما أننا أنني أني أنهن بأن بأنه بأنها بأنهم بأنهما بأننا "
    "فإن فإنه فإنها فإنهم وأن وإن"
)
#: Prepositions that may stand between the speaker and the complementizer (أشار إلى أن).
PREPOSITIONS = fold_set("إلى من على عن")
#: Words that start an adjunct, not part of the speaker (في بيان, خلال, لوكالة...).
SPEAKER_STOPS = fold_set(
    "في خلال عبر أمام لدى أثناء عقب بعد قبل منذ إلى على عن من ب مع حول بشأن "
    "للصحفيين للصحافيين للصحافة للإعلام لوسائل لوكالة لصحيفة لقناة لموقع لتلفزيون للتلفزيون "
    "لإذاعة للإذاعة لرويترز لفرانس لمراسلنا لمراسل لشبكة لمحطة لمراسلة "
    "أمس اليوم غدا مساء صباح ليل فجر ظهر يوم الاثنين الإثنين الثلاثاء الأربعاء الخميس "
    "الجمعة السبت الأحد أيضا كذلك بدوره بدورها قوله قولها قولهم قولهما وقال الليلة "
    "ل قائلا قائلة قائلين"  # لـ«الشرق الأوسط» (the tatweel folds away); وأضاف قائلا:
)
#: Heads that take a place or body after them inside the speaker (مصدر في الشرطة).
GENERIC_HEADS = fold_set(
    "مصدر مصادر مسؤول مسؤولة مسؤولون مسؤولين مسؤولو عضو أعضاء قيادي قياديون نائب النائب "
    "ناشط ناشطون خبير خبراء ضابط موظف باحث أستاذ مصدرا مدير"
)
#: Heads of a national role: after their nationality (رئيس الوزراء البريطاني) a "في" phrase is
#: where they spoke (في مجلس العموم), not part of the role.
NATIONAL_HEADS = fold_set("رئيس وزير رئيسة وزيرة سفير سفيرة ملك أمير")
#: Heads a district may follow inside the speaker with عن (النائب عن محافظة البصرة).
DEPUTY_HEADS = fold_set("نائب النائب عضو أعضاء")
#: Stems of the nouns "في" starts an adjunct with, not a place inside the speaker: «قال وزير
#: الخارجية في بيان» vs «قال قائد الشرطة في المدينة».
ADJUNCT_STEMS = tuple(
    fold_set(
        "بيان تصريح مؤتمر كلم حديث مقابل لقاء اتصال رسال ختام أعقاب خطاب جلس اجتماع ندو "
        "تغريد منشور تدوين مقال رد سياق أثناء معرض إطار وقت حين ظل مستهل بداي نهاي زيار جول "
        "ورش منتدى حفل افتتاح تقرير برنامج قمة"
    )
)
#: Words that open a clause set off by commas after a speaker, not a name in apposition:
#: «رئيس الحكومة، الذي يزور الرباط،», «مسؤول، رفض الكشف عن هويته،».
CLAUSE_APPOSITIONS = fold_set(
    "الذي التي الذين اللذان اللتان طلب طلبت رفض رفضت فضل فضلت اشترط اشترطت تحدث تحدثت "
    "كان كانت وكان وكانت"
)
#: Words before which a cue form is a verbal noun: «رفض ذكر اسمه», «عدم ذكر».
VERBAL_NOUN_GOVERNORS = fold_set("رفض رفضت فضل فضلت طلب طلبت عدم دون بعد قبل")
#: Words that, with a reporting cue right after, start a contrasting clause inside reported
#: content: «إن الميزانية أقرت، فيما قالت المعارضة ...».
CONTRAST_OPENERS = fold_set("فيما بينما وبينما حين")
#: Words that start a list, not a name, after a comma («منظمات، بينها الجمعية...»).
LIST_STARTS = fold_set("بينها بينهم منها منهم ومنها ومنهم بما خاصة")
#: Verbs that start like a definite noun (التقى), so a clause may start with them.
AL_VERBS = fold_set("التقى التقت التقوا التزم التزمت التحق التحقت")
#: Nouns a quoted name may follow inside a speaker (شركة «الأفق», جامعة «محمد الخامس»).
INSTITUTIONS = fold_set(
    "شركة جامعة مجموعة بنك مصرف حزب صحيفة قناة وكالة مؤسسة منظمة جمعية نادي مركز معهد "
    "موقع حركة تحالف مجلس هيئة اتحاد مجلة إذاعة"
)
#: Heads that take "إلى" + a place inside the speaker (المبعوث الأممي إلى اليمن).
ENVOY_HEADS = fold_set("مبعوث موفد سفير مندوب ممثل")
#: Words that make a speaker a role that an earlier full name may explain (الرئيس الروسي).
ROLE_HEADS = fold_set(
    "الرئيس رئيس الوزير وزير المتحدث الناطق الأمين السفير المبعوث الملك الأمير ولي قائد "
    "مدير المدير محافظ المحافظ نائب زعيم رئيسة الوزيرة المستشار"
)
#: Verbs of saying proper: the only ones a quotation mark may follow without a colon.
SAYING = fold_set("قال أضاف تابع أردف استطرد")
#: Pronouns that put a cue inside a relative clause (الذي أكد فيه الجانبان).
RESUMPTIVE = fold_set("فيه فيها خلاله خلالها عنه عنها")
#: Words after which a new clause (and its own subject) starts: «في حين أبدت منظمات...».
CLAUSE_OPENERS = fold_set("حين فيما بينما حيث")
#: Sentence-initial adverbials skipped to reach the verb («وفي بروكسل، اكتفى متحدث...»).
ADVERBIAL_STARTS = fold_set("في وفي ومن من وعلى على وخلال خلال وبعد بعد وفي وعقب عقب")
SOURCE_WORDS = fold_set("قوله قولها قولهم قولهما")
OPENERS = frozenset('«“"')
CLOSERS = {"«": "»", "“": "”", '"': '"'}
COMMAS = frozenset({"،", ","})
