"""Exact chunked top-k, n-gram hashing, field-weighted vectors and the pair evaluation."""

from __future__ import annotations

import io

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import HashingVectorizer

from arabnews_nlp import Article, normalize
from arabnews_nlp.related import ArticleVectorizer
from arabnews_nlp.related.evaluate import evaluate_pairs, load_pairs
from arabnews_nlp.related.hashing import hash_ngrams, ngram_strings
from arabnews_nlp.related.topk import TopK, merge_topk, topk_blocks


def _random_rows(n: int, seed: int) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    m = sp.random(n, 60, density=0.15, random_state=rng, dtype=np.float32, format="csr")
    norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(1 / np.maximum(norms, 1e-9)) @ m, dtype=np.float32)


def _brute(q: sp.csr_matrix, x: sp.csr_matrix, k: int, offset: int) -> np.ndarray:
    dense = (q @ x.T).toarray().astype(np.float32)
    for i in range(dense.shape[0]):
        dense[i, offset + i] = -np.inf
    # Best first; ties by lower index, as topk_blocks breaks them.
    return np.lexsort((np.broadcast_to(np.arange(dense.shape[1]), dense.shape), -dense))[:, :k]


@pytest.mark.parametrize("chunk", [1, 7, 1000])
def test_topk_blocks_is_exact_for_any_chunk_size(chunk: int) -> None:
    x = _random_rows(120, 0)
    top = topk_blocks(x, x, 5, chunk_size=chunk, exclude_self=True)
    np.testing.assert_array_equal(top.indices, _brute(x, x, 5, 0))
    dense = (x @ x.T).toarray()
    np.testing.assert_allclose(top.scores, np.take_along_axis(dense, top.indices, 1), rtol=1e-5)
    assert np.all(np.diff(top.scores, axis=1) <= 0)


@settings(max_examples=25, deadline=None)
@given(n_q=st.integers(1, 30), n_x=st.integers(1, 40), k=st.integers(1, 8), seed=st.integers(0, 99))
def test_topk_blocks_property(n_q: int, n_x: int, k: int, seed: int) -> None:
    q, x = _random_rows(n_q, seed), _random_rows(n_x, seed + 1)
    top = topk_blocks(q, x, k, chunk_size=4)
    dense = (q @ x.T).toarray().astype(np.float32)
    for row, found, scores in zip(dense, top.indices, top.scores, strict=True):
        positive = np.sort(row[row > 0])[::-1][:k]  # nothing in common: never a result
        kept = found >= 0
        assert kept.sum() == len(positive)
        np.testing.assert_allclose(scores[kept], positive, rtol=1e-5)
        np.testing.assert_allclose(row[found[kept]], scores[kept], rtol=1e-5)
        assert np.all(found[~kept] == -1) and np.all(np.isneginf(scores[~kept]))


def test_min_score_and_mask() -> None:
    x = _random_rows(50, 3)
    top = topk_blocks(x, x, 10, exclude_self=True, min_score=0.2)
    valid = top.indices >= 0
    assert np.all(top.scores[valid] >= 0.2) and np.all(np.isinf(top.scores[~valid]))

    def no_even(rows: slice, cols: slice, scores: np.ndarray) -> None:
        assert scores.shape == (rows.stop - rows.start, cols.stop - cols.start)
        scores[:, ::2] = -np.inf

    masked = topk_blocks(x, x, 10, exclude_self=True, mask=no_even)
    assert np.all(masked.indices[masked.indices >= 0] % 2 == 1)


def test_block_wise_merge_equals_whole() -> None:
    x = _random_rows(90, 5)
    whole = topk_blocks(x, x, 6, exclude_self=True)
    parts = [
        topk_blocks(x, x[lo:hi], 6, exclude_self=True, self_offset=-lo).offset(lo)
        for lo, hi in ((0, 30), (30, 75), (75, 90))
    ]
    merged = merge_topk(parts, 6)
    np.testing.assert_array_equal(merged.indices, whole.indices)
    np.testing.assert_allclose(merged.scores, whole.scores)
    assert isinstance(merged, TopK) and len(merged) == 90


def test_shape_mismatch_is_an_error() -> None:
    with pytest.raises(ValueError, match="features"):
        topk_blocks(_random_rows(3, 0), sp.csr_matrix((4, 7), dtype=np.float32), 2)


TEXTS = [
    "وصل الرئيس السوري إلى موسكو في زيارة رسمية",
    "دمشق وموسكو تبحثان آفاق التعاون العسكري، وتعزيز التنسيق!",
    "سعر الذهب 2,350 دولارا للأوقية (ارتفاع 1.5%)",
    "و في ال",
]


@pytest.mark.parametrize("text", TEXTS)
def test_char_wb_ngrams_equal_scikit_learn(text: str) -> None:
    norm = normalize(text)
    sk = HashingVectorizer(analyzer="char_wb", ngram_range=(2, 5), lowercase=False)
    assert sorted(ngram_strings(norm, "char_wb", (2, 5))) == sorted(sk.build_analyzer()(norm))
    _, feats = hash_ngrams([norm], "char_wb", (2, 5), 2**20)
    assert len(feats) == len(ngram_strings(norm, "char_wb", (2, 5)))


def test_hashing_is_stable_across_processes() -> None:
    # Saved indexes depend on these values: a change here needs a new index format version.
    _, feats = hash_ngrams(["دمشق"], "char_wb", (3, 3), 2**20)
    assert feats.tolist() == [863759, 237762, 863851, 235044]
    _, words = hash_ngrams(["موسكو دمشق"], "word", (1, 2), 2**20)
    assert words.tolist() == [443431, 124586, 961261]


def test_hashing_batches_do_not_leak_ngrams_across_texts() -> None:
    owner, feats = hash_ngrams(["ابc", "دهو"], "char", (2, 3), 2**18)
    single = [hash_ngrams([t], "char", (2, 3), 2**18)[1] for t in ("ابc", "دهو")]
    assert sorted(feats[owner == 0]) == sorted(single[0])
    assert sorted(feats[owner == 1]) == sorted(single[1])
    with pytest.raises(ValueError, match="power of two"):
        hash_ngrams(["x"], "char", (2, 3), 1000)


def test_title_weighs_more_than_body_tail() -> None:
    vec = ArticleVectorizer(
        n_features=2**18, head_chars=20, sublinear_tf=False, title_weight=2.0, tail_weight=0.5
    )
    filler = " ".join(["كلام"] * 10)
    in_title = vec.transform([Article(title="موسكو", body=filler + " عادي")])
    in_tail = vec.transform([Article(title="عادي", body=filler + " موسكو")])
    moscow = vec.hash_text("موسكو")
    assert in_title[0, moscow].sum() == pytest.approx(2.0 * in_tail[0, moscow].sum() / 0.5)


def test_lede_that_repeats_the_body_is_counted_once() -> None:
    vec = ArticleVectorizer(n_features=2**18)
    body = "بدأت اليوم في الرياض أعمال القمة العربية بحضور القادة."
    with_copy = vec.transform([Article(title="قمة", lede=body, body=body)])
    without = vec.transform([Article(title="قمة", body=body)])
    assert (with_copy != without).nnz == 0


PAIRS = """s1,s2,stance
الذهب يرتفع مع تراجع الدولار,صعود الذهب وهبوط الدولار,agree
الذهب يرتفع مع تراجع الدولار,الذهب يتراجع مع صعود الدولار,disagree
أسعار الذهب تقفز,صعود الذهب وهبوط الدولار,agree
إغلاق مطار بيروت بسبب العاصفة,العاصفة تغلق مطار بيروت,agree
إغلاق مطار بيروت بسبب العاصفة,قمة خليجية في الرياض,other
"""


def test_load_pairs_story_and_pair_gold() -> None:
    story = load_pairs(io.StringIO(PAIRS), gold="story")
    pair = load_pairs(io.StringIO(PAIRS), gold="pair")
    assert story.pool == [
        "صعود الذهب وهبوط الدولار",
        "الذهب يتراجع مع صعود الدولار",
        "العاصفة تغلق مطار بيروت",
        "قمة خليجية في الرياض",
    ]
    assert story.queries == pair.queries
    gold_query = story.queries.index("أسعار الذهب تقفز")
    # Linked through "صعود الذهب..." to the other gold story: every gold headline counts.
    assert story.relevant[gold_query] == {0, 1} and pair.relevant[gold_query] == {0}
    airport = story.queries.index("إغلاق مطار بيروت بسبب العاصفة")
    assert story.relevant[airport] == {2}  # the "other" row is not a same-story pair


def test_evaluate_pairs_metrics() -> None:
    scores = evaluate_pairs(io.StringIO(PAIRS), vectorizer=ArticleVectorizer(n_features=2**16))
    assert scores["n_queries"] == 3 and scores["pool_size"] == 4
    assert scores["recall@1"] == 1.0 and scores["mrr"] == 1.0
    with pytest.raises(ValueError, match="s1,s2"):
        load_pairs(io.StringIO("a,b\nx,y\n"))


def test_ties_at_the_kth_place_go_to_the_lower_index_so_blocks_merge_exactly() -> None:
    from arabnews_nlp.related.topk import TopK, merge_topk, select_topk

    rng = np.random.default_rng(3)
    for _ in range(200):
        # Few distinct values: many exact ties (republished texts score the same).
        scores = rng.integers(0, 4, size=(4, 30)).astype(np.float32)
        k = int(rng.integers(1, 10))
        idx, _ = select_topk(scores, k)
        for row in range(4):
            expected = sorted(range(30), key=lambda j: (-scores[row, j], j))[:k]
            assert idx[row].tolist() == expected
        parts = [TopK(*select_topk(scores[:, a : a + 7], k)).offset(a) for a in range(0, 30, 7)]
        assert merge_topk(parts, k).indices.tolist() == idx.tolist()


def test_dense_product_kernels_match_the_public_product(monkeypatch) -> None:
    from arabnews_nlp.related import topk

    rng = np.random.default_rng(11)
    index = sp.random(300, 2000, density=0.02, format="csr", dtype=np.float32, random_state=rng)
    queries = index[:70]
    fast = topk_blocks(queries, index, 7, chunk_size=32, exclude_self=True)
    monkeypatch.setattr(topk._DenseProduct, "LIMIT", 4000)  # two kernel calls per chunk
    split = topk_blocks(queries, index, 7, chunk_size=32, exclude_self=True)
    monkeypatch.setattr(topk, "_kernels", None)  # scipy without the private kernels
    public = topk_blocks(queries, index, 7, chunk_size=32, exclude_self=True)
    for other in (split, public):
        assert other.indices.tolist() == fast.indices.tolist()
        assert other.scores.tobytes() == fast.scores.tobytes()  # bit for bit


def test_date_window_over_many_blocks_holds_only_the_blocks_near_the_window(monkeypatch):
    from arabnews_nlp.related import window
    from arabnews_nlp.related.filters import CandidateFilter

    rows = _random_rows(300, seed=7)
    days = np.random.default_rng(7).integers(0, 400, 300).astype(float)  # ties within a day
    days[[4, 50]] = np.nan  # undated rows neither ask nor answer
    built: list[int] = []
    live = [0, 0]  # blocks held now, most held at once

    class Counted(window._Block):
        def __init__(self, *args: object) -> None:
            super().__init__(*args)  # type: ignore[arg-type]
            built.append(int(self.rows[0]))
            live[0] += 1
            live[1] = max(live)

        def __del__(self) -> None:
            live[0] -= 1

    monkeypatch.setattr(window, "BLOCK_ROWS", 16)
    monkeypatch.setattr(window, "_Block", Counted)
    for within, most in ((0.0, 2), (10.0, 3), (45.0, 6)):
        built.clear()
        live[1] = 0
        found = window.windowed_topk(rows, days, 5, within, chunk_size=7, exclude_above=0.95)
        mask = CandidateFilter(within).mask(days, [None] * 300, days, [None] * 300)

        def cut(part: slice, cols: slice, scores: np.ndarray, mask=mask) -> None:
            mask(part, cols, scores)
            scores[scores >= 0.95] = -np.inf

        filtered = topk_blocks(rows, rows, 5, exclude_self=True, mask=cut)
        filtered.indices[[4, 50]], filtered.scores[[4, 50]] = -1, -np.inf
        np.testing.assert_array_equal(found.indices, filtered.indices)
        np.testing.assert_array_equal(found.scores, filtered.scores)  # bit for bit
        assert len(built) == len(set(built)) == 19  # 298 dated rows: each block built once
        assert live[1] <= most  # ~21 days a block: those of one window, not all 19
