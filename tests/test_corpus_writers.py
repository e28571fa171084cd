"""Writers: lossless round trips, atomic completion, .partial on failure, JSONL append/resume."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arabnews_nlp.article import Article
from arabnews_nlp.corpus import ArticleWriter, completed_ids, read_articles, write_articles

FIXTURES = Path(__file__).parent / "fixtures" / "corpus"


@pytest.fixture(scope="module")
def articles() -> list[Article]:
    """Fixture articles with every field in use: tags, meta, dates, missing optionals."""
    found = [*read_articles(FIXTURES / "articles.jsonl"), *read_articles(FIXTURES / "pagedump.txt")]
    assert len(found) == 4
    return found


@pytest.mark.parametrize(
    "name",
    ["out.jsonl", "out.json", "out.csv", "out.tsv", "out.parquet", "out.jsonl.gz", "out.csv.xz"],
)
def test_round_trip_is_lossless(tmp_path, articles, name):
    path = tmp_path / name
    assert write_articles(articles, path) == len(articles)
    assert not path.with_name(name + ".partial").exists()
    reader = read_articles(path)
    assert list(reader) == articles and reader.report.ok


def test_dicts_and_custom_columns(tmp_path):
    rows = [
        {"id": 1, "title": "تقرير", "score": 0.5, "entities": [{"text": "دمشق", "label": "LOC"}]}
    ]
    write_articles(rows, tmp_path / "rows.parquet")
    write_articles(rows, tmp_path / "rows.csv", columns=["id", "title"])
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "rows.parquet")
    assert table.column("score").to_pylist() == [0.5]
    assert json.loads(table.column("entities")[0].as_py()) == rows[0]["entities"]
    assert (tmp_path / "rows.csv").read_text(encoding="utf-8").splitlines() == [
        "id,title",
        "1,تقرير",
    ]


def test_csv_rejects_fields_outside_the_header(tmp_path):
    rows = [{"title": "أ", "body": "ب"}, {"title": "ج", "body": "د", "extra": 1}]
    with pytest.raises(ValueError, match="not in the CSV header"):
        write_articles(rows, tmp_path / "rows.csv")
    assert not (tmp_path / "rows.csv").exists()


def failing_stream(articles: list[Article], after: int):
    for i, article in enumerate(articles):
        if i == after:
            raise RuntimeError("analysis crashed")
        yield article


@pytest.mark.parametrize(
    "name", ["out.jsonl", "out.json", "out.csv", "out.parquet", "out.jsonl.gz"]
)
def test_interrupted_write_leaves_valid_partial_and_no_final_file(tmp_path, articles, name):
    path = tmp_path / name
    with pytest.raises(RuntimeError, match="analysis crashed"):
        write_articles(failing_stream(articles, after=2), path)
    assert not path.exists()
    partial = path.with_name(name + ".partial")
    # The partial file is a complete file of its format holding the 2 records written.
    assert list(read_articles(partial)) == articles[:2]


def test_previous_output_survives_a_failed_rewrite(tmp_path, articles):
    path = tmp_path / "out.jsonl"
    write_articles(articles, path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError):
        write_articles(failing_stream(articles, after=1), path)
    assert path.read_bytes() == before


def test_append_resumes_a_partial_run(tmp_path, articles):
    path = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError):
        write_articles(failing_stream(articles, after=2), path)
    done = completed_ids(path)
    assert done == {a.id for a in articles[:2]}
    with ArticleWriter(path, append=True) as writer:
        writer.write_many(a for a in articles if a.id not in done)
    assert not path.with_name("out.jsonl.partial").exists()
    assert list(read_articles(path)) == articles


def test_append_to_a_finished_file_and_repair_of_a_torn_line(tmp_path, articles):
    path = tmp_path / "out.jsonl"
    write_articles(articles[:1], path)
    partial = path.with_name("out.jsonl.partial")
    # Simulate a hard kill in the middle of a line while appending.
    path.rename(partial)
    with partial.open("ab") as handle:
        handle.write(b'{"id": "torn", "title": "\xd8')
    assert completed_ids(path) == {articles[0].id}
    writer = ArticleWriter(path, append=True)
    assert writer.repaired_bytes == len(b'{"id": "torn", "title": "\xd8')
    writer.write(articles[1])
    writer.close()
    reader = read_articles(path)
    assert list(reader) == articles[:2] and reader.report.ok


def test_append_refuses_ambiguous_state_and_other_formats(tmp_path, articles):
    path = tmp_path / "out.jsonl"
    write_articles(articles[:1], path)
    path.with_name("out.jsonl.partial").write_text("", encoding="utf-8")
    with pytest.raises(FileExistsError):
        ArticleWriter(path, append=True)
    with pytest.raises(ValueError, match="only supported"):
        ArticleWriter(tmp_path / "x.parquet", append=True)
    with pytest.raises(ValueError, match="output format"):
        ArticleWriter(tmp_path / "x.docx")


def test_stdout_writer(monkeypatch, articles):
    buffer = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(buffer, encoding="utf-8"))
    assert write_articles(articles[:2], "-") == 2
    lines = buffer.getvalue().decode("utf-8").splitlines()
    assert [json.loads(x)["id"] for x in lines] == [a.id for a in articles[:2]]
    assert "الوادي" in lines[0]  # Arabic is written as is, not \\u-escaped


def test_empty_outputs_are_valid(tmp_path):
    for name in ("e.jsonl", "e.json", "e.parquet"):
        assert write_articles([], tmp_path / name) == 0
        assert list(read_articles(tmp_path / name, format=name.split(".")[1])) == []


def test_write_after_close_and_bad_record_type(tmp_path):
    writer = ArticleWriter(tmp_path / "w.jsonl")
    with pytest.raises(TypeError, match="cannot write a int"):
        writer.write(3)
    writer.close()
    with pytest.raises(ValueError, match="closed"):
        writer.write({"title": "x"})


arabic_text = st.text(
    alphabet=st.sampled_from("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ءآأإؤئةى،؛؟0123456789\u064b\u0640"),
    min_size=1,
    max_size=40,
).filter(str.strip)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rows=st.lists(
        st.fixed_dictionaries(
            {"title": arabic_text, "body": arabic_text, "tags": st.lists(arabic_text, max_size=3)}
        ),
        min_size=1,
        max_size=5,
    ),
    fmt=st.sampled_from(["jsonl", "json", "csv", "parquet"]),
)
def test_round_trip_property(tmp_path, rows, fmt):
    articles = [
        Article(id=f"p-{i}", title=r["title"].strip(), body=r["body"], tags=r["tags"])
        for i, r in enumerate(rows)
    ]
    path = tmp_path / f"prop.{fmt}"
    write_articles(articles, path)
    got = list(read_articles(path))
    # Readers strip surrounding whitespace of text files only; JSON/CSV/Parquet keep it exactly.
    assert got == articles


def test_parquet_group_that_does_not_fit_keeps_earlier_groups(tmp_path):
    rows = [{"id": str(i), "title": "عنوان", "body": "نص", "score": 1.5} for i in range(4)]
    rows.append(
        {"id": "x", "title": "عنوان", "body": "نص", "score": "عالية"}
    )  # text in a float column
    path = tmp_path / "scores.parquet"
    with pytest.raises(ValueError, match="do not fit the Parquet schema"):
        write_articles(rows, path, row_group_size=2)
    assert not path.exists()
    kept = list(read_articles(path.with_name("scores.parquet.partial")))
    assert [a.id for a in kept] == ["0", "1", "2", "3"]
