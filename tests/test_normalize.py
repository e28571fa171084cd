"""Behaviour of every normalization step and profile on original Arabic text."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arabnews_nlp import NormalizedText, Normalizer, normalize
from arabnews_nlp.normalize import PROFILES, STEPS

# An original headline-like sentence with the usual web noise: RLM, NBSP, tatweel,
# tashkeel, Arabic-Indic digits and a presentation-form lam-alef.
NOISY = "\u200fأعلنَتْ وزارةُ\u00a0الصحـــة  عن ٣ إصابات جديدة ﻻ غير"


def test_profiles_are_named_and_complete() -> None:
    assert set(PROFILES) >= {"display", "search", "ner"}
    for steps in PROFILES.values():
        assert set(steps) <= set(STEPS)


def test_display_is_cleanup_only() -> None:
    assert normalize(NOISY, "display") == "أعلنَتْ وزارةُ الصحـــة عن ٣ إصابات جديدة لا غير"


def test_search_folds_for_matching() -> None:
    assert normalize(NOISY, "search") == "اعلنت وزاره الصحه عن 3 اصابات جديده لا غير"


def test_ner_keeps_latin_case() -> None:
    text = "قالت وكالة Reuters إن المبنى انهار"
    assert normalize(text, "ner") == "قالت وكاله Reuters ان المبني انهار"
    assert normalize(text, "search") == "قالت وكاله reuters ان المبني انهار"


@pytest.mark.parametrize(
    ("text", "step", "expected"),
    [
        ("كلمة\u200cمركبة\u200d", "remove_invisible", "كلمةمركبة"),
        ("\ufeffنص\u202b مضمن\u202c", "remove_invisible", "نص مضمن"),
        ("ﺍﻟﺴﻼﻡ", "fold_presentation_forms", "السلام"),
        ("سعر\u00a0الصرف\u2009اليوم", "normalize_spaces", "سعر الصرف اليوم"),
        ("سطر\r\nثان  \n\n ثالث", "normalize_spaces", "سطر\nثان\nثالث"),
        ("اَلْكِتَابُ", "remove_diacritics", "الكتاب"),
        ("هٰذا", "remove_diacritics", "هذا"),
        ("جميـــل", "remove_tatweel", "جميل"),
        ("أحمد وإيمان وآمنة وٱبن", "normalize_alef", "احمد وايمان وامنة وابن"),
        ("مستشفى", "normalize_alef_maksura", "مستشفي"),
        ("مدينة", "normalize_teh_marbuta", "مدينه"),
        ("مسؤول بيئي", "normalize_hamza", "مسوول بييي"),
        ("کتاب فارسی", "normalize_persian_letters", "كتاب فارسي"),
        ("دہلی کے ڪراچی ھو ۃ", "normalize_persian_letters", "دهلي كي كراچي هو ة"),
        ("عام ١٤٤٥ أو ۲۰۲۴", "normalize_digits", "عام 1445 أو 2024"),
        ("لماذا؟ نعم، ثم؛", "normalize_punctuation", "لماذا? نعم, ثم;"),
        ("رائعععع جداااا", "collapse_elongation", "رائع جدا"),
        ("UN Security Council", "lowercase", "un security council"),
        ("ا\u0654مل", "compose_arabic", "أمل"),
    ],
)
def test_each_step_alone(text: str, step: str, expected: str) -> None:
    # Only the step under test (plus space folding, which every example expects).
    off = {s: False for s in STEPS}
    off[step] = True
    off["normalize_spaces"] = True
    assert Normalizer("display", **off).normalize(text) == expected


def test_step_overrides_profile() -> None:
    assert normalize("مدرسةٌ", normalize_teh_marbuta=False) == "مدرسة"
    assert normalize("مدرسةٌ", "display", remove_diacritics=True) == "مدرسة"


def test_display_never_changes_letters_in_this_sentence() -> None:
    text = "إلى مستشفى المدينة"
    assert normalize(text, "display") == text


def test_elongation_collapses_only_runs_of_three() -> None:
    norm = Normalizer("search", collapse_elongation=True)
    assert norm("شدد") == "شدد"  # two identical letters are a real spelling
    assert norm("هههههه") == "ه"


def test_presentation_forms_fold_to_letters_and_phrases() -> None:
    assert normalize("\ufdf2", "display") == "الله"
    assert normalize("\ufdfc", "display") == "ريال"
    assert normalize("\ufe70", "search") == ""  # an isolated tanween is a diacritic


def test_lowercase_is_latin_only() -> None:
    assert normalize("ÉCOLE ΑΘΗΝΑ") == "école ΑΘΗΝΑ"


def test_empty_and_whitespace_only() -> None:
    for profile in PROFILES:
        assert normalize("", profile) == ""
        assert normalize(" \n\u200f\u00a0 ", profile) == ""


def test_rejects_non_strings() -> None:
    with pytest.raises(TypeError):
        normalize(b"bytes")  # type: ignore[call-overload]
    with pytest.raises(ValueError, match="unknown profile"):
        normalize("نص", "nonexistent")
    with pytest.raises(TypeError):
        normalize("نص", not_a_step=True)


# ---------------------------------------------------------------- offsets
def test_offsets_map_entities_back_to_original() -> None:
    original = "\u200fوصلَ الرئيـــسُ إلى موسكو صباحاً"
    nt = normalize(original, "search", return_offsets=True)
    assert isinstance(nt, NormalizedText)
    assert nt.text == normalize(original, "search")
    start = nt.text.index("الرئيس")
    s, e = nt.span_to_original(start, start + len("الرئيس"))
    assert original[s:e] == "الرئيـــسُ"
    start = nt.text.index("موسكو")
    s, e = nt.span_to_original(start, start + 5)
    assert original[s:e] == "موسكو"


def test_offsets_through_ligature_expansion() -> None:
    original = "ﷺ قال"
    nt = normalize(original, "display", return_offsets=True)
    assert nt.text == "صلى الله عليه وسلم قال"
    assert nt.offsets[: len("صلى الله عليه وسلم")] == (0,) * len("صلى الله عليه وسلم")
    s, e = nt.span_to_original(nt.text.index("قال"), len(nt.text))
    assert original[s:e] == "قال"


def test_offsets_through_space_folding_and_strip() -> None:
    original = "  أولاً \n\n  ثانياً  "
    nt = normalize(original, "search", return_offsets=True)
    assert nt.text == "اولا\nثانيا"
    assert nt.offsets[4] == original.index(" \n")
    assert nt.span_to_original(5, 10) == (original.index("ثانياً"), original.index("ثانياً") + 6)


def test_span_to_original_bounds() -> None:
    nt = normalize("مرحباً", return_offsets=True)
    assert nt.span_to_original(0, 0) == (0, 0)
    assert nt.span_to_original(len(nt), len(nt)) == (6, 6)
    with pytest.raises(IndexError):
        nt.span_to_original(3, 2)
    with pytest.raises(IndexError):
        nt.span_to_original(0, len(nt) + 1)


def test_offsets_path_matches_fast_path_on_sample_corpus(sample_path: Path) -> None:
    lines = sample_path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        record = json.loads(line)
        text = "\n".join(str(record.get(k) or "") for k in ("title", "lede", "body"))
        for profile in PROFILES:
            nt = normalize(text, profile, return_offsets=True)
            assert nt.text == normalize(text, profile)
            assert list(nt.offsets) == sorted(nt.offsets)


# ---------------------------------------------------------------- scikit-learn conventions
def test_normalizer_follows_sklearn_conventions() -> None:
    from sklearn.base import clone
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_pipeline

    norm = Normalizer("search", normalize_teh_marbuta=False)
    assert norm.get_params()["normalize_teh_marbuta"] is False
    twin = clone(norm)
    assert twin is not norm and twin.get_params() == norm.get_params()
    assert repr(norm) == "Normalizer('search', normalize_teh_marbuta=False)"

    docs = ["أعلنت الوزارةُ", "اعلنت الوزارة"]
    vec = TfidfVectorizer(preprocessor=Normalizer()).fit(docs)
    assert vec.get_feature_names_out().tolist() == ["اعلنت", "الوزاره"]
    pipe = make_pipeline(Normalizer(), TfidfVectorizer())
    assert pipe.fit_transform(docs).shape == (2, 2)


def test_set_params_recompiles() -> None:
    norm = Normalizer("search")
    assert norm("مدرسة") == "مدرسه"
    norm.set_params(normalize_teh_marbuta=False)
    assert norm("مدرسة") == "مدرسة"
    with pytest.raises(ValueError):
        norm.set_params(bogus=True)


def test_transform_keeps_order_and_validates() -> None:
    assert Normalizer("ner").fit_transform(["أَحمد", "Ali"]) == ["احمد", "Ali"]
    with pytest.raises(TypeError):
        Normalizer().transform(["نص", None])  # type: ignore[list-item]
