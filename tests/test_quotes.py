"""Quote attribution: the shapes of Arabic attribution, linking, resolution, the gold set."""

from __future__ import annotations

from pathlib import Path

import pytest

from arabnews_nlp import Article
from arabnews_nlp.entities import Entity
from arabnews_nlp.normalize import normalize
from arabnews_nlp.quotes import Quote, extract_quotes
from arabnews_nlp.quotes.evaluate import load_quote_gold, score_quotes
from arabnews_nlp.quotes.lexicon import cue_of

FIXTURES = Path(__file__).parent / "fixtures" / "quotes"


def _row(q: Quote) -> tuple[str | None, str, str, str]:
    return (q.speaker.text if q.speaker else None, q.cue.text, q.content.text, q.kind)


def _entity(text: str, whole: str, label: str, canonical: str | None = None) -> Entity:
    start = whole.index(text)
    return Entity(label, text, start, start + len(text), canonical or text)


def test_reported_speech_after_complementizer() -> None:
    text = "وقال الجيش اللبناني في بيان أمس إن وحداته انتشرت في البلدات الحدودية."
    [q] = extract_quotes(text)
    assert _row(q) == ("الجيش اللبناني", "وقال", "وحداته انتشرت في البلدات الحدودية", "reported")
    for span in (q.speaker, q.cue, q.content):
        assert span is not None and text[span.start : span.end] == span.text


def test_direct_quotes_colon_and_quote_first() -> None:
    text = "وقالت الوزيرة: «سنفتح المدارس الأسبوع المقبل». «الوضع تحسن كثيرا»، قال مدير المستشفى."
    assert [_row(q) for q in extract_quotes(text)] == [
        ("الوزيرة", "وقالت", "سنفتح المدارس الأسبوع المقبل", "direct"),
        ("مدير المستشفى", "قال", "الوضع تحسن كثيرا", "direct"),
    ]


def test_guillemets_around_a_title_are_not_a_quote() -> None:
    assert extract_quotes("وأقر المجلس «الخطة الوطنية للمياه» بالإجماع.") == []


def test_negation_prepositions_and_noun_phrase_content() -> None:
    [a, b, c] = extract_quotes(
        "ونفت الشركة أن تكون خسرت عقودها. وحذرت المنظمة من أن الأمراض تنتشر. "
        "وأعربت الأردن عن قلقها من التصعيد."
    )
    assert (a.negated, a.content.text) == (True, "تكون خسرت عقودها")
    assert (b.negated, b.speaker and b.speaker.text) == (False, "المنظمة")
    assert c.content.text == "قلقها من التصعيد"


def test_source_chain_and_attribution_after_the_content() -> None:
    [q] = extract_quotes("ونقلت صحيفة محلية عن مصدر في الشرطة قوله إن التحقيق انتهى.")
    assert q.speaker is not None and q.speaker.text == "مصدر في الشرطة"
    assert [s.text for s in q.sources] == ["صحيفة محلية"]
    [b] = extract_quotes("أصيب خمسة أشخاص في الانفجار، بحسب الدفاع المدني.")
    assert _row(b) == ("الدفاع المدني", "بحسب", "أصيب خمسة أشخاص في الانفجار", "reported")
    [c] = extract_quotes("وبحسب الشرطة، فإن السائق فر من المكان.")
    assert _row(c) == ("الشرطة", "وبحسب", "السائق فر من المكان", "reported")


def test_continuing_cues_take_the_previous_speaker() -> None:
    text = "قال وزير الزراعة إن الموسم جيد، مشيرا إلى أن الصادرات سترتفع. وأضاف أن الأسعار ستنخفض."
    quotes = extract_quotes(text)
    assert [(q.cue.text, q.resolved) for q in quotes] == [
        ("قال", None),
        ("مشيرا", "pronoun"),
        ("وأضاف", "pronoun"),
    ]
    assert {q.speaker.text for q in quotes if q.speaker} == {"وزير الزراعة"}
    assert quotes[0].content.text == "الموسم جيد"


def test_present_tense_cue_without_subject_is_no_quote() -> None:
    assert extract_quotes("جاء ذلك في ظل تصريحات تؤكد أن الانسحاب بدأ.") == []


def test_speakers_link_to_entities_and_roles_resolve() -> None:
    text = (
        "التقى الرئيس الروسي فلاديمير بوتين نظيره في موسكو. "
        "وقال الرئيس الروسي إن المحادثات كانت بناءة. وأعلن الكرملين أن الزيارة ستتكرر."
    )
    entities = [
        _entity("فلاديمير بوتين", text, "PER"),
        _entity("موسكو", text, "LOC"),
        _entity("الكرملين", text, "ORG"),
    ]
    role, org = extract_quotes(text, entities)
    assert (role.speaker_entity, role.speaker_label, role.resolved) == (
        "فلاديمير بوتين",
        "PER",
        "role",
    )
    assert (org.speaker_entity, org.speaker_label, org.resolved) == ("الكرملين", "ORG", None)


def test_role_with_two_candidates_stays_unresolved() -> None:
    text = "استقبل الوزير سامي خليل ثم الوزير علي حسن. وقال الوزير إن اللقاء كان مثمرا."
    entities = [_entity("سامي خليل", text, "PER"), _entity("علي حسن", text, "PER")]
    [q] = extract_quotes(text, entities)
    assert q.speaker_entity is None and q.resolved is None


def test_article_offsets_and_round_trip_dict() -> None:
    art = Article(title="بيان", body="وأكدت الوزارة أن الخدمة عادت.")
    [q] = extract_quotes(art)
    assert art.text[q.content.start : q.content.end] == "الخدمة عادت"
    d = q.to_dict()
    assert d["speaker"]["text"] == "الوزارة" and d["kind"] == "reported"


@pytest.mark.parametrize(
    ("name", "floor"),
    # The target is 0.80 on every split; the held-out files were not tuned on.
    [
        ("dev", 0.80),
        ("heldout", 0.80),
        ("dev-hard", 0.80),
        ("heldout-hard", 0.80),
        ("dev-wire", 0.80),
        ("heldout-wire", 0.80),
    ],
)
def test_gold_set_f1(name: str, floor: float) -> None:
    scores = score_quotes(load_quote_gold(FIXTURES / f"{name}.txt"))
    assert scores.f1 >= floor


def test_gold_set_size_and_cues() -> None:
    examples = [ex for path in FIXTURES.glob("*.txt") for ex in load_quote_gold(path)]
    quotes = [q for ex in examples for q in ex.quotes]
    assert len(quotes) >= 200
    lemmas = set()
    for ex in examples:
        for q in ex.quotes:
            found = cue_of(normalize(ex.text[q["cue"][0] : q["cue"][1]], profile="search"))
            if found:
                lemmas.add(found[0].lemma)
    assert len(lemmas) >= 15


def test_wire_style_speakers() -> None:
    rows = [
        _row(q)[:2]
        for q in extract_quotes(
            "وقال وزير الري، الدكتور علي حسين، خلال زيارة ميدانية، إن السد آمن. "
            "أما المحلل سامي نور فرأى أن الخطر قائم. "
            "وقال مدير المبيعات في شركة «الريان» للسيارات إن الطلب تراجع. "
            "وفي عمان، التقى وزير الصناعة وفدا تجاريا، وأكد أن التعاون سيتوسع."
        )
    ]
    assert rows == [
        ("وزير الري، الدكتور علي حسين", "وقال"),
        ("المحلل سامي نور", "فرأى"),
        ("مدير المبيعات في شركة «الريان» للسيارات", "وقال"),
        ("وزير الصناعة", "وأكد"),
    ]


def test_feminine_cue_does_not_continue_a_masculine_speaker() -> None:
    text = "قال الوزير إن الخطة جاهزة. وأضافت أن التنفيذ يبدأ غدا."
    first, second = extract_quotes(text)
    assert first.speaker is not None and second.speaker is None


def _speakers(text: str) -> list[str | None]:
    return [q.speaker.text if q.speaker else None for q in extract_quotes(text)]


def test_role_with_place_and_apposition_carries_to_continuation() -> None:
    text = (
        "وقال رئيس قسم الطوارئ في مستشفى الرازي، الطبيب وليد نعمان، إن الأسرّة امتلأت. "
        "وأضاف أن الأدوية تكفي أسبوعا."
    )
    full = "رئيس قسم الطوارئ في مستشفى الرازي، الطبيب وليد نعمان"
    assert _speakers(text) == [full, full]
    # A place after a national role is where it spoke, an adjunct noun never joins.
    assert _speakers("وقال وزير الخارجية الفرنسي في البرلمان إن باريس قلقة.") == [
        "وزير الخارجية الفرنسي"
    ]
    assert _speakers("وقال قائد الشرطة في بيان إن الطريق مغلق.") == ["قائد الشرطة"]
    assert _speakers("قال النائب عن دائرة صيدا إن الجلسة تأجلت.") == ["النائب عن دائرة صيدا"]


def test_clauses_after_the_speaker_are_not_appositions() -> None:
    assert _speakers("وقال مصدر عسكري، رفض ذكر اسمه، إن الهدنة صامدة.") == ["مصدر عسكري"]
    assert _speakers("وقالت وزيرة الثقافة، التي تزور تونس، إن المهرجان سيعود.") == ["وزيرة الثقافة"]
    # A name may still come before the relative clause, and a description with في inside.
    assert _speakers("أكد المنسق الأممي، يوهان لارسن، الذي يزور عدن، أن المساعدات وصلت.") == [
        "المنسق الأممي، يوهان لارسن"
    ]
    assert _speakers("وقال الحاج سالم، وهو تاجر في سوق الخضار، إن الأسعار نار.") == [
        "الحاج سالم، وهو تاجر في سوق الخضار"
    ]


def test_according_to_what_and_passive_transfer() -> None:
    [q] = extract_quotes("الامتحانات أجلت أسبوعا، وفق ما أعلنته وزارة التربية.")
    assert (q.speaker and q.speaker.text, q.content.text) == (
        "وزارة التربية",
        "الامتحانات أجلت أسبوعا",
    )
    [q] = extract_quotes("الميناء أغلق مؤقتا، بحسب ما نقلته قناة محلية عن مسؤول في الجمارك.")
    assert q.speaker is not None and q.speaker.text == "مسؤول في الجمارك"
    assert [s.text for s in q.sources] == ["قناة محلية"]
    [q] = extract_quotes("المطار استأنف رحلاته، حسبما ذكرت سلطة الطيران.")
    assert q.speaker is not None and q.speaker.text == "سلطة الطيران"
    [q] = extract_quotes("ونُقل عن مصدر دبلوماسي قوله إن السفير استدعي.")
    assert (q.speaker and q.speaker.text, q.content.text, q.sources) == (
        "مصدر دبلوماسي",
        "السفير استدعي",
        (),
    )


def test_outlets_acronyms_and_quila_stay_out_of_the_speaker() -> None:
    assert _speakers("وقال المحافظ لـ«النهار» إن الجسر سيفتتح قريبا.") == ["المحافظ"]
    assert _speakers('وقالت المغنية لـ"العربية.نت": "الحفل كان رائعا".') == ["المغنية"]
    assert _speakers("وقالت وكالة الأنباء التونسية (وات) إن الرئيس سافر.") == [
        "وكالة الأنباء التونسية (وات)"
    ]
    text = "وقال المدرب إن الفريق جاهز. وأضاف قائلا: «نريد اللقب»."
    assert _speakers(text) == ["المدرب", "المدرب"]


def test_contrasting_clause_ends_the_first_quote() -> None:
    text = "وقالت النقابة إن الإضراب ناجح، فيما قال الوزير إن المدارس مفتوحة."
    assert [(_row(q)[0], _row(q)[2]) for q in extract_quotes(text)] == [
        ("النقابة", "الإضراب ناجح"),
        ("الوزير", "المدارس مفتوحة"),
    ]


def test_definite_object_after_one_word_subject() -> None:
    # Gender disagreement marks the object; a nisba adjective stays in the subject.
    assert _speakers("ورفضت الحكومة الاتفاق، مؤكدة أنه يضر بالاقتصاد.") == ["الحكومة"]
    assert _speakers("وانتقدت الحكومة السورية القرار، معتبرة أنه متسرع.") == ["الحكومة السورية"]
