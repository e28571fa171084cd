"""RelatedIndex on a small original corpus: ranking, exclusions, filters, add/fit, persistence."""

from __future__ import annotations

import itertools
import json
import pickle

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from arabnews_nlp import Article, normalize
from arabnews_nlp.related import ArticleVectorizer, IndexState, RelatedIndex
from arabnews_nlp.tokenize import strip_proclitics

VISIT_BODY = (
    "وصل الرئيس السوري إلى العاصمة الروسية موسكو في زيارة رسمية يلتقي خلالها الرئيس الروسي "
    "في الكرملين لبحث العلاقات الثنائية والتعاون العسكري بين البلدين. وتأتي الزيارة بعد أشهر "
    "من المحادثات بين دمشق وموسكو حول مستقبل القواعد الروسية في الساحل السوري."
)

#: A smaller hash space than the default, as tests of a 13-article corpus can afford.
VEC = ArticleVectorizer(n_features=2**18)

CORPUS = [
    Article(
        id="visit",
        title="الرئيس السوري يصل إلى موسكو في زيارة رسمية",
        body=VISIT_BODY,
        section="politics",
        published="2024-10-15",
        meta={"entities": ["موسكو", "الكرملين", "دمشق"]},
    ),
    Article(
        id="military",
        title="دمشق وموسكو تبحثان التعاون العسكري وتعزيز التنسيق",
        body="بحث وفد عسكري روسي في دمشق مع مسؤولين سوريين آفاق التعاون العسكري بين البلدين "
        "ومستقبل القواعد الروسية في الساحل، وأكد الجانبان أهمية التنسيق المستمر بين دمشق وموسكو.",
        section="politics",
        published="2024-10-14",
        meta={"entities": [{"canonical": "دمشق", "label": "LOC"}, {"canonical": "موسكو"}]},
    ),
    Article(
        id="weather",
        title="انخفاض درجات الحرارة في سوريا وأمطار متفرقة",
        body="تشهد سوريا انخفاضا في درجات الحرارة مع فرص لهطول أمطار متفرقة على المناطق الساحلية "
        "والشمالية، وتنصح الأرصاد السائقين بالحذر على الطرق الجبلية.",
        section="weather",
        published="2024-10-15",
    ),
    Article(
        id="gold",
        title="أسعار الذهب ترتفع مع تراجع الدولار",
        body="ارتفعت أسعار الذهب في الأسواق العالمية اليوم مع تراجع الدولار الأمريكي، وقال محللون "
        "إن المستثمرين يتجهون إلى المعدن الأصفر بوصفه ملاذا آمنا.",
        section="economy",
        published="2024-10-10",
    ),
    Article(
        id="record",
        title="الدولار يتراجع والذهب يسجل مستوى قياسيا",
        body="سجل الذهب مستوى قياسيا جديدا مع استمرار تراجع الدولار أمام العملات الرئيسية، وسط "
        "توقعات بخفض أسعار الفائدة.",
        section="economy",
        published="2024-09-01",
    ),
    Article(
        id="football",
        title="المنتخب السوري يفوز على نظيره اللبناني في مباراة ودية",
        body="فاز المنتخب السوري لكرة القدم على نظيره اللبناني بهدفين مقابل هدف في مباراة ودية "
        "أقيمت في دمشق استعدادا للتصفيات الآسيوية.",
        section="sport",
        published="2024-10-12",
    ),
    Article(
        id="visit-wire",
        title="الرئيس السوري يصل موسكو في زيارة رسمية",
        body=VISIT_BODY + " (وكالات)",
        section="politics",
        published="2024-10-15",
    ),
    Article(
        id="bases-2023",
        title="موسكو تستضيف محادثات حول القواعد الروسية في سوريا",
        body="استضافت موسكو محادثات بين مسؤولين روس وسوريين حول مستقبل القواعد الروسية في سوريا "
        "والتعاون العسكري بين البلدين.",
        section="politics",
        published="2023-01-20",
    ),
    Article(
        id="oil",
        title="تراجع صادرات النفط الروسية",
        body="تراجعت صادرات النفط الروسية خلال الشهر الماضي بسبب العقوبات الغربية وانخفاض الطلب "
        "في الأسواق الآسيوية.",
        section="economy",
        published="2024-10-13",
    ),
    Article(
        id="ai",
        title="إطلاق منصة عربية للذكاء الاصطناعي في الإدارة الحكومية",
        body="أطلقت وزارة التنمية الإدارية منصة عربية تستخدم الذكاء الاصطناعي لتسريع المعاملات "
        "الحكومية وتحسين خدمة المواطنين.",
        section="technology",
        published="2024-10-11",
    ),
]
BY_ID = {a.id: a for a in CORPUS}


@pytest.fixture(scope="module")
def index() -> RelatedIndex:
    return RelatedIndex(VEC).fit(CORPUS)


def test_same_story_ranks_first_and_unrelated_below(index: RelatedIndex) -> None:
    res = index.query(BY_ID["visit"], k=5)
    assert res.ids[0] in {"military", "bases-2023"}
    pos = {rid: i for i, rid in enumerate(index.query(BY_ID["visit"], k=9).ids)}
    for unrelated in ("weather", "gold", "record", "football", "ai"):
        assert pos["military"] < pos[unrelated]
    assert [r.rank for r in res] == list(range(1, len(res) + 1))
    assert all(a.score >= b.score for a, b in itertools.pairwise(res))


def test_economy_story_finds_the_other_gold_story(index: RelatedIndex) -> None:
    assert index.query(BY_ID["gold"], k=1)[0].id == "record"


def test_text_query_is_matched_as_a_headline(index: RelatedIndex) -> None:
    res = index.query("ارتفاع أسعار الذهب وتراجع الدولار", k=2)
    assert res.query_id is None
    assert set(res.ids) == {"gold", "record"}


def test_excludes_itself_and_reports_wire_copy_as_duplicate(index: RelatedIndex) -> None:
    res = index.query(BY_ID["visit"], k=9)
    assert "visit" not in res.ids and "visit" not in [d.id for d in res.duplicates]
    assert [d.id for d in res.duplicates] == ["visit-wire"]
    assert "visit-wire" not in res.ids
    assert res.duplicates[0].score >= index.duplicate_threshold > res[0].score


def test_exclude_ids_and_max_duplicates(index: RelatedIndex) -> None:
    res = index.query(BY_ID["visit"], k=3, exclude_ids={"military"}, max_duplicates=0)
    assert "military" not in res.ids and res.duplicates == []


def test_date_window(index: RelatedIndex) -> None:
    res = index.query(BY_ID["visit"], k=9, within_days=30)
    assert "bases-2023" not in res.ids and "military" in res.ids
    assert "record" not in res.ids  # 44 days earlier
    for r in res:
        assert r.published is not None and r.published >= "2024-09-15"
    assert "bases-2023" in index.query(BY_ID["visit"], k=9).ids


def test_section_filters(index: RelatedIndex) -> None:
    res = index.query(BY_ID["visit"], k=9, sections={"economy"})
    assert res.ids and {r.section for r in res} == {"economy"}
    same = index.query(BY_ID["visit"], k=9, same_section=True)
    assert {r.section for r in same} == {"politics"}
    assert set(same.ids) == {"military", "bases-2023"}


def test_min_score(index: RelatedIndex) -> None:
    everything = index.query(BY_ID["visit"], k=9)
    cut = (everything[0].score + everything[1].score) / 2
    res = index.query(BY_ID["visit"], k=9, min_score=cut)
    assert res.ids == everything.ids[:1]
    assert index.query(BY_ID["visit"], k=9, min_score=0.99).ids == []


def _word_keys(text: str) -> set[str]:
    keys = set()
    for word in text.split():
        word = word.strip("،.,:()«»")
        keys.add(normalize(word))
        keys.add(normalize(strip_proclitics(word)))
    return keys


def test_explanations_are_real_shared_words(index: RelatedIndex) -> None:
    res = index.query(BY_ID["visit"], k=3)
    assert res[0].shared_terms, "the best match shares words"
    query_words = _word_keys(BY_ID["visit"].text)
    for r in res:
        cand_words = _word_keys(BY_ID[r.id].text)
        for term in r.shared_terms:
            key = normalize(term)
            assert key in query_words and key in cand_words, (r.id, term)
    military = next(r for r in res if r.id == "military")
    assert {"دمشق", "موسكو"} <= {normalize(strip_proclitics(t)) for t in military.shared_terms}
    assert military.shared_entities == ["موسكو", "دمشق"]
    assert "shared terms" in military.explanation
    record = military.to_dict()
    assert json.loads(json.dumps(record, ensure_ascii=False))["id"] == "military"


def test_entity_weight_blends_entity_overlap() -> None:
    plain = RelatedIndex(VEC).fit(CORPUS)
    blended = RelatedIndex(VEC, entity_weight=0.4).fit(CORPUS)
    p = {r.id: r.score for r in plain.query(BY_ID["visit"], k=9)}
    b = {r.id: r.score for r in blended.query(BY_ID["visit"], k=9)}
    # Sharing Moscow and Damascus lifts the military story; entity-less stories drop.
    assert b["military"] > p["military"]
    assert b["weather"] < p["weather"]


def test_entity_extractor_is_used_when_meta_has_none() -> None:
    calls: list[str] = []

    def extractor(doc: Article | str) -> list[str]:
        text = doc if isinstance(doc, str) else doc.text
        calls.append(text[:10])
        return [name for name in ("موسكو", "دمشق", "الذهب") if name in text]

    docs = [Article(id=a.id, title=a.title, body=a.body) for a in CORPUS]
    idx = RelatedIndex(VEC, entity_weight=0.3, entity_extractor=extractor).fit(docs)
    assert len(calls) == len(docs)
    top = idx.query(docs[0], k=1)[0]
    assert top.shared_entities and set(top.shared_entities) <= {"موسكو", "دمشق"}


@pytest.mark.parametrize("max_terms", [None, 300])
def test_add_equals_fit_on_the_union(max_terms: int | None) -> None:
    whole = RelatedIndex(VEC, max_terms=max_terms).fit(CORPUS)
    grown = RelatedIndex(VEC, max_terms=max_terms).fit(CORPUS[:4])
    grown.add(CORPUS[4:7]).add(CORPUS[7:])
    assert grown.ids_ == whole.ids_
    np.testing.assert_array_equal(grown.df_, whole.df_)
    for article in CORPUS:
        a, b = whole.query(article, k=5), grown.query(article, k=5)
        if max_terms is None:  # exact: same stored counts, same weights, same answers
            assert a.to_dict() == b.to_dict()
        else:  # earlier batches kept the terms that were best under the IDF of their time
            # (the two copies of the visit story may swap places, nothing else moves up)
            assert a.ids[0] in b.ids[:2] and b.ids[0] in a.ids[:2]
    if max_terms is None:
        assert (grown.matrix_ != whole.matrix_).nnz == 0


def test_add_rejects_known_ids(index: RelatedIndex) -> None:
    fresh = RelatedIndex(VEC).fit(CORPUS[:2])
    with pytest.raises(ValueError, match="already indexed"):
        fresh.add([CORPUS[0]])


def test_save_load_round_trip(index: RelatedIndex, tmp_path) -> None:
    path = index.save(tmp_path / "idx")
    assert sorted(p.name for p in path.iterdir()) == ["arrays.npz", "index.json"]
    with np.load(path / "arrays.npz", allow_pickle=False) as arrays:
        assert set(arrays.files) == {"data", "indices", "indptr", "shape", "df"}
    loaded = RelatedIndex.load(path)
    assert _flat_params(loaded) == _flat_params(index)
    assert (loaded.counts_ != index.counts_).nnz == 0
    for article in CORPUS:
        assert loaded.query(article, k=5).to_dict() == index.query(article, k=5).to_dict()


def _flat_params(index: RelatedIndex) -> dict:
    return {k: v for k, v in index.get_params(deep=True).items() if k != "vectorizer"}


def test_version_1_files_still_load(index: RelatedIndex, tmp_path) -> None:
    # Version 1 kept nine vectorizer parameters flat among the index's.
    path = index.save(tmp_path / "idx")
    meta = json.loads((path / "index.json").read_text(encoding="utf-8"))
    params = meta["params"]
    vectorizer = params.pop("vectorizer")
    for key in ("sublinear_tf", "profile"):
        vectorizer.pop(key)
    params.pop("batch_size")
    meta.update(version=1, params={**params, **vectorizer})
    (path / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    loaded = RelatedIndex.load(path)
    assert _flat_params(loaded) == _flat_params(index)
    assert loaded.query(BY_ID["visit"], k=3).ids == index.query(BY_ID["visit"], k=3).ids


def test_load_rejects_other_files(tmp_path) -> None:
    with pytest.raises(FileNotFoundError):
        RelatedIndex.load(tmp_path)
    (tmp_path / "index.json").write_text('{"format": "something-else"}', encoding="utf-8")
    with pytest.raises(ValueError, match="not a related index"):
        RelatedIndex.load(tmp_path)


def test_related_to_uses_stored_rows(index: RelatedIndex) -> None:
    by_id = index.related_to(["gold"], k=3)[0]
    assert by_id.query_id == "gold" and by_id.ids[0] == "record"
    with pytest.raises(KeyError):
        index.related_to(["missing"])


def test_all_pairs_topk_matches_brute_force(index: RelatedIndex) -> None:
    top = index.all_pairs_topk(k=3, exclude_duplicates=False)
    dense = (index.matrix_ @ index.matrix_.T).toarray()
    np.fill_diagonal(dense, -np.inf)
    expected = np.argsort(-dense, axis=1, kind="stable")[:, :3]
    np.testing.assert_array_equal(top.indices, expected)
    np.testing.assert_allclose(top.scores, np.take_along_axis(dense, expected, 1), rtol=1e-5)
    no_dups = index.all_pairs_topk(k=3)
    assert index.ids_.index("visit-wire") not in no_dups.indices[index.ids_.index("visit")]
    half = index.all_pairs_topk(k=3, exclude_duplicates=False, rows=slice(5, 10))
    np.testing.assert_array_equal(half.indices, expected[5:10])


def test_all_pairs_with_filters(index: RelatedIndex) -> None:
    top = index.all_pairs_topk(k=9, same_section=True, within_days=30)
    for row, found in enumerate(top.indices):
        for j in found[found >= 0]:
            assert index.sections_[j] == index.sections_[row]
            assert index.ids_[j] != "bases-2023"


def test_unfitted_index_raises() -> None:
    with pytest.raises(NotFittedError, match="not fitted"):
        RelatedIndex().query("نص")
    with pytest.raises(NotFittedError):
        RelatedIndex().matrix_  # noqa: B018


def test_index_is_a_scikit_learn_estimator(index: RelatedIndex) -> None:
    params = index.get_params(deep=True)
    assert params["vectorizer__n_features"] == 2**18 and params["max_terms"] == 300
    twin = clone(index)
    assert not hasattr(twin, "_state") and len(twin) == 0
    assert twin.get_params(deep=False).keys() == index.get_params(deep=False).keys()
    assert twin.vectorizer is not index.vectorizer  # cloned, not shared
    twin.set_params(vectorizer__n_features=2**16, max_terms=None)
    assert twin.n_columns == 2**16 + twin.entity_features
    assert twin.fit(CORPUS) is twin and twin.idf_.shape == (twin.n_columns,)
    assert twin.query(BY_ID["gold"], k=1).ids == index.query(BY_ID["gold"], k=1).ids
    assert index.vectorizer_.get_params()["ngram_range"] == (2, 5)


def test_with_state_builds_an_index_from_counts(index: RelatedIndex) -> None:
    state = IndexState.from_counts(CORPUS, index.vectorize(CORPUS), [[] for _ in CORPUS])
    built = clone(index).with_state(state)
    # Unpruned rows of the same articles: the same answers as an index with max_terms=None.
    exact = RelatedIndex(VEC, max_terms=None).fit(CORPUS)
    assert (built.matrix_ != exact.matrix_).nnz == 0
    with pytest.raises(ValueError, match="columns"):
        RelatedIndex(ArticleVectorizer(n_features=2**10)).with_state(state)


def test_a_pickled_index_answers_the_same(index: RelatedIndex) -> None:
    copy = pickle.loads(pickle.dumps(index))
    assert copy.query(BY_ID["visit"], k=3).to_dict() == index.query(BY_ID["visit"], k=3).to_dict()


def test_all_pairs_within_a_date_window_equals_the_filtered_search(index: RelatedIndex) -> None:
    from arabnews_nlp.related.filters import CandidateFilter
    from arabnews_nlp.related.topk import topk_blocks

    days = index.view_.days
    for window in (1.0, 30.0, 400.0):
        bounded = index.all_pairs_topk(k=4, exclude_duplicates=False, within_days=window)
        mask = CandidateFilter(window).mask(days, index.sections_, days, index.sections_)
        matrix = index.matrix_
        filtered = topk_blocks(matrix, matrix, 4, exclude_self=True, mask=mask)
        np.testing.assert_array_equal(bounded.indices, filtered.indices)
        np.testing.assert_array_equal(bounded.scores, filtered.scores)  # bit for bit
    half = index.all_pairs_topk(k=4, exclude_duplicates=False, within_days=30, rows=slice(3, 9))
    whole = index.all_pairs_topk(k=4, exclude_duplicates=False, within_days=30)
    np.testing.assert_array_equal(half.indices, whole.indices[3:9])


def test_date_bounded_query_walks_the_window_and_answers_as_the_filter(
    index: RelatedIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A query with ``within_days`` reads only the window's postings (in date order); the
    answers are those of the exact search over the whole index with the window as a filter."""
    from dataclasses import replace

    from arabnews_nlp.related import search
    from arabnews_nlp.related.topk import topk_blocks

    undated = [replace(a, id=f"{a.id}-undated", published=None) for a in CORPUS[:3]]
    grown = RelatedIndex(VEC, max_terms=40).fit([*CORPUS, *undated])
    queries = [*CORPUS, undated[0], replace(CORPUS[0], id="new", published="2024-10-01"), "موسكو"]
    options = [{"within_days": w, "explain": False} for w in (0.0, 1.0, 4.5, 30.0, 400.0)] + [
        {"within_days": 30, "sections": {"economy", "politics"}, "explain": False},
        {"within_days": 30, "same_section": True, "exclude_ids": {"military"}},
        {"within_days": 60, "min_score": 0.05, "max_duplicates": 1},
    ]

    def answers(idx: RelatedIndex, opts: dict) -> list[dict]:
        return [r.to_dict() for r in idx.query_many(queries, k=4, **opts)]

    def reference(view, vectors, docs, k, flt, min_score):  # the filtered exact search
        mask = search._mask(view, flt, docs)
        return topk_blocks(
            vectors, view.matrix, k, min_score=min_score, mask=mask, index_t=view.inverted
        )

    for idx in (index, grown):
        found = [answers(idx, opts) for opts in options]
        with monkeypatch.context() as patched:
            patched.setattr(search, "_dated_topk", reference)
            expected = [answers(idx, opts) for opts in options]
        assert found == expected  # scores bit for bit (floats compared exactly)
        assert any(r["results"] for r in found[3])
    assert index.view_.dated_postings.shape == (index.n_columns, len(index))
    assert grown.view_.dated_postings.shape == (grown.n_columns, len(CORPUS))  # undated: out
