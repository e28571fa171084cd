"""Quotes and dates in stage-1 results, output records, checkpoints and the report."""

from __future__ import annotations

import pyarrow as pa

from arabnews_nlp import Article
from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis
from arabnews_nlp.entities import Entity
from arabnews_nlp.pipeline.output import parquet_schema
from arabnews_nlp.pipeline.statements import quotes_and_dates
from arabnews_nlp.report import render_report

BODY = "وقال الرئيس الفرنسي إيمانويل ماكرون أمس إن أوروبا ستدعم الحوار. وأضاف أن القمة ستعقد قريبا."


def _analysis(article_id: str = "q1") -> ArticleAnalysis:
    art = Article(id=article_id, title="ماكرون يدعو للحوار", body=BODY, published="2025-03-20")
    start = art.text.index("إيمانويل ماكرون")
    entities = [Entity("PER", "إيمانويل ماكرون", start, start + 15, "إيمانويل ماكرون")]
    quotes, dates = quotes_and_dates(art, entities)
    return ArticleAnalysis(art, "politics", "سياسة", 0.9, entities, quotes, dates)


def test_stage1_links_quotes_and_resolves_dates() -> None:
    analysis = _analysis()
    assert [(q.cue.text, q.speaker_entity, q.resolved) for q in analysis.quotes] == [
        ("وقال", "إيمانويل ماكرون", None),
        ("وأضاف", "إيمانويل ماكرون", "pronoun"),
    ]
    assert [(d.text, d.value) for d in analysis.dates] == [("أمس", "2025-03-19")]


def test_checkpoint_round_trip_and_output_record() -> None:
    analysis = _analysis()
    assert ArticleAnalysis.from_dict(analysis.to_dict()) == analysis
    record = AnalysisRecord(analysis).to_dict()
    assert record["quotes"][0]["speaker"]["text"] == "الرئيس الفرنسي إيمانويل ماكرون"
    assert record["dates"][0]["value"] == "2025-03-19"
    # The Parquet schema types the new nested columns.
    table = pa.Table.from_pylist([record], schema=parquet_schema(list(record)))
    assert table.column("quotes")[0][0]["kind"].as_py() == "reported"


def test_old_checkpoint_lines_without_quotes_still_load() -> None:
    data = _analysis().to_dict()
    del data["quotes"], data["dates"]
    assert ArticleAnalysis.from_dict(data).quotes == []


def test_report_has_a_who_said_what_table() -> None:
    html = render_report([AnalysisRecord(_analysis("q1")), AnalysisRecord(_analysis("q2"))])
    table = html[html.index('id="quotes"') : html.index("</section>", html.index('id="quotes"'))]
    assert "إيمانويل ماكرون" in table and "(4)" in table
    assert table.count('href="#art-') == 4 and "أوروبا ستدعم الحوار" in table


def test_report_statements_have_a_when_column_and_a_timeline() -> None:
    # The first statement is dated by its own sentence (أمس → the day before publication),
    # the continuation has no date in its sentence and falls back to the publication date.
    html = render_report([AnalysisRecord(_analysis("q1"))])
    table = html[html.index('id="quotes"') : html.index("</section>", html.index('id="quotes"'))]
    assert "<th>متى</th>" in table
    assert '2025-03-19</bdi> <span class="muted">(<bdi>أمس</bdi>)' in table
    assert '2025-03-20</bdi> <span class="muted">(نُشر)' in table
    start = html.index('id="statements"')
    timeline = html[start : html.index("</section>", start)]
    assert timeline.index("2025-03-19") < timeline.index("2025-03-20")
    assert html.startswith("<!DOCTYPE html>")


def test_statement_date_takes_a_range_in_the_sentence() -> None:
    from arabnews_nlp.report.quotes import statement_date

    art = Article(
        body="انتهت الجولة. وقال المنظمون إن المعرض يقام من 3 إلى 5 مايو 2025 في الدوحة.",
        published="2025-03-20",
    )
    quotes, dates = quotes_and_dates(art, [])
    when = statement_date(art.text, quotes[0], dates, art.published)
    assert when == {
        "value": "2025-05-03/2025-05-05",
        "sort": "2025-05-03",
        "text": "من 3 إلى 5 مايو 2025",
        "from": "sentence",
    }
