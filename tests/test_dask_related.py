"""The related index on Dask: blocks equal ``RelatedIndex.fit``, records equal ``link_related``.

Stage 1 is not needed here (and would need the models): the analyses are built directly from
the bundled sample articles with their entities, so the tests isolate stage 2. The index's
batch size is lowered so the 44 sample articles make several ``fit`` batches and several
top-k groups — the cases where pruning statistics and block merging could go wrong.
"""

from __future__ import annotations

import pickle

import dask
import pytest
from sklearn.base import clone

dask_bag = pytest.importorskip("dask.bag")

from arabnews_nlp import Article  # noqa: E402
from arabnews_nlp.corpus import read_articles  # noqa: E402
from arabnews_nlp.dask_engine import link_related_dask  # noqa: E402
from arabnews_nlp.dask_engine.blocks import Shard, _indexed, shards_like_fit  # noqa: E402
from arabnews_nlp.entities import Entity  # noqa: E402
from arabnews_nlp.pipeline import ArticleAnalysis, link_related  # noqa: E402
from arabnews_nlp.related import ArticleVectorizer, RelatedIndex  # noqa: E402

SECTION = ("politics", "سياسة", 0.5)


@pytest.fixture(autouse=True)
def _synchronous():
    with dask.config.set(scheduler="sync"):
        yield


@pytest.fixture(scope="module")
def analyses(sample_path) -> list[ArticleAnalysis]:
    """Sample articles with a place entity wherever the title names one (no models needed)."""
    out = []
    for article in read_articles(sample_path):
        ents = [
            Entity("LOC", place, start, start + len(place), place, field="title")
            for place in ("القاهرة", "عمّان", "الرباط", "الرياض", "بغداد")
            if (start := article.title.find(place)) >= 0
        ]
        out.append(ArticleAnalysis(article, *SECTION, ents))
    return out


#: ``RelatedIndex.fit`` in batches of 8 rows (the Dask blocks follow the index's batch size).
SMALL = {"batch_size": 8}


def _dicts(records) -> list[dict]:
    return [r.to_dict() for r in records]


@pytest.mark.parametrize("batch_size", [8, 2048])
def test_shards_equal_fit_row_for_row(analyses, batch_size):
    template = RelatedIndex(entity_weight=0.2, batch_size=batch_size)
    # What link_related fits: the articles with their entity names in meta["entities"].
    fitted = clone(template).fit(_indexed(analyses))
    shards = [pickle.loads(pickle.dumps(s)) for s in shards_like_fit(analyses, template)]
    assert [s.start for s in shards] == list(range(0, len(analyses), batch_size))
    whole = Shard.concat(shards).index
    assert whole.ids_ == fitted.ids_ and whole.entities_ == fitted.entities_
    assert (whole.counts_ != fitted.counts_).nnz == 0
    assert (whole.matrix_ != fitted.matrix_).nnz == 0  # bit for bit, not approximately


@pytest.mark.parametrize(("partitions", "rows_per_task"), [(1, 8192), (5, 8), (44, 16)])
def test_records_equal_the_local_link_related(analyses, partitions, rows_per_task):
    expected = _dicts(link_related(analyses, k=4, index_params=SMALL))
    bag = dask_bag.from_sequence(analyses, npartitions=partitions)
    found = link_related_dask(bag, k=4, index_params=SMALL, rows_per_task=rows_per_task)
    got = _dicts(found.compute())
    assert got == expected
    assert any(link["shared_entities"] for r in got for link in r["related"])


def test_a_story_and_its_follow_up_are_related_across_blocks(analyses):
    # Rows 6-8 of the sample are one story (a migration conference in Rabat) told three
    # times; with batches of 8 rows, row 8 sits in another block than rows 6 and 7.
    bag = dask_bag.from_sequence(analyses, npartitions=3)
    records = {r.id: r for r in link_related_dask(bag, k=3, index_params=SMALL).compute()}
    declaration, opening, preview = "sample-a-009", "sample-a-008", "sample-a-007"
    assert [x.id for x in records[declaration].related[:2]] == [preview, opening]
    assert min(x.score for x in records[declaration].related[:2]) > 0.3
    back = {x.id: x.score for x in records[preview].related}
    assert back[declaration] == records[declaration].related[0].score  # same pair, same score


def test_tiny_corpora_and_k_zero_skip_the_index(analyses):
    one = dask_bag.from_sequence(analyses[:1])
    assert _dicts(link_related_dask(one, k=5).compute()) == _dicts(link_related(analyses[:1]))
    none = link_related_dask(dask_bag.from_sequence(analyses[:6]), k=0).compute()
    assert all(not r.related and not r.duplicates for r in none)


def test_index_params_reach_the_blocks(analyses):
    vectorizer = ArticleVectorizer("word", (1, 2))
    params = {"vectorizer": vectorizer, "max_terms": None, "chunk_size": 5, **SMALL}
    expected = _dicts(link_related(analyses, k=2, index_params=params))
    bag = dask_bag.from_sequence(analyses, npartitions=4)
    assert _dicts(link_related_dask(bag, k=2, index_params=params).compute()) == expected


def test_plain_articles_can_be_indexed_too():
    docs = [Article(id=str(i), title=t) for i, t in enumerate(["سد النهضة", "مفاوضات سد النهضة"])]
    [shard] = shards_like_fit(docs, RelatedIndex(ArticleVectorizer(n_features=2**12)))
    assert shard.index.related_to(["0"], k=1)[0].ids == ["1"]


def test_summary_figures_merged_from_partitions_equal_the_local_ones(analyses):
    from arabnews_nlp.analysis.stats import CorpusStats
    from arabnews_nlp.dask_engine.figures import Figures
    from arabnews_nlp.pipeline import RunSummary

    records = link_related(analyses, k=3)
    local = RunSummary()
    local.add_corpus(records, CorpusStats.from_records(records))
    merged = Figures()
    for start in range(0, len(records), 10):  # partitions of 10 records
        merged.merge(Figures.of(records[start : start + 10]))
    ours = RunSummary()
    merged.fill(ours)
    for key in ("written", "sections", "section_names", "top_entities", "duplicate_links"):
        assert getattr(ours, key) == getattr(local, key), key
    assert ours.related_pairs == local.related_pairs
