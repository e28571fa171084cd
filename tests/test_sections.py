"""SectionClassifier: learning, scores, explanations, persistence and taxonomy (original text)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from sklearn.base import clone

from arabnews_nlp import Article
from arabnews_nlp.sections import (
    TAXONOMY,
    ModelFormatError,
    SectionClassifier,
    WordVectors,
    display_name,
    load_section_model,
    map_label,
)
from arabnews_nlp.sections.evaluate import dedupe_labelled, leave_one_source_out, scores
from arabnews_nlp.sections.features import TermAnalyzer, TfidfSpace, _section_stem

# Our own short news items, three outlets per section so the model must generalize.
CORPUS = {
    "sports": [
        "فاز المنتخب الوطني على ضيفه بثلاثة أهداف في مباراة ودية على الملعب الأولمبي",
        "سجل المهاجم هدفين وقاد فريقه إلى صدارة الدوري بعد الجولة العاشرة",
        "أعلن المدرب قائمة اللاعبين المشاركين في بطولة كأس آسيا لكرة القدم",
        "تعادل الناديان سلبيا في قمة الدوري وسط حضور جماهيري كبير في المدرجات",
        "حارس المرمى تصدى لركلة جزاء في الدقيقة الأخيرة من المباراة",
        "اللاعب الدولي يوقع عقدا جديدا مع ناديه لثلاثة مواسم",
    ],
    "economy": [
        "ارتفعت أسعار النفط في الأسواق العالمية بعد قرار خفض الإنتاج",
        "البنك المركزي يرفع سعر الفائدة لمواجهة ارتفاع معدلات التضخم",
        "تراجعت مؤشرات البورصة وخسرت أسهم البنوك جزءا من قيمتها السوقية",
        "الحكومة تعلن موازنة العام المقبل بعجز أقل وإيرادات ضريبية أعلى",
        "الشركة تحقق أرباحا قياسية في الربع الثالث وترفع توزيعات المساهمين",
        "انخفضت قيمة العملة المحلية أمام الدولار وارتفعت أسعار الواردات",
    ],
    "culture": [
        "افتتح مهرجان السينما دورته الجديدة بعرض فيلم روائي طويل لمخرج شاب",
        "فازت الروائية بجائزة الأدب عن روايتها الأولى التي تروي سيرة عائلة",
        "أحيت المطربة حفلا غنائيا على المسرح الكبير وقدمت أغنيات من ألبومها",
        "يفتتح المتحف معرضا للفنون التشكيلية يضم لوحات لرسامين عرب",
        "الممثل يبدأ تصوير مسلسل درامي جديد يعرض في شهر رمضان",
        "معرض الكتاب يستقبل الزوار ودور النشر تطرح عناوين شعرية جديدة",
    ],
    "technology": [
        "أطلقت الشركة هاتفا ذكيا جديدا بكاميرا متطورة وبطارية تدوم يومين",
        "تحديث جديد لنظام التشغيل يسد ثغرات أمنية في التطبيقات",
        "باحثون يطورون شريحة ذكاء اصطناعي أسرع في معالجة البيانات",
        "منصة التواصل الاجتماعي تضيف ميزة لحماية خصوصية المستخدمين",
        "وكالة الفضاء تطلق قمرا صناعيا لرصد المناخ من المدار",
        "خدمة الإنترنت عبر الألياف الضوئية تصل إلى القرى النائية",
    ],
    "politics": [
        "التقى وزير الخارجية نظيره في العاصمة لبحث العلاقات الثنائية والأزمة الإقليمية",
        "صوت البرلمان على مشروع قانون الانتخابات بعد جلسة نقاش طويلة",
        "أعلن الرئيس تشكيل حكومة جديدة تضم عددا من الوزراء الشباب",
        "مجلس الأمن يعقد جلسة طارئة لبحث وقف إطلاق النار في المنطقة",
        "المعارضة تدعو إلى حوار وطني شامل قبل موعد الانتخابات الرئاسية",
        "السفير يسلم أوراق اعتماده ويؤكد دعم بلاده للحل السياسي",
    ],
}
DOCS = [text for texts in CORPUS.values() for text in texts]
LABELS = [label for label, texts in CORPUS.items() for _ in texts]
SOURCES = [f"outlet{i % 3}" for i in range(len(DOCS))]


@pytest.fixture(scope="module")
def fitted() -> SectionClassifier:
    return SectionClassifier(min_df=1, C=1.0).fit(DOCS, LABELS, sources=SOURCES)


def test_learns_its_training_set(fitted: SectionClassifier) -> None:
    assert fitted.classes_.tolist() == sorted(CORPUS)
    assert (fitted.predict(DOCS) == np.asarray(LABELS)).mean() == 1.0
    assert fitted.score(DOCS, LABELS) == 1.0


def test_generalizes_to_new_sentences(fitted: SectionClassifier) -> None:
    new = [
        "المهاجم يسجل هدف الفوز في الدقيقة التسعين",
        "أسعار الأسهم ترتفع في البورصة مع صعود النفط",
        "المطربة تطرح ألبوما غنائيا جديدا",
        "الشركة تطلق تطبيقا ذكيا لحماية البيانات",
        "وزير الخارجية يبحث الأزمة مع نظيره",
    ]
    assert fitted.predict(new).tolist() == [
        "sports",
        "economy",
        "culture",
        "technology",
        "politics",
    ]


def test_probabilities_are_calibrated_distributions(fitted: SectionClassifier) -> None:
    proba = fitted.predict_proba(DOCS[:4])
    assert proba.shape == (4, 5)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-6)
    assert fitted.temperature_ > 0
    margins = fitted.decision_function(DOCS[:4])
    assert (margins.argmax(axis=1) == proba.argmax(axis=1)).all()


def test_accepts_articles_dicts_and_labels_from_section() -> None:
    articles = [
        Article(title=text.split()[0], body=text, section=label, source=src)
        for text, label, src in zip(DOCS, LABELS, SOURCES, strict=True)
    ]
    clf = SectionClassifier(min_df=1, calibrate=False).fit(articles)  # labels from .section
    as_dicts = [{"title": a.title, "body": a.body} for a in articles]
    assert clf.predict(as_dicts).tolist() == clf.predict(articles).tolist()


def test_binary_model_has_one_row_per_class() -> None:
    docs = CORPUS["sports"] + CORPUS["economy"]
    clf = SectionClassifier(min_df=1).fit(docs, ["sports"] * 6 + ["economy"] * 6)
    assert clf.coef_.shape == (2, len(clf.vocabulary_))
    assert clf.predict(["هدف المهاجم في المباراة"]).tolist() == ["sports"]
    assert clf.predict_proba(["أسعار النفط والبورصة"])[0].argmax() == 0  # economy


def test_rejects_bad_training_input() -> None:
    with pytest.raises(ValueError, match="labels"):
        SectionClassifier().fit(DOCS, LABELS[:-1])
    with pytest.raises(ValueError, match="two different"):
        SectionClassifier().fit(DOCS[:2], ["sports", "sports"])
    with pytest.raises(ValueError, match="needs a label"):
        SectionClassifier().fit([Article(body="نص بلا قسم")] * 2)


def test_explain_names_the_words_that_decided(fitted: SectionClassifier) -> None:
    article = {"title": "هدف قاتل", "body": "سجل المهاجم هدفا في الدقيقة الأخيرة من المباراة"}
    terms = fitted.explain(article, k=3)
    assert 1 <= len(terms) <= 3
    assert all(t.weight > 0 for t in terms)
    assert [t.weight for t in terms] == sorted((t.weight for t in terms), reverse=True)
    # Surface forms come from the article, stems from the model's vocabulary.
    words = set(article["title"].split()) | set(article["body"].split())
    assert all(t.term in words and t.stem in fitted.vocabulary_ for t in terms)


def test_sklearn_conventions(fitted: SectionClassifier) -> None:
    params = fitted.get_params()
    assert params["C"] == 1.0 and params["word_vectors"] is None
    fresh = clone(fitted)
    assert not hasattr(fresh, "coef_")


def test_word_vectors_reach_unseen_words() -> None:
    # "كرة" never occurs in training; its vector sits on top of "هدف" (sports).
    terms = ["هدف", "بورص", "كر"]
    vectors = np.array([[1.0, 0.0], [0.0, 1.0], [0.95, 0.05]])
    wv = WordVectors(terms, vectors)
    docs = CORPUS["sports"] + CORPUS["economy"]
    labels = ["sports"] * 6 + ["economy"] * 6
    plain = SectionClassifier(min_df=1, calibrate=False).fit(docs, labels)
    with_vectors = SectionClassifier(
        min_df=1, calibrate=False, word_vectors=wv, vector_weight=2.0
    ).fit(docs, labels)
    assert "كر" not in plain.vocabulary_ and "كر" in with_vectors.vocabulary_
    sports = list(with_vectors.classes_).index("sports")
    margin = with_vectors.decision_function(["الكرة"])[0]
    assert margin[sports] > margin[1 - sports]


# ------------------------------------------------------------------ persistence
def test_save_load_round_trip_is_identical(fitted: SectionClassifier, tmp_path: Path) -> None:
    fitted.save(tmp_path / "m")
    loaded = SectionClassifier.load(tmp_path / "m")
    np.testing.assert_array_equal(loaded.predict_proba(DOCS), fitted.predict_proba(DOCS))
    assert loaded.get_params() == {**fitted.get_params(), "word_vectors": None}
    assert sorted(p.name for p in (tmp_path / "m").iterdir()) == [
        "config.json",
        "vocab.json",
        "weights.npz",
    ]


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda d: (d / "vocab.json").write_text('["x"]'), "checksum"),
        (lambda d: (d / "weights.npz").write_bytes(b"PK\x03\x04 not a zip"), "checksum"),
        (lambda d: (d / "config.json").write_text("{not json"), "not valid JSON"),
        (lambda d: (d / "weights.npz").unlink(), "missing weights.npz"),
    ],
)
def test_load_refuses_tampered_files(
    fitted: SectionClassifier, tmp_path: Path, damage, message: str
) -> None:
    fitted.save(tmp_path)
    damage(tmp_path)
    with pytest.raises(ModelFormatError, match=message):
        SectionClassifier.load(tmp_path)


def test_load_refuses_pickled_arrays_even_with_matching_checksum(
    fitted: SectionClassifier, tmp_path: Path
) -> None:
    import hashlib

    fitted.save(tmp_path)
    n = len(fitted.vocabulary_)
    np.savez(
        tmp_path / "weights.npz",
        coef=np.array([[object()] * n] * 5, dtype=object),
        intercept=np.zeros(5),
        idf=np.ones(n),
    )
    config = json.loads((tmp_path / "config.json").read_text())
    digest = hashlib.sha256((tmp_path / "weights.npz").read_bytes()).hexdigest()
    config["sha256"]["weights.npz"] = digest
    (tmp_path / "config.json").write_text(json.dumps(config))
    with pytest.raises(ModelFormatError, match="not a valid weights file"):
        SectionClassifier.load(tmp_path)


def test_load_refuses_wrong_format_and_shapes(fitted: SectionClassifier, tmp_path: Path) -> None:
    fitted.save(tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    (tmp_path / "config.json").write_text(json.dumps({**config, "format_version": 99}))
    with pytest.raises(ModelFormatError, match="format_version"):
        SectionClassifier.load(tmp_path)
    (tmp_path / "config.json").write_text(json.dumps({**config, "classes": ["a", "b"]}))
    with pytest.raises(ModelFormatError, match="shape"):
        SectionClassifier.load(tmp_path)
    with pytest.raises(ModelFormatError, match="not found"):
        SectionClassifier.load(tmp_path / "nowhere")


# ------------------------------------------------------------------ shipped model
SHIPPED_CASES = [
    (
        "الأهلي يتأهل إلى نهائي دوري الأبطال",
        "تأهل النادي الأهلي إلى المباراة النهائية بعد فوزه على منافسه بهدفين دون رد، "
        "وسجل المهاجم الهدف الثاني من ركلة حرة في الشوط الثاني وسط فرحة الجماهير.",
        "sports",
    ),
    (
        "البورصة تغلق على ارتفاع",
        "أغلقت البورصة جلسة اليوم على ارتفاع بدعم من أسهم البنوك والعقارات، وصعد المؤشر "
        "العام بنسبة واحد في المئة مع تحسن أسعار النفط وتدفق استثمارات أجنبية.",
        "economy",
    ),
    (
        "هاتف جديد بشاشة قابلة للطي",
        "كشفت شركة الإلكترونيات عن هاتف ذكي بشاشة قابلة للطي ومعالج أسرع وكاميرا ثلاثية، "
        "ويعمل بأحدث إصدار من نظام التشغيل مع تحديثات أمنية للتطبيقات.",
        "technology",
    ),
    (
        "وزير الخارجية يبحث الأزمة",
        "بحث وزير الخارجية مع نظيره في اتصال هاتفي تطورات الأزمة في المنطقة والجهود "
        "الدولية لوقف إطلاق النار، وأكد الجانبان أهمية الحل السياسي والمفاوضات.",
        "politics",
    ),
    (
        "مهرجان السينما يكرم مخرجة",
        "كرم مهرجان السينما المخرجة عن مجمل أعمالها، وعرض فيلمها الجديد في حفل الافتتاح "
        "بحضور نجوم الفن والممثلين والنقاد، قبل أن تحيي المطربة حفلا غنائيا.",
        "culture",
    ),
]


def test_shipped_model_classifies_obvious_articles() -> None:
    model = load_section_model()
    assert sorted(model.classes_.tolist()) == sorted(TAXONOMY)
    articles = [Article(title=t, body=b) for t, b, _ in SHIPPED_CASES]
    assert model.predict(articles).tolist() == [label for _, _, label in SHIPPED_CASES]
    proba = model.predict_proba(articles)
    assert (proba.max(axis=1) > 0.5).all()
    assert model is load_section_model()  # loaded once


def test_shipped_model_explains_a_sports_story() -> None:
    model = load_section_model()
    title, body, _ = SHIPPED_CASES[0]
    top = [t.stem for t in model.explain(Article(title=title, body=body), k=8)]
    assert {"مبارا", "هدف", "مهاجم"} & set(top)


# ------------------------------------------------------------------ pieces
def test_taxonomy_names_and_mapping() -> None:
    assert TAXONOMY == ("politics", "economy", "sports", "culture", "technology")
    assert [display_name(s) for s in TAXONOMY] == ["سياسة", "اقتصاد", "رياضة", "ثقافة", "تكنولوجيا"]
    assert map_label("middleEast") == map_label("internationalNews") == "politics"
    assert map_label("sport") == map_label("الرياضة".removeprefix("ال")) == "sports"
    assert map_label("Science & Technology") == "technology"
    assert map_label(None) is None and map_label("حوادث") is None


def test_section_stem_and_analyzer() -> None:
    assert _section_stem("والمنتخبات") == "منتخب"
    assert _section_stem("بالملعب") == "ملعب"
    assert _section_stem("2018") == "0000"
    assert _section_stem("في") == "في"  # too short to strip
    analyzer = TermAnalyzer(title_weight=2, max_body_chars=5)  # body cut to "المبا"
    assert analyzer({"title": "الأهداف", "lede": "", "body": "المباراة طويلة"}) == [
        "اهداف",
        "اهداف",
        "مبا",
    ]


def test_tfidf_space_rows_are_unit_length() -> None:
    space, counts = TfidfSpace.fit([["هدف", "هدف", "مرمي"], ["هدف", "سعر"]], min_df=1)
    rows = space.weight(counts).toarray()
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, rtol=1e-6)
    assert space.idf[space.index["هدف"]] < space.idf[space.index["سعر"]]
    with pytest.raises(ValueError, match="duplicate"):
        TfidfSpace(["a", "a"], np.ones(2))


def test_dedupe_policies() -> None:
    docs = ["قصة المونديال", "قصة المونديال", "خبر النفط", "خبر النفط", "خبر النفط", "نص ثالث"]
    labels = ["politics", "sports", "economy", "technology", "economy", "culture"]
    kept, got, dropped = dedupe_labelled(docs, labels)
    assert (kept, got, dropped) == (["قصة المونديال", "نص ثالث"], ["sports", "culture"], 1)
    kept, got, dropped = dedupe_labelled(docs, labels, policy="majority")
    assert got == ["economy", "culture"] and dropped == 1
    kept, got, dropped = dedupe_labelled(docs, labels, policy="drop")
    assert got == ["culture"] and dropped == 2


def test_scores_average_over_present_sections() -> None:
    report = scores(["sports", "sports", "economy"], ["sports", "culture", "economy"])
    assert report["accuracy"] == pytest.approx(2 / 3)
    assert report["macro_f1"] == pytest.approx((2 / 3 + 1.0) / 2)
    assert report["per_class"]["culture"]["support"] == 0


def test_leave_one_source_out_reports_every_fold() -> None:
    result = leave_one_source_out(
        lambda: SectionClassifier(min_df=1, calibrate=False), DOCS, LABELS, SOURCES
    )
    assert sorted(result["folds"]) == ["outlet0", "outlet1", "outlet2"]
    assert np.asarray(result["confusion"]).sum() == len(DOCS)
    assert 0.0 <= result["mean_macro_f1"] <= 1.0
