"""Units of the analysis pipeline that need no model: records, checkpoint, stats, summary,
output writers, chunking."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from arabnews_nlp import Article
from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis, RelatedLink
from arabnews_nlp.analysis.stats import CorpusStats
from arabnews_nlp.analysis.summary import RunSummary
from arabnews_nlp.entities import Entity
from arabnews_nlp.entities.extract import text_and_fields
from arabnews_nlp.pipeline.checkpoint import Checkpoint, CheckpointMismatch
from arabnews_nlp.pipeline.output import format_for, write_records
from arabnews_nlp.pipeline.parallel import iter_chunks
from arabnews_nlp.pipeline.progress import estimate_total
from arabnews_nlp.pipeline.runner import RunPaths

HARBOUR = Article(
    id="port-1",
    title="افتتاح ميناء جديد في العقبة",
    lede="افتتحت الحكومة الأردنية ميناءً جديدًا للحاويات.",
    body="وقال وزير النقل إن ميناء العقبة سيستقبل السفن الكبيرة.\nوحضر الافتتاح وفد من عمّان.",
    section="economy",
    published="2024-05-02T09:30:00+03:00",
    source="وكالة تجريبية",
)
MATCH = Article(
    id="match-1",
    title="الفيصلي يفوز على الوحدات في عمّان",
    body="فاز الفيصلي على الوحدات بهدفين في ملعب عمّان الدولي.",
    section="sports",
    published="2024-06-11",
)


def _mention(article: Article, surface: str, label: str, occurrence: int = 0) -> Entity:
    """An Entity for the n-th occurrence of ``surface`` in ``article.text``, with field offsets."""
    text, fields = text_and_fields(article)
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(surface, start + 1)
    name, field_start, _ = next(f for f in fields if f[1] <= start < f[2])
    end = start + len(surface)
    offsets = (start - field_start, end - field_start)
    return Entity(label, surface, start, end, surface, 0.9, name, *offsets)


def _analysis(article: Article, section: str, name: str, mentions: list[tuple[str, str]]):
    ents = [_mention(article, s, label) for s, label in mentions]
    return ArticleAnalysis(article, section, name, 0.87, ents)


@pytest.fixture()
def records() -> list[AnalysisRecord]:
    harbour = _analysis(HARBOUR, "economy", "اقتصاد", [("العقبة", "LOC"), ("عمّان", "LOC")])
    match = _analysis(MATCH, "sports", "رياضة", [("الفيصلي", "ORG"), ("عمّان", "LOC")])
    return [
        AnalysisRecord(harbour, related=[RelatedLink("match-1", 0.12, MATCH.title, ("عمّان",))]),
        AnalysisRecord(match, related=[RelatedLink("port-1", 0.12, HARBOUR.title, ("عمّان",))]),
    ]


def test_entity_offsets_of_fixture_point_at_the_surface(records):
    for record in records:
        text = record.article.text
        for e in record.analysis.entities:
            assert text[e.start : e.end] == e.text
            assert getattr(record.article, e.field)[e.field_start : e.field_end] == e.text


def test_analysis_round_trips_through_a_checkpoint_line(records):
    stage1 = records[0].analysis
    line = json.dumps(stage1.to_dict(), ensure_ascii=False)
    restored = ArticleAnalysis.from_dict(json.loads(line))
    assert restored == stage1
    # The derived parts come back from the line instead of being recomputed.
    assert restored.summaries() == stage1.summaries()
    assert restored.entity_dicts() == [e.to_dict() for e in stage1.entities]


def test_output_record_shape(records):
    out = records[0].to_dict()
    assert list(out)[:10] == [
        "id", "title", "source", "published", "url",
        "given_section", "section", "section_name", "section_score", "entities",
    ]  # fmt: skip
    assert out["entities"][0]["canonical"] == "العقبة"
    assert out["top_entities"][0]["label"] == "LOC"
    assert out["related"][0] == {
        "id": "match-1",
        "score": 0.12,
        "title": MATCH.title,
        "shared_entities": ["عمّان"],
    }
    assert "body" not in out
    assert records[0].to_dict(include_text=True)["body"] == HARBOUR.body


def test_checkpoint_resume_truncates_a_torn_line(tmp_path, records):
    cp = Checkpoint(tmp_path / "run.work")
    assert cp.start({"labels": ["LOC"]}, resume=False) == []
    cp.append([records[0].analysis])
    with cp.path.open("a", encoding="utf-8") as f:
        f.write('{"id": "match-1", "article": {"title": "الفيص')  # killed mid-write
    done = cp.start({"labels": ["LOC"]}, resume=True)
    assert [a.id for a in done] == ["port-1"]
    assert cp.path.read_bytes().endswith(b"}\n")
    cp.append([records[1].analysis])
    assert [a.id for a in cp.load()] == ["port-1", "match-1"]


def test_a_checkpoint_is_read_back_lazily_and_whole(tmp_path, records):
    from arabnews_nlp.analysis.record import StoredAnalysis

    cp = Checkpoint(tmp_path / "run.work")
    cp.start({"labels": ["LOC"]}, resume=False)
    cp.append([r.analysis for r in records])
    stored = cp.load()
    assert all(isinstance(a, StoredAnalysis) for a in stored)
    # The output record comes from the line's dicts, the same bytes as from the objects ...
    assert [AnalysisRecord(a).to_dict() for a in stored] == [
        AnalysisRecord(r.analysis).to_dict() for r in records
    ]
    # ... and the objects are there when asked for.
    assert stored[0] == records[0].analysis
    assert stored[0].entities[0].text == "العقبة"
    # A line that is whole JSON but not an analysis's shape is cut off as damaged, not read.
    line = json.loads(cp.path.read_text(encoding="utf-8").splitlines()[1])
    line["entities"] = "العقبة"
    with cp.path.open("a", encoding="utf-8") as f:
        f.write(json.dumps(line, ensure_ascii=False) + "\n")
    assert [a.id for a in cp.load()] == ["port-1", "match-1"]
    assert len(cp.path.read_text(encoding="utf-8").splitlines()) == 2


def test_checkpoint_refuses_resume_with_other_settings(tmp_path, records):
    cp = Checkpoint(tmp_path / "run.work")
    cp.start({"sections_model": None}, resume=False)
    cp.append([records[0].analysis])
    with pytest.raises(CheckpointMismatch, match="sections_model"):
        cp.start({"sections_model": "my-model"}, resume=True)
    # Without resume the old checkpoint is discarded.
    assert cp.start({"sections_model": "my-model"}, resume=False) == []


def test_corpus_stats(records):
    stats = CorpusStats.from_records(records)
    assert stats.sections == {"economy": 1, "sports": 1}
    assert [(e.name, e.articles) for e in stats.top("LOC")] == [("عمّان", 2), ("العقبة", 1)]
    entities, matrix = stats.cooccurrence(n=3)
    names = [e.name for e in entities]
    amman, aqaba = names.index("عمّان"), names.index("العقبة")
    assert matrix[amman][amman] == 2 and matrix[amman][aqaba] == 1
    assert [m for m, _ in stats.timeline()] == ["2024-05", "2024-06"]
    assert (stats.labelled, stats.agreement) == (2, 2)


def test_agreement_maps_source_labels_to_the_taxonomy():
    arts = [
        Article(id="1", title="خبر", body="نص", section="sport"),  # maps to sports
        Article(id="2", title="خبر", body="نص", section="middleEast"),  # maps to politics
        Article(id="3", title="خبر", body="نص", section="حوادث"),  # accidents: outside the taxonomy
    ]
    predicted = ["sports", "economy", "culture"]
    stats = CorpusStats.from_records(
        [
            AnalysisRecord(ArticleAnalysis(a, p, p, 0.5))
            for a, p in zip(arts, predicted, strict=True)
        ]
    )
    assert (stats.labelled, stats.agreement, stats.agreement_rate) == (2, 1, 0.5)


def test_timeline_fills_months_without_articles():
    arts = [Article(id=str(i), title="خبر", body="نص", published=d) for i, d in
            enumerate(["2023-11-05", "2024-02-01"])]  # fmt: skip
    stats = CorpusStats.from_records(
        [AnalysisRecord(ArticleAnalysis(a, "culture", "ثقافة", 0.5)) for a in arts]
    )
    assert stats.timeline() == [
        ("2023-11", {"culture": 1}), ("2023-12", {}), ("2024-01", {}), ("2024-02", {"culture": 1}),
    ]  # fmt: skip


def test_summary_counts_and_exit_code(records):
    summary = RunSummary(read=3, reader_errors=1, error_kinds={"parse": 1}, analysed=2)
    summary.add_corpus(records, CorpusStats.from_records(records))
    summary.timings = {"total": 0.5}
    data = summary.to_dict()
    assert (data["written"], data["errors"], data["exit_code"]) == (2, 1, 1)
    assert data["articles_per_s"] == 4.0
    text = summary.render()
    assert "Errors: 1 record(s) skipped (parse: 1)" in text
    assert "عمّان (2)" in text
    assert "0.12" in text and MATCH.title in text
    assert "Agreement with the input's own sections: 100.0% of 2 labelled articles" in text


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_writers_round_trip(tmp_path, records, fmt):
    rows = [r.to_dict() for r in records]
    path = tmp_path / f"out.{fmt}"
    assert write_records(rows, path) == 2
    if fmt == "jsonl":
        back = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        assert back == rows
    elif fmt == "csv":
        with path.open(encoding="utf-8", newline="") as f:
            table = list(csv.DictReader(f))
        assert table[0]["section_name"] == "اقتصاد"
        assert json.loads(table[1]["entities"])[0]["text"] == "الفيصلي"
    else:
        import pyarrow.parquet as pq

        back = pq.read_table(path).to_pylist()
        assert back[0]["entities"][0]["canonical"] == "العقبة"
        assert back[1]["related"][0]["id"] == "port-1"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temp left


def test_parquet_keeps_types_when_a_list_is_empty_everywhere(tmp_path, records):
    import pyarrow.parquet as pq

    rows = [r.to_dict() for r in records]
    for row in rows:
        row["duplicates"] = []
    write_records(rows, tmp_path / "out.parquet")
    schema = pq.read_schema(tmp_path / "out.parquet")
    assert str(schema.field("duplicates").type).startswith("list<element: struct<id: string")


def test_format_for():
    assert format_for(Path("a.parquet")) == "parquet"
    assert format_for(Path("a.out")) == "jsonl"
    assert format_for(Path("a.jsonl"), "csv") == "csv"
    with pytest.raises(ValueError, match="unknown output format"):
        format_for(Path("a.jsonl"), "xml")


def test_run_paths():
    paths = RunPaths(Path("out/analysis.jsonl"))
    assert paths.errors == Path("out/analysis.errors.jsonl")
    assert paths.summary == Path("out/analysis.summary.json")
    assert paths.work == Path("out/analysis.work")


def test_chunks_do_not_depend_on_anything_but_size():
    arts = [Article(id=str(i), title="عنوان", body="نص") for i in range(7)]
    assert [[a.id for a in c] for c in iter_chunks(arts, 3)] == [
        ["0", "1", "2"], ["3", "4", "5"], ["6"],
    ]  # fmt: skip
    with pytest.raises(ValueError):
        next(iter_chunks(arts, 0))


def test_estimate_total(tmp_path, sample_path):
    lines = sample_path.read_text(encoding="utf-8").count("\n")
    assert estimate_total([sample_path]) == lines
    assert estimate_total([sample_path, sample_path]) == 2 * lines
    assert estimate_total(["-"]) is None
    assert estimate_total([tmp_path / "missing.jsonl"]) is None


def test_index_builder_fits_the_index_of_link_related(sample_path):
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.pipeline.linking import IndexBuilder, indexed_article
    from arabnews_nlp.related import RelatedIndex

    # fit() prunes batch by batch with the IDF so far: small batches make the order matter.
    params = {"batch_size": 8}
    analyses = [
        ArticleAnalysis(a, "politics", "سياسة", 0.5, [Entity("LOC", "عمّان", 0, 5, "عمّان")])
        for a in read_articles(sample_path)
    ]
    fitted = RelatedIndex(**params).fit(indexed_article(a) for a in analyses)
    builder = IndexBuilder(params)
    builder.prune_rows = 2  # batches of 8 pruned 2 rows at a time: the same rows
    builder.add(analyses[:5])  # resumed articles: vectorized by the builder
    for lo in range(5, len(analyses), 3):  # stage-1 chunks of 3, vectorized "in a worker"
        chunk = analyses[lo : lo + 3]
        builder.add(chunk, builder.template.vectorize([indexed_article(a) for a in chunk]))
    # Weighed 7 rows at a time, and searched 8 queries at a time (the smallest chunk).
    builder.weigh_rows, builder.scores_per_chunk = 7, 100
    built = builder.finish()
    assert built.ids_ == fitted.ids_
    assert (built.counts_ != fitted.counts_).nnz == 0  # bit for bit
    assert (built.matrix_ != fitted.matrix_).nnz == 0
    assert built.matrix_.dtype == fitted.matrix_.dtype
    assert (built.chunk_size, fitted.chunk_size) == (8, 256)
    assert fitted.entities_[0] == ["عمّان"] and built.entities_ == [[]] * len(analyses)
    # Without its raw rows (stage 2 lets go of them) the index answers the same.
    lean = IndexBuilder(params)
    lean.add(analyses)
    searched = lean.finish(keep_counts=False)
    assert searched.counts_.shape == fitted.counts_.shape and searched.counts_.nnz == 0
    indexes = (built, fitted, searched)
    answers = [
        [[(r.id, r.score) for r in found.results + found.duplicates] for found in found_all]
        for found_all in (i.related_to(i.ids_, k=4, explain=False, exact=True) for i in indexes)
    ]
    assert answers[0] == answers[1] == answers[2]


def test_related_within_days_relates_only_articles_published_in_the_window() -> None:
    from arabnews_nlp.pipeline.linking import link_related
    from arabnews_nlp.pipeline.stages import Stage1Consumer

    def story(article_id: str, published: str | None) -> ArticleAnalysis:
        article = Article(
            id=article_id,
            title="القمة العربية في الرياض تبحث أزمة المياه",
            body="بحث القادة العرب في قمة الرياض أزمة المياه في المنطقة وسبل مواجهتها.",
            published=published,
        )
        return ArticleAnalysis(article, "politics", "سياسة", 0.9)

    # The same summit covered twice in one week, again a year later, and once undated.
    analyses = [
        story("mon", "2024-05-06"),
        story("wed", "2024-05-08"),
        story("next-year", "2025-05-07"),
        story("undated", None),
    ]

    def related(records: list[AnalysisRecord]) -> dict[str, list[str]]:
        return {r.id: sorted(x.id for x in r.related + r.duplicates) for r in records}

    everyone = related(link_related(analyses, k=3))
    assert everyone["mon"] == ["next-year", "undated", "wed"]
    week = related(link_related(analyses, k=3, within_days=7))
    assert week == {"mon": ["wed"], "wed": ["mon"], "next-year": [], "undated": []}
    # The corpus job's consumer (what `arabnews analyze --related-within-days 7` runs).
    consumer = Stage1Consumer(3, analyses, within_days=7)
    assert related(list(consumer.link(analyses))) == week


@pytest.mark.parametrize("days", [2, 30])
def test_the_windowed_all_pairs_answers_as_each_article_asked_alone(sample_path, days) -> None:
    from arabnews_nlp.corpus import read_articles
    from arabnews_nlp.related import RelatedIndex

    index = RelatedIndex().fit(read_articles(sample_path))

    def answers(found: list) -> list:
        return [[(r.id, r.score) for r in f.results + f.duplicates] for f in found]

    alone = index.related_to(index.ids_, k=3, within_days=days, explain=False)
    together = list(index.related_within_days(days, k=3))
    assert answers(together) == answers(alone)
    assert sum(map(len, answers(alone))) > 0
