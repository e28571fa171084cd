"""Tokens, sentences, clitic segmentation and stop words on original Arabic text."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from arabnews_nlp.normalize import normalize
from arabnews_nlp.tokenize import (
    PROTECTED_WORDS,
    STOP_WORDS,
    Token,
    is_stop_word,
    segment_clitics,
    split_sentences,
    strip_proclitics,
    tokenize,
)

RESOURCES = Path(__file__).resolve().parents[1] / "src" / "arabnews_nlp" / "resources"


def kinds(text: str) -> list[tuple[str, str]]:
    return [(t.text, t.kind) for t in tokenize(text)]


# ---------------------------------------------------------------- tokens
def test_tokens_carry_offsets_into_the_text() -> None:
    text = "\u200fأعلنَ وزيرُ المالـــية، اليوم، عن ميزانية ٢٠٢٥."
    tokens = tokenize(text)
    assert all(text[t.start : t.end] == t.text for t in tokens)
    assert [t.text for t in tokens] == [
        "أعلنَ",
        "وزيرُ",
        "المالـــية",
        "،",
        "اليوم",
        "،",
        "عن",
        "ميزانية",
        "٢٠٢٥",
        ".",
    ]
    assert tokens[0] == Token("أعلنَ", 1, 6, "arabic")


def test_token_kinds_in_social_media_text() -> None:
    text = "تابعوا @ArabNews_24 و #الانتخابات_الرئاسية على https://example.org/a?b=1 😀👍🏽"
    assert kinds(text) == [
        ("تابعوا", "arabic"),
        ("@ArabNews_24", "mention"),
        ("و", "arabic"),
        ("#الانتخابات_الرئاسية", "hashtag"),
        ("على", "arabic"),
        ("https://example.org/a?b=1", "url"),
        ("😀", "emoji"),
        ("👍🏽", "emoji"),
    ]


def test_latin_numbers_and_punctuation() -> None:
    text = "Le Monde: 3.5% في 12:30 (1,200 جنيه)... ؟!"
    assert kinds(text) == [
        ("Le", "latin"),
        ("Monde", "latin"),
        (":", "punct"),
        ("3.5", "number"),
        ("%", "punct"),
        ("في", "arabic"),
        ("12:30", "number"),
        ("(", "punct"),
        ("1,200", "number"),
        ("جنيه", "arabic"),
        (")", "punct"),
        ("...", "punct"),
        ("؟", "punct"),
        ("!", "punct"),
    ]


def test_url_and_email_do_not_swallow_sentence_punctuation() -> None:
    text = "راسلونا على info@example.com أو زوروا www.example.org."
    assert kinds(text)[-4:] == [
        ("أو", "arabic"),
        ("زوروا", "arabic"),
        ("www.example.org", "url"),
        (".", "punct"),
    ]
    assert ("info@example.com", "url") in kinds(text)


def test_emoji_sequences_stay_whole() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"
    flag = "\U0001f1f5\U0001f1f8"
    keycap = "1\ufe0f\u20e3"
    assert kinds(f"{family} {flag}{keycap} ❤️") == [
        (family, "emoji"),
        (flag, "emoji"),
        (keycap, "emoji"),
        ("❤️", "emoji"),
    ]


def test_words_keep_marks_tatweel_and_zwnj_but_not_other_invisibles() -> None:
    assert kinds("مُحَمَّد جمـــيل می\u200cخواهم \u200f") == [
        ("مُحَمَّد", "arabic"),
        ("جمـــيل", "arabic"),
        ("می\u200cخواهم", "arabic"),
    ]


def test_other_scripts_and_symbols() -> None:
    assert kinds("Αθήνα © ■") == [("Αθήνα", "other"), ("©", "other"), ("■", "other")]
    assert kinds("") == []


# ---------------------------------------------------------------- sentences
def sentences(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_sentences_end_at_arabic_and_latin_punctuation() -> None:
    text = "هل انتهت الأزمة؟ لا أحد يعرف! لكن الحكومة متفائلة… وستعلن خطتها غدا."
    assert sentences(text) == [
        "هل انتهت الأزمة؟",
        "لا أحد يعرف!",
        "لكن الحكومة متفائلة…",
        "وستعلن خطتها غدا.",
    ]


def test_sentences_keep_closing_quotes_and_split_at_line_breaks() -> None:
    text = "قال الوزير: «سنبدأ غدا.» ثم غادر\nعنوان بلا نقطة\n\nفقرة ثالثة."
    assert sentences(text) == [
        "قال الوزير: «سنبدأ غدا.»",
        "ثم غادر",
        "عنوان بلا نقطة",
        "فقرة ثالثة.",
    ]


def test_dots_inside_numbers_urls_and_abbreviations_do_not_split() -> None:
    text = "استقبل د. سامي الوفد في U.S. Embassy. النمو 2.5% حسب www.example.org اليوم."
    assert sentences(text) == [
        "استقبل د. سامي الوفد في U.S. Embassy.",
        "النمو 2.5% حسب www.example.org اليوم.",
    ]


def test_no_sentences_in_blank_text() -> None:
    assert split_sentences("") == []
    assert split_sentences(" \n\u200f ") == []


# ---------------------------------------------------------------- clitics
@pytest.mark.parametrize(
    "name", ["بريطانيا", "لبنان", "باريس", "فلسطين", "كندا", "بغداد", "بيروت", "ليبيا", "فرنسا"]
)
def test_names_that_look_cliticized_stay_whole(name: str) -> None:
    assert segment_clitics(name).parts == (name,)
    assert strip_proclitics("و" + name) == name
    assert strip_proclitics("وب" + name) == name


@pytest.mark.parametrize(
    ("word", "parts", "article"),
    [
        ("وبالمدينة", ("و", "ب", "ال", "مدينة"), True),
        ("والكرملين", ("و", "الكرملين"), False),  # a lexical article is part of the name
        ("للرئيس", ("ل", "ل", "رئيس"), True),  # لل: the article lost its alef
        ("ولليبيا", ("و", "ل", "ليبيا"), False),
        ("فقال", ("ف", "قال"), False),
        ("وزير", ("وزير",), False),  # a protected common word
        ("بكتابهم", ("ب", "كتاب", "هم"), False),
        ("أريزونا", ("أريزونا",), False),  # "نا" after a long vowel is not a pronoun
        ("وَبِالمَدِينَةِ", ("وَ", "بِ", "ال", "مَدِينَةِ"), True),
        ("في", ("في",), False),  # stop words are not cut
        ("Paris", ("Paris",), False),
    ],
)
def test_segment_clitics(word: str, parts: tuple[str, ...], article: bool) -> None:
    seg = segment_clitics(word)
    assert seg.parts == parts
    assert "".join(seg.parts) == word
    assert seg.article is article


@pytest.mark.parametrize(
    ("word", "kept", "dropped"),
    [
        ("بموسكو", "موسكو", "موسكو"),
        ("وروسيا", "روسيا", "روسيا"),
        ("والكرملين", "الكرملين", "الكرملين"),
        ("بالعراق", "العراق", "العراق"),
        ("للرئيس", "الرئيس", "رئيس"),
        ("والمصري", "المصري", "مصري"),
        ("بإسرائيل", "إسرائيل", "إسرائيل"),
        ("وألمانيا", "ألمانيا", "ألمانيا"),
    ],
)
def test_strip_proclitics_for_canonical_names(word: str, kept: str, dropped: str) -> None:
    assert strip_proclitics(word) == kept
    assert strip_proclitics(word, keep_article=False) == dropped


@pytest.mark.parametrize("list_name", ["protected_names.txt", "protected_words.txt"])
def test_every_protected_entry_survives_a_conjunction(list_name: str) -> None:
    lines = (RESOURCES / list_name).read_text(encoding="utf-8").splitlines()
    entries = [w for w in (line.strip() for line in lines) if w and not w.startswith("#")]
    assert len(entries) > 300
    # Too short to cut (fewer than 3 letters) or a stop word with its و: left whole.
    entries = [w for w in entries if len(w) >= 3 and not is_stop_word("و" + w)]
    wrong = [w for w in entries if strip_proclitics("و" + w) != w]
    assert not wrong, wrong[:10]


def test_protected_words_are_in_search_form() -> None:
    assert "المانيا" in PROTECTED_WORDS  # ألمانيا
    assert all(normalize(w, "search") == w for w in PROTECTED_WORDS)


# ---------------------------------------------------------------- stop words
def test_stop_words_hold_surface_and_search_forms() -> None:
    assert isinstance(STOP_WORDS, frozenset)
    assert {"إلى", "الي", "على", "علي", "هذه", "هذا", "التي"} <= STOP_WORDS
    assert all(normalize(w, "search") in STOP_WORDS for w in STOP_WORDS)


def test_is_stop_word_normalizes_first() -> None:
    assert is_stop_word("إِلَى") and is_stop_word("الى") and is_stop_word("هٰذا")
    assert not is_stop_word("الحكومة")
    text = "أعلنت الحكومة في بيان أنها لن تغير خطتها"
    content = [t.text for t in tokenize(text) if not is_stop_word(t.text)]
    assert content == ["أعلنت", "الحكومة", "بيان", "تغير", "خطتها"]


def test_gazetteer_list_is_up_to_date(shared_dir: Path) -> None:
    # The build script lives in scripts/, outside the installed package.
    script = Path(__file__).resolve().parents[1] / "scripts" / "build_protected_names.py"
    spec = importlib.util.spec_from_file_location("build_protected_names", script)
    assert spec is not None and spec.loader is not None
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    gazetteer_names, protected_words = build.gazetteer_names, build.protected_words

    committed = (RESOURCES / "protected_names_gazetteer.txt").read_text(encoding="utf-8")
    listed = {line for line in committed.splitlines() if line and not line.startswith("#")}
    assert listed == protected_words(gazetteer_names(shared_dir))
