"""`arabnews related` and `arabnews evaluate related` end to end, on original articles."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arabnews_nlp.cli import app

ARTICLES = [
    {
        "id": "n1",
        "title": "وزير الخارجية يصل إلى القاهرة لبحث وقف إطلاق النار",
        "body": "وصل وزير الخارجية إلى القاهرة في جولة تشمل عدة عواصم لبحث وقف إطلاق النار "
        "وتبادل الأسرى، والتقى نظيره المصري في مقر الوزارة.",
        "section": "politics",
        "published": "2024-03-02",
    },
    {
        "id": "n2",
        "title": "محادثات في القاهرة حول وقف إطلاق النار وتبادل الأسرى",
        "body": "انطلقت في القاهرة محادثات جديدة حول وقف إطلاق النار وتبادل الأسرى بمشاركة "
        "وزراء خارجية ووسطاء إقليميين.",
        "section": "politics",
        "published": "2024-03-03",
    },
    {
        "id": "n3",
        "title": "ارتفاع أسعار القمح في الأسواق المحلية",
        "body": "ارتفعت أسعار القمح في الأسواق المحلية للأسبوع الثالث بسبب تراجع المعروض "
        "وارتفاع تكاليف النقل.",
        "section": "economy",
        "published": "2024-03-01",
    },
    {
        "id": "n4",
        "title": "النادي الأهلي يتأهل إلى نهائي الكأس",
        "body": "تأهل النادي الأهلي إلى نهائي الكأس بعد فوزه على منافسه بثلاثة أهداف نظيفة "
        "في المباراة التي أقيمت مساء أمس.",
        "section": "sport",
        "published": "2024-03-02",
    },
]

runner = CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    path = tmp_path / "news.jsonl"
    path.write_text(
        "\n".join(json.dumps(a, ensure_ascii=False) for a in ARTICLES) + "\n", encoding="utf-8"
    )
    return path


def _lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_related_every_article(corpus: Path) -> None:
    result = runner.invoke(app, ["related", str(corpus), "-k", "2"])
    assert result.exit_code == 0, result.output
    records = _lines(result.stdout)
    assert [r["query_id"] for r in records] == ["n1", "n2", "n3", "n4"]
    first = records[0]
    assert first["results"][0]["id"] == "n2"
    assert len(first["results"]) == 2 and first["duplicates"] == []
    assert {"score", "title", "shared_terms", "explanation"} <= set(first["results"][0])
    assert "القاهرة" in first["results"][0]["shared_terms"]


def test_related_from_stdin(corpus: Path) -> None:
    result = runner.invoke(app, ["related", "-", "-k", "1"], input=corpus.read_text("utf-8"))
    assert result.exit_code == 0, result.output
    assert _lines(result.stdout)[1]["results"][0]["id"] == "n1"


def test_related_query_by_id_and_text(corpus: Path) -> None:
    by_id = runner.invoke(app, ["related", str(corpus), "--query", "n2", "-k", "1"])
    assert _lines(by_id.stdout) == [_lines(by_id.stdout)[0]]
    assert _lines(by_id.stdout)[0]["results"][0]["id"] == "n1"
    text = "أسعار القمح ترتفع"
    by_text = runner.invoke(app, ["related", str(corpus), "-q", text, "-k", "1"])
    record = _lines(by_text.stdout)[0]
    assert record["query"] == text and record["query_id"] is None
    assert record["results"][0]["id"] == "n3"


def test_related_filters(corpus: Path) -> None:
    result = runner.invoke(
        app, ["related", str(corpus), "-q", "n1", "--section", "sport", "--no-explain"]
    )
    record = _lines(result.stdout)[0]
    assert [r["id"] for r in record["results"]] == ["n4"]
    assert record["results"][0]["shared_terms"] == []
    window = runner.invoke(app, ["related", str(corpus), "-q", "n1", "--within-days", "0.5"])
    assert [r["id"] for r in _lines(window.stdout)[0]["results"]] == ["n4"]


def test_save_and_reuse_index(corpus: Path, tmp_path: Path) -> None:
    idx = tmp_path / "idx"
    built = runner.invoke(app, ["related", str(corpus), "--save-index", str(idx), "-k", "1"])
    assert built.exit_code == 0 and (idx / "index.json").is_file()
    reused = runner.invoke(app, ["related", "--index", str(idx), "-q", "n1", "-k", "1"])
    assert reused.exit_code == 0, reused.output
    assert _lines(reused.stdout)[0]["results"][0]["id"] == "n2"
    # New articles are added to a loaded index, and can be saved back.
    extra = tmp_path / "extra.jsonl"
    story = {"id": "n5", "title": "الأهلي يفوز بكأس البطولة", "body": "فاز النادي الأهلي."}
    extra.write_text(json.dumps(story, ensure_ascii=False), encoding="utf-8")
    grown = runner.invoke(
        app, ["related", str(extra), "--index", str(idx), "--save-index", str(idx), "-k", "1"]
    )
    assert _lines(grown.stdout)[0]["results"][0]["id"] == "n4"
    assert len(json.loads((idx / "index.json").read_text("utf-8"))["ids"]) == 5


def test_related_needs_something_to_query(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("", encoding="utf-8")
    result = runner.invoke(app, ["related", str(empty)])
    assert result.exit_code != 0


def test_evaluate_related_json(tmp_path: Path) -> None:
    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "s1,s2,stance\n"
        "ارتفاع أسعار القمح محليا,أسعار القمح ترتفع في الأسواق,agree\n"
        "الأهلي إلى نهائي الكأس,الأهلي يخسر نصف نهائي الكأس,disagree\n"
        "محادثات وقف إطلاق النار في القاهرة,القاهرة تستضيف مفاوضات الهدنة,agree\n"
        "محادثات وقف إطلاق النار في القاهرة,انخفاض درجات الحرارة,other\n",
        encoding="utf-8",
    )
    result = runner.invoke(app, ["evaluate", "related", str(pairs), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.stdout)
    assert scores["n_queries"] == 3 and scores["pool_size"] == 4
    assert scores["recall@1"] == 1.0 and scores["mrr"] == 1.0
    text = runner.invoke(app, ["evaluate", "related", str(pairs)])
    assert "recall@1 1.000" in text.stdout


def test_a_page_dump_gets_its_own_related_block_ranked() -> None:
    page = Path(__file__).parent / "fixtures" / "corpus" / "pagedump.txt"
    result = CliRunner().invoke(app, ["related", str(page), "--format", "pagedump"])
    assert result.exit_code == 0, result.output
    [record] = [json.loads(line) for line in result.output.splitlines() if line.startswith("{")]
    assert record["site_order"][0] == "موجة حر تضرب المنطقة الساحلية"
    best = record["ranked"][0]
    # The seed-distribution story of the same plain is ours first; the site lists it third.
    assert best["title"].startswith("وزارة الزراعة تعلن توزيع بذار القمح")
    assert best["site_position"] == 3 and best["rank"] == 1
    assert sorted(r["site_position"] for r in record["ranked"]) == [1, 2, 3]
