"""The newsroom's day on a large index: the fitted candidate search is saved with the index, and
articles added later join their nearest clusters without a refit (library and CLI)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from arabnews_nlp.cli import app
from arabnews_nlp.corpus import read_articles
from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
from arabnews_nlp.related.clusters import ClusterSearch

runner = CliRunner()


def _search(**params: object) -> ClusterSearch:
    # Clusters of ~6 articles, 3 probed: not exhaustive on the 44 sample articles.
    options = {"n_components": 8, "rows_per_cluster": 6, "n_probe": 3, "sample_size": 64}
    return ClusterSearch(**{**options, "min_rows": 0, **params})  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def articles(sample_path: Path) -> list:
    return list(read_articles(sample_path))


def _index(**params: object) -> RelatedIndex:
    return RelatedIndex(ArticleVectorizer(n_features=2**18), candidates=_search(**params))


def test_the_fitted_search_is_saved_and_loaded(tmp_path, articles):
    index = _index().fit(articles)
    path = index.save(tmp_path / "idx")
    meta = json.loads((path / "index.json").read_text(encoding="utf-8"))
    assert meta["version"] == 4
    assert meta["search"] == {"file": "search.npz", "n_rows": 44, "n_clusters": 7}
    fitted = index.view_.search
    loaded = RelatedIndex.load(path)
    search = loaded.view_.search
    assert search is not None and search is not fitted
    np.testing.assert_array_equal(search.labels_, fitted.labels_)
    np.testing.assert_array_equal(search.centroids_, fitted.centroids_)
    np.testing.assert_array_equal(search.components_, fitted.components_)
    found, again = index.all_pairs_topk(5), loaded.all_pairs_topk(5)
    np.testing.assert_array_equal(found.indices, again.indices)
    np.testing.assert_array_equal(found.scores, again.scores)
    assert found.indices.tolist() != index.all_pairs_topk(5, exact=True).indices.tolist()


def test_added_articles_join_their_nearest_clusters_without_a_refit(tmp_path, articles):
    day_one, day_two = articles[:34], articles[34:]
    first = _index().fit(day_one)
    saved = first.view_.search
    loaded = RelatedIndex.load(first.save(tmp_path / "idx")).add(day_two)
    search = loaded.view_.search
    assert search is not None and search.n_rows_ == 44 and search.n_clusters_ == 6
    np.testing.assert_array_equal(search.centroids_, saved.centroids_)
    np.testing.assert_array_equal(search.labels_[:34], saved.labels_)
    new_rows = loaded.matrix_[34:]
    nearest = np.argmax(saved.project(new_rows) @ saved.centroids_.T, axis=1)
    np.testing.assert_array_equal(search.labels_[34:], nearest)
    # The added articles are found by the others' queries, and are queried themselves.
    found = loaded.related_to([a.id for a in day_two], k=5, explain=False)
    assert all(r.ids and day_two[i].id not in r.ids for i, r in enumerate(found))
    top = loaded.all_pairs_topk(10)
    assert (top.indices >= 34).any()
    # The labels of all rows are saved again, and a second add extends them further.
    again = RelatedIndex.load(loaded.save(tmp_path / "idx"))
    np.testing.assert_array_equal(again.view_.search.labels_, search.labels_)


def test_the_search_is_refitted_once_the_index_has_grown_enough(articles):
    index = _index(refit_after=0.2).fit(articles[:34])
    before = index.view_.search
    index.add(articles[34:40])  # 6 rows added to 34: not more than 0.2 x 34
    assert index.view_.search.n_clusters_ == before.n_clusters_ == 6
    index.add(articles[40:])  # 10 rows added since the fit: more than 0.2 x 34
    after = index.view_.search
    assert after.n_rows_ == 44 and after.n_clusters_ == 7
    # Other parameters than the fitted ones: refitted too.
    index = _index().fit(articles[:34])
    assert index.view_.search.n_probe == 3
    index.set_params(candidates__n_probe=2, candidates__rows_per_cluster=11)
    index.add(articles[34:])
    assert index.view_.search.n_probe == 2 and index.view_.search.n_clusters_ == 4


def test_older_indexes_and_damaged_searches(tmp_path, articles):
    index = _index().fit(articles)
    path = index.save(tmp_path / "idx")
    # A version 3 index (no saved search) still reads; the search is fitted when needed.
    meta = json.loads((path / "index.json").read_text(encoding="utf-8"))
    old = {**meta, "version": 3}
    del old["search"]
    (path / "index.json").write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    loaded = RelatedIndex.load(path)
    assert loaded.view_.fitted is None
    assert loaded.all_pairs_topk(5).indices.tolist() == index.all_pairs_topk(5).indices.tolist()
    # Labels out of range are refused.
    arrays = dict(np.load(path / "search.npz"))
    arrays["labels_"][3] = 7
    np.savez(path / "search.npz", **arrays)
    (path / "index.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(ValueError, match="out of range"):
        RelatedIndex.load(path)
    # An index too small for clusters saves none, and removes a stale one.
    RelatedIndex().fit(articles).save(path)
    assert not (path / "search.npz").exists()
    assert json.loads((path / "index.json").read_text(encoding="utf-8"))["search"] is None


def test_the_cli_adds_a_day_to_a_saved_index(tmp_path, articles):
    archive = tmp_path / "archive"
    _index().fit(articles[:34]).save(archive)
    day = tmp_path / "today.jsonl"
    lines = [json.dumps(a.to_dict(), ensure_ascii=False) for a in articles[34:]]
    day.write_text("\n".join(lines) + "\n", encoding="utf-8")
    args = ["related", "--index", str(archive), str(day), "--save-index", str(archive)]
    result = runner.invoke(app, [*args, "-k", "3", "--no-explain"])
    assert result.exit_code == 0, result.output
    answers = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    assert [a["query_id"] for a in answers] == [a.id for a in articles[34:]]
    meta = json.loads((archive / "index.json").read_text(encoding="utf-8"))
    assert meta["n_docs"] == 44 and meta["search"]["n_rows"] == 44
    assert meta["search"]["n_clusters"] == 6  # the clusters of day one, not refitted


def _prune_one_row_at_a_time(counts, idf, max_terms, n_text):
    """The reference: each row's text columns ranked by weight, then column, one by one."""
    counts = counts.copy()
    counts.sort_indices()
    for i in range(counts.shape[0]):
        lo, hi = counts.indptr[i], counts.indptr[i + 1]
        cols = counts.indices[lo:hi]
        n = int(np.searchsorted(cols, n_text))
        if n > max_terms:
            order = np.lexsort((cols[:n], -(counts.data[lo : lo + n] * idf[cols[:n]])))
            counts.data[lo + order[max_terms:]] = 0.0
    counts.eliminate_zeros()
    return counts


@pytest.mark.parametrize("max_terms", [1, 40, 300])
def test_pruning_keeps_the_rows_strongest_terms(articles, max_terms):
    from arabnews_nlp.related.weighting import prune_rows, smoothed_idf

    entities = [["موسكو", "دمشق"] if i % 3 == 0 else [] for i in range(len(articles))]
    index = RelatedIndex(ArticleVectorizer(n_features=2**18), max_terms=None)
    counts = index._counts(articles, entities)
    idf = smoothed_idf(np.bincount(counts.indices, minlength=counts.shape[1]), len(articles))
    idf[::5] = 1.0  # ties between columns of equal counts
    n_text = index.vectorizer_.n_features
    found = prune_rows(counts, idf, max_terms, n_text)
    expected = _prune_one_row_at_a_time(counts, idf, max_terms, n_text)
    assert (found != expected).nnz == 0
    np.testing.assert_array_equal(found.indices, expected.indices)
    kept = np.diff(found.indptr)
    assert kept.max() <= max_terms + 2 and (kept < np.diff(counts.indptr)).any()
