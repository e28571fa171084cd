"""Explanations without stop words, and the confusion plot without touching global state."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from arabnews_nlp.sections import SectionClassifier, load_section_model
from arabnews_nlp.sections.evaluate import plot_confusion
from arabnews_nlp.tokenize import STOP_WORDS

# Every sports item says "بعد" and "خلال", no economy item does: a model that keeps stop
# words as features learns them as sports words.
SPORTS = [
    "بعد المباراة قال المدرب إن اللاعبين قدموا أداء كبيرا خلال الشوط الثاني",
    "سجل المهاجم هدفا بعد تمريرة طويلة خلال الدقائق الأولى من اللقاء",
    "تأهل المنتخب إلى النهائي بعد فوزه بركلات الترجيح خلال البطولة",
    "عاد الحارس إلى التدريبات بعد الإصابة خلال معسكر الفريق",
]
ECONOMY = [
    "ارتفعت أسعار النفط وتراجع الدولار في أسواق الصرف",
    "البنك المركزي يبقي سعر الفائدة دون تغيير لدعم النمو",
    "الشركة تعلن أرباحا فصلية أعلى من توقعات المحللين",
    "تراجعت البورصة مع بيع المستثمرين أسهم المصارف",
]


@pytest.fixture(scope="module")
def model() -> SectionClassifier:
    return SectionClassifier(min_df=1, C=1.0, stop_words=False, calibrate=False).fit(
        SPORTS + ECONOMY, ["sports"] * 4 + ["economy"] * 4
    )


def test_stop_words_are_features_but_never_explanations(model: SectionClassifier) -> None:
    article = "بعد المباراة هنأ المدرب اللاعبين خلال المؤتمر الصحفي"
    assert {"بعد", "خلال"} <= set(model.vocabulary_)
    terms = model.explain(article, k=10)
    assert terms, "the sports words should explain a sports prediction"
    assert not {t.term for t in terms} & {"بعد", "خلال"}
    assert all(t.stem not in STOP_WORDS for t in terms)
    assert {"مبارا", "مدرب"} <= {t.stem for t in terms}


def test_stop_words_dropped_from_features_by_default() -> None:
    clf = SectionClassifier(min_df=1, C=1.0, calibrate=False)
    clf.fit(SPORTS + ECONOMY, ["sports"] * 4 + ["economy"] * 4)
    assert not {"بعد", "خلال", "في", "من"} & set(clf.vocabulary_)
    assert clf.predict(["بعد المباراة سجل المهاجم هدفا"]).tolist() == ["sports"]


def test_explain_returns_k_terms_when_stop_words_are_skipped(model: SectionClassifier) -> None:
    article = SPORTS[0] + " " + SPORTS[1]
    assert len(model.explain(article, k=3)) == 3


def test_plot_confusion_keeps_the_backend_and_pyplot_state(tmp_path: Path) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    import matplotlib.pyplot as plt

    backend = matplotlib.get_backend()
    open_before = plt.get_fignums()
    path = tmp_path / "confusion.png"
    plot_confusion([[8, 2], [1, 9]], ["economy", "sports"], path, title="اختبار")
    assert matplotlib.get_backend() == backend
    assert plt.get_fignums() == open_before
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_models_saved_before_the_option_keep_their_stop_words(
    model: SectionClassifier, tmp_path: Path
) -> None:
    model.save(tmp_path)
    config_path = tmp_path / "config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    del config["params"]["stop_words"]  # as written by version 1 before the option existed
    config_path.write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
    loaded = SectionClassifier.load(tmp_path)
    assert loaded.stop_words is False
    article = "بعد المباراة هنأ المدرب اللاعبين"
    np.testing.assert_allclose(
        loaded.decision_function([article]), model.decision_function([article]), rtol=1e-6
    )


def test_shipped_model_explains_without_function_words() -> None:
    shipped = load_section_model()
    assert shipped.stop_words is True
    article = {
        "title": "المنتخب يتأهل إلى نهائي البطولة بعد فوز صعب",
        "body": "بعد مباراة مثيرة خلال الشوط الثاني سجل المهاجم هدف الفوز قبل نهاية اللقاء، "
        "ثم احتفل اللاعبون مع الجماهير في المدرجات.",
    }
    terms = shipped.explain(article, k=10)
    assert shipped.predict([article]).tolist() == ["sports"]
    assert len(terms) == 10
    assert not any(t.term in STOP_WORDS or t.stem in STOP_WORDS for t in terms)
