"""The related index's candidate search (``ClusterSearch``): exact where it is exhaustive (small
corpora: analyze's output is the exact path's, byte for byte), and where it is not, every
answer is an exact score and the loss of recall against the exact search is bounded."""

from __future__ import annotations

from itertools import islice

import numpy as np
import pytest
from sklearn.base import clone

from arabnews_nlp.corpus import read_articles
from arabnews_nlp.pipeline import RunOptions, run_analysis
from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
from arabnews_nlp.related.clusters import ClusterSearch
from arabnews_nlp.related.evaluate import topk_recall


def _check_exact_scores(index: RelatedIndex, top_indices: np.ndarray, top_scores: np.ndarray):
    """Every pair returned carries the score the full product gives it."""
    full = (index.matrix_ @ index.matrix_.T).toarray()
    for row, (cols, scores) in enumerate(zip(top_indices, top_scores, strict=True)):
        kept = cols >= 0
        np.testing.assert_allclose(scores[kept], full[row, cols[kept]], rtol=1e-6, atol=1e-7)


@pytest.fixture(scope="module")
def sample_articles(sample_path):
    return list(read_articles(sample_path))


def test_small_corpora_use_the_exact_search(tmp_path, sample_path, sample_articles):
    index = RelatedIndex().fit(sample_articles)
    assert index.view_.clusters is None  # 44 articles: one cluster, every probe covers it
    # Below min_rows (50,000 by default) the exact search runs, whatever the clusters.
    small = RelatedIndex(candidates=ClusterSearch(rows_per_cluster=6, n_probe=3))
    assert small.fit(sample_articles).view_.clusters is None
    default, exact = tmp_path / "default.jsonl", tmp_path / "exact.jsonl"
    run_analysis([sample_path], default, RunOptions(progress=False))
    run_analysis([sample_path], exact, RunOptions(progress=False, related_exact=True))
    assert default.read_bytes() == exact.read_bytes()
    assert b'"related": [{"id"' in default.read_bytes()


def test_candidate_search_scores_exactly_and_keeps_most_neighbours(sample_articles):
    # Clusters of ~6 articles, 3 probed of 7: the search is not exhaustive here.
    search = ClusterSearch(
        n_components=8, rows_per_cluster=6, n_probe=3, sample_size=64, min_rows=0
    )
    index = RelatedIndex(ArticleVectorizer(n_features=2**18), candidates=search)
    index.fit(sample_articles)
    clusters = index.view_.clusters
    assert clusters is not None and clusters.n_clusters_ == 7
    found = index.all_pairs_topk(5)
    exact = index.all_pairs_topk(5, exact=True)
    _check_exact_scores(index, found.indices, found.scores)
    recall = topk_recall(found.indices, exact.indices)
    assert 0.6 <= recall < 1.0
    # Each article still meets the whole cluster it sits in and the nearest others.
    assert all(clusters.labels_[i] in clusters.probes(index.matrix_[i])[0] for i in range(44))
    # Queries by id and by article take the same path, with the same answers.
    ids = [a.id for a in sample_articles[:5]]
    by_id = [r.ids for r in index.related_to(ids, k=5, explain=False)]
    assert by_id == [r.ids for r in index.query_many(sample_articles[:5], k=5, explain=False)]
    # Filters always run the exact search.
    within = index.query(sample_articles[0], k=5, sections={sample_articles[0].section or ""})
    assert (
        within.ids
        == index.query(
            sample_articles[0], k=5, sections={sample_articles[0].section or ""}, exact=True
        ).ids
    )


def test_projection_in_blocks_gives_the_same_points_and_clusters(sample_articles):
    index = RelatedIndex(ArticleVectorizer(n_features=2**18)).fit(sample_articles)
    params = {"n_components": 8, "rows_per_cluster": 6, "n_probe": 3, "sample_size": 64}
    whole = ClusterSearch(**params, min_rows=0).fit(index.matrix_)
    blocks = ClusterSearch(**params, min_rows=0)
    blocks.project_rows = 5  # 44 rows projected 5 at a time, in the fit too
    blocks.fit(index.matrix_)
    assert whole.project(index.matrix_).tobytes() == blocks.project(index.matrix_).tobytes()
    assert whole.centroids_.tobytes() == blocks.centroids_.tobytes()
    assert whole.labels_.tolist() == blocks.labels_.tolist()


def test_candidate_parameters_are_estimator_parameters(tmp_path, sample_articles):
    index = RelatedIndex(candidates=ClusterSearch(n_probe=4, rows_per_cluster=8, min_rows=0))
    params = index.get_params(deep=True)
    assert params["candidates__n_probe"] == 4
    assert clone(index).candidates.rows_per_cluster == 8
    index.fit(sample_articles)
    loaded = RelatedIndex.load(index.save(tmp_path / "idx"))
    assert loaded.candidates.get_params() == index.candidates.get_params()
    assert loaded.all_pairs_topk(3).indices.tolist() == index.all_pairs_topk(3).indices.tolist()


@pytest.mark.shared
def test_bounded_recall_loss_on_news_articles(shared_dir):
    """2,000 ANT articles in ~16 clusters, 4 probed: recall of the exact top-10 and of the
    near-duplicates (cosine >= 0.8) against the exact search."""
    ant = shared_dir / "data" / "news" / "ant-v2.1-four-outlets.tar.xz"
    articles = list(islice(read_articles(ant), 2000))
    search = ClusterSearch(rows_per_cluster=128, n_probe=4, min_rows=0)
    index = RelatedIndex(candidates=search).fit(articles)
    assert index.view_.clusters is not None
    found = index.all_pairs_topk(10)
    exact = index.all_pairs_topk(10, exact=True)
    recall = topk_recall(found.indices, exact.indices)
    assert recall >= 0.8, recall
    _check_exact_scores(index, found.indices[:200], found.scores[:200])
    dup_found = index.all_pairs_topk(10, exclude_duplicates=False)
    dup_exact = index.all_pairs_topk(10, exclude_duplicates=False, exact=True)
    dups = [(i, j) for i, row in enumerate(dup_exact.indices) for j, s in
            zip(row, dup_exact.scores[i], strict=True) if s >= 0.8]  # fmt: skip
    assert dups
    kept = sum(j in dup_found.indices[i] for i, j in dups) / len(dups)
    assert kept >= 0.99, kept
