"""Stage 2 of ``run_analysis`` streams: the analyses are read back from the checkpoint and each
record is written as it is made. The output must be byte for byte what writing the whole
corpus's records from memory gives (the way runs worked before), for every format."""

from __future__ import annotations

from itertools import pairwise

import pytest

from arabnews_nlp import Article
from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis
from arabnews_nlp.analysis.stats import CorpusStats, StatsCollector
from arabnews_nlp.analysis.summary import RunSummary
from arabnews_nlp.corpus import read_articles
from arabnews_nlp.entities import Entity
from arabnews_nlp.pipeline import RunOptions, analyze, linking, run_analysis
from arabnews_nlp.pipeline.entity_table import entity_table
from arabnews_nlp.pipeline.linking import EntityKeys, IndexBuilder, iter_linked
from arabnews_nlp.pipeline.output import write_records


@pytest.fixture(scope="module")
def in_memory(sample_path) -> list[AnalysisRecord]:
    """The sample corpus analysed with every analysis held in memory."""
    return list(analyze(read_articles(sample_path)))


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_streamed_output_is_byte_identical_to_the_in_memory_records(
    tmp_path, sample_path, in_memory, fmt
):
    summary = run_analysis([sample_path], tmp_path / f"out.{fmt}", RunOptions(progress=False))
    reference = tmp_path / f"reference.{fmt}"
    write_records((r.to_dict() for r in in_memory), reference)
    assert (tmp_path / f"out.{fmt}").read_bytes() == reference.read_bytes()
    # The figures collected on the way are those of the whole list of records.
    expected = RunSummary()
    expected.add_corpus(in_memory, CorpusStats.from_records(in_memory))
    assert summary.related_pairs == expected.related_pairs
    assert summary.top_entities == expected.top_entities
    assert summary.sections == expected.sections
    assert summary.written == len(in_memory) == 44


@pytest.mark.parametrize("cuts", [(1,), (7, 20, 21), (43,)])
def test_collectors_of_parts_merged_in_order_give_the_whole_corpus_figures(in_memory, cuts):
    # How the Dask engine counts: one collector per partition, merged in input order.
    bounds = [0, *cuts, len(in_memory)]
    merged = StatsCollector()
    for start, end in pairwise(bounds):
        part = StatsCollector()
        for record in in_memory[start:end]:
            part.add(record)
        merged.merge(part)
    whole, parts = CorpusStats.from_records(in_memory), merged.stats()
    assert parts == whole
    assert entity_table(parts) == entity_table(whole)
    # Not vacuous: the sample has linked entities, dates and co-occurrences.
    rows = entity_table(whole)
    assert any(r["kb_id"] for r in rows) and all(r["first_published"] for r in rows)
    assert any(r["cooccurring"] for r in rows)


def test_links_name_the_entities_both_articles_mention(in_memory):
    # The reference join: every article's entities in a dict, as stage 2 kept them before.
    keys = {r.id: {s.key for s in r.analysis.summaries()} for r in in_memory}
    shared_somewhere = 0
    for record in in_memory:
        mine = {s.key: s.canonical for s in record.analysis.summaries()}
        for link in [*record.related, *record.duplicates]:
            expected = tuple(name for key, name in mine.items() if key in keys[link.id])
            assert link.shared_entities == expected
            shared_somewhere += bool(expected)
    assert shared_somewhere > 10


def test_resumed_run_streams_the_checkpoint_to_the_same_output(tmp_path, sample_path):
    first = tmp_path / "first.jsonl"
    run_analysis([sample_path], first, RunOptions(progress=False, keep_work=True))
    # Resuming from a complete checkpoint redoes nothing and reads every analysis back.
    again = run_analysis([sample_path], first, RunOptions(progress=False, resume=True))
    assert (again.resumed, again.analysed) == (44, 0)
    fresh = tmp_path / "fresh.jsonl"
    run_analysis([sample_path], fresh, RunOptions(progress=False))
    assert first.read_bytes() == fresh.read_bytes()


def _stage1(article_id: str, title: str, places: list[str]) -> ArticleAnalysis:
    article = Article(id=article_id, title=title, body=title)
    ents = [Entity("LOC", p, 0, len(p), p) for p in places]
    return ArticleAnalysis(article, "politics", "سياسة", 0.9, ents)


DESERT = [
    _stage1("1", "عاصفة رملية تضرب الرياض وجدة", ["الرياض", "جدة"]),
    _stage1("2", "الرياض تعلق الدراسة بسبب العاصفة الرملية", ["الرياض"]),
    _stage1("3", "جدة تستقبل موسم الأمطار مبكرا", ["جدة"]),
    _stage1("4", "أمطار غزيرة في جدة والرياض", ["جدة", "الرياض"]),
]


def _index_and_keys(analyses: list[ArticleAnalysis]):
    builder, keys = IndexBuilder(), EntityKeys()
    builder.add(analyses)
    keys.add(analyses)
    return builder.finish(), keys


def test_stage2_refuses_analyses_out_of_the_index_order():
    index, keys = _index_and_keys(DESERT)
    with pytest.raises(ValueError, match="in this order"):
        list(iter_linked([DESERT[1], DESERT[0], *DESERT[2:]], index, keys, k=2))
    with pytest.raises(ValueError, match="in this order"):
        list(iter_linked(DESERT[:3], index, keys, k=2))


def test_parallel_stage2_yields_the_records_in_order(monkeypatch):
    index, keys = _index_and_keys(DESERT)
    alone = list(iter_linked(DESERT, index, keys, k=2))
    # Batches of one article over two threads, several batches in flight.
    monkeypatch.setattr(linking, "QUERY_BATCH", 1)
    pooled = list(iter_linked(DESERT, index, keys, k=2, n_jobs=2))
    assert [r.to_dict() for r in pooled] == [r.to_dict() for r in alone]
    assert alone[0].related[0].id in {"2", "4"}
    assert "الرياض" in alone[0].related[0].shared_entities
