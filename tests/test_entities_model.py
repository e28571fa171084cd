"""The entities API on the shipped NER model (skipped until the model is in the package)."""

from __future__ import annotations

import pytest

from arabnews_nlp.article import Article


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    model = pytest.importorskip("arabnews_nlp.entities.model")
    try:
        return model.load_ner()
    except (FileNotFoundError, OSError) as exc:  # the model files are not shipped yet
        pytest.skip(f"shipped NER model not available: {exc}")


ARTICLE = Article(
    title="وزير الخارجية المصري يزور بغداد لبحث التعاون مع العراق",
    body=(
        "وصل وزير الخارجية المصري سامح شكري إلى العاصمة العراقية بغداد صباح الثلاثاء، "
        "حيث التقى رئيس الوزراء العراقي محمد شياع السوداني وبحث معه ملفات الطاقة والنقل. "
        "وقال شكري في مؤتمر صحفي إن القاهرة وبغداد تعملان على ربط شبكتي الكهرباء، "
        "مشيراً إلى أن الجامعة العربية تدعم المشروع. وأضاف أن السوداني سيزور مصر قريباً."
    ),
)


def test_default_model_finds_people_and_places(nlp) -> None:  # type: ignore[no-untyped-def]
    from arabnews_nlp.entities import aggregate_entities, extract_entities

    entities = extract_entities(ARTICLE)
    for e in entities:
        assert ARTICLE.text[e.start : e.end] == e.text
        assert e.label in {"PER", "LOC", "ORG"}
        assert e.score is None or 0.0 <= e.score <= 1.0
    found = {(e.label, e.canonical) for e in entities}
    assert ("LOC", "بغداد") in found
    assert any(label == "PER" and "شكري" in name for label, name in found)
    summaries = aggregate_entities(entities)
    assert summaries[0].label in {"LOC", "PER"}
    assert all(s.canonical not in {"وزير الخارجية", "العاصمة"} for s in summaries)


def test_offsets_survive_noisy_input(nlp) -> None:  # type: ignore[no-untyped-def]
    from arabnews_nlp.entities import extract_entities

    text = "وصلَ الرئيسُ الفرنسيُّ إيمانويل\u200c ماكرون إلى بيـــروت\u00a0، والتقى ﺍﻟﺮﺋﻴﺲ اللبناني."
    entities = extract_entities(text, nlp=nlp)
    assert entities
    for e in entities:
        assert text[e.start : e.end] == e.text
    assert "بيروت" in {e.canonical for e in entities}


def test_batch_equals_single(nlp) -> None:  # type: ignore[no-untyped-def]
    from arabnews_nlp.entities import extract_entities, extract_entities_batch

    texts = ["استقبل الملك عبدالله الثاني في عمّان وفداً من اليابان", "لا شيء هنا", ARTICLE]
    assert list(extract_entities_batch(texts, nlp=nlp)) == [
        extract_entities(t, nlp=nlp) for t in texts
    ]
