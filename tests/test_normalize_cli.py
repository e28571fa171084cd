"""`arabnews normalize`: text lines and JSON Lines articles, from a file or stdin."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from arabnews_nlp.cli import app

runner = CliRunner()


def test_stdin_text_lines_keep_their_order_and_blank_lines() -> None:
    result = runner.invoke(app, ["normalize"], input="أعلنَت الوزارةُ عن ٣ إصابات\n\nعاجـــل\n")
    assert result.exit_code == 0, result.output
    assert result.stdout == "اعلنت الوزاره عن 3 اصابات\n\nعاجل\n"


def test_jsonl_articles_from_a_file(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    records = [
        {"id": "a1", "title": "وكالة Reuters: عاجـــل", "body": "وصلَ الرئيسُ", "views": 3},
        {"id": "a2", "title": "مدرسة", "tags": ["تعليم"]},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    result = runner.invoke(app, ["normalize", str(path), "--profile", "ner"])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert out[0] == {"id": "a1", "title": "وكاله Reuters: عاجل", "body": "وصل الرئيس", "views": 3}
    assert out[1] == {"id": "a2", "title": "مدرسه", "tags": ["تعليم"]}


def test_step_switches_and_fields() -> None:
    line = json.dumps({"title": "مدرسةٌ", "body": "مدرسةٌ"}, ensure_ascii=False)
    result = runner.invoke(
        app, ["normalize", "-", "--off", "normalize_teh_marbuta", "--fields", "title"], input=line
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {"title": "مدرسة", "body": "مدرسةٌ"}


def test_bad_json_is_normalized_as_text_with_a_warning() -> None:
    result = runner.invoke(app, ["normalize", "-p", "display"], input="{ليس JSON\n")
    assert result.exit_code == 0
    assert result.stdout == "{ليس JSON\n"
    assert "not JSON" in result.stderr


def test_unknown_profile_or_step_is_a_usage_error() -> None:
    assert runner.invoke(app, ["normalize", "-p", "loud"], input="نص").exit_code == 2
    assert runner.invoke(app, ["normalize", "--on", "shout"], input="نص").exit_code == 2
