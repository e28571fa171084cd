"""`arabnews classify`, `arabnews train sections`, `arabnews evaluate sections` end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arabnews_nlp.cli import app
from test_sections import CORPUS, SHIPPED_CASES

runner = CliRunner()


def _write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    records = [
        {
            "id": f"{label}-{i}",
            "title": text.split("،")[0][:30],
            "body": text,
            "section": label,
            "source": f"outlet{i % 3}",
        }
        for label, texts in CORPUS.items()
        for i, text in enumerate(texts)
    ]
    return _write_jsonl(tmp_path / "labelled.jsonl", records)


@pytest.fixture
def obvious(tmp_path: Path) -> Path:
    records = [
        # ANT-style raw labels: the evaluator maps them onto the taxonomy.
        {"id": f"x{i}", "title": t, "body": b, "section": {"sports": "sport"}.get(y, y)}
        for i, (t, b, y) in enumerate(SHIPPED_CASES)
    ]
    records.append({"id": "x-unlabelled", "title": "خبر", "body": "نص بلا قسم", "section": "حوادث"})
    return _write_jsonl(tmp_path / "obvious.jsonl", records)


def test_classify_with_the_shipped_model(obvious: Path) -> None:
    result = runner.invoke(app, ["classify", str(obvious), "--explain", "3", "--all-scores"])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["id"] for r in rows][:5] == ["x0", "x1", "x2", "x3", "x4"]
    assert [r["section"] for r in rows][:5] == [y for _, _, y in SHIPPED_CASES]
    assert rows[0]["display_name"] == "رياضة"
    assert 0.5 < rows[0]["score"] <= 1.0
    assert abs(sum(rows[0]["scores"].values()) - 1.0) < 1e-3
    assert 1 <= len(rows[0]["terms"]) <= 3


def test_classify_reads_stdin_and_writes_a_file(obvious: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "sections.jsonl"
    result = runner.invoke(app, ["classify", "-", "-o", str(out)], input=obvious.read_text())
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert len(rows) == len(SHIPPED_CASES) + 1
    assert set(rows[0]) == {"id", "section", "display_name", "score"}


def test_evaluate_shipped_model_as_json(obvious: Path) -> None:
    result = runner.invoke(app, ["evaluate", "sections", str(obvious), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["n"] == len(SHIPPED_CASES) and report["skipped_unlabelled"] == 1
    assert report["accuracy"] == 1.0 and report["macro_f1"] == 1.0
    assert report["per_class"]["sports"] == {
        "precision": 1.0,
        "recall": 1.0,
        "f1": 1.0,
        "support": 1,
    }


def test_train_classify_evaluate_own_model(labelled: Path, tmp_path: Path) -> None:
    model_dir = tmp_path / "model"
    result = runner.invoke(
        app,
        [
            "train",
            "sections",
            str(labelled),
            "--label-field",
            "section",
            "-o",
            str(model_dir),
            "-C",
            "1",
            "--min-df",
            "1",
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["split"] == "stratified" and report["n"] + report["n_train"] == 30
    assert 0.0 <= report["macro_f1"] <= 1.0
    assert (model_dir / "config.json").is_file()

    result = runner.invoke(app, ["classify", str(labelled), "--model", str(model_dir)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(rows) == 30 and {r["section"] for r in rows} <= set(CORPUS)

    result = runner.invoke(
        app, ["evaluate", "sections", str(labelled), "--model", str(model_dir), "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["accuracy"] == 1.0  # it has seen every article


def test_train_holds_out_whole_groups(labelled: Path, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            "train",
            "sections",
            str(labelled),
            "-o",
            str(tmp_path / "m"),
            "--group-field",
            "source",
            "-C",
            "1",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "groups split" in result.stdout and "n=10" in result.stdout


def test_bad_model_directory_is_a_clear_error(obvious: Path, tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{}")
    result = runner.invoke(app, ["classify", str(obvious), "--model", str(tmp_path)])
    assert result.exit_code != 0
    assert "not a section model" in result.output
