"""`arabnews quotes` and `arabnews dates`: JSON Lines in and out, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from arabnews_nlp.cli import app

runner = CliRunner()


def _lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def test_quotes_from_stdin_text_lines() -> None:
    text = "وقال المتحدث باسم البلدية إن الطريق سيفتح غدا.\n\nلا تصريح هنا.\n"
    result = runner.invoke(app, ["quotes", "--no-entities"], input=text)
    assert result.exit_code == 0, result.output
    first, second = _lines(result.stdout)
    assert first["line"] == 1 and second == {"line": 3, "id": None, "quotes": []}
    [q] = first["quotes"]
    assert (q["speaker"]["text"], q["cue"]["text"], q["content"]["text"]) == (
        "المتحدث باسم البلدية",
        "وقال",
        "الطريق سيفتح غدا",
    )


def test_dates_use_the_article_date_before_the_reference(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    records = [
        {"id": "a1", "title": "خبر", "body": "وصل الوفد أمس.", "published": "2024-11-05"},
        {"id": "a2", "title": "خبر آخر", "body": "يعقد الاجتماع غدا."},
    ]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    result = runner.invoke(app, ["dates", str(path), "--reference", "2025-03-20"])
    assert result.exit_code == 0, result.output
    a1, a2 = _lines(result.stdout)
    assert (a1["id"], a1["dates"][0]["value"]) == ("a1", "2024-11-04")
    assert (a2["reference"], a2["dates"][0]["value"]) == ("2025-03-20", "2025-03-21")


def test_skipped_records_give_exit_status_1(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    good = json.dumps({"id": "a1", "title": "خبر", "body": "وقالت الوزارة إن الخدمة عادت."})
    path.write_text(good + "\n{not json\n", "utf-8")
    result = runner.invoke(app, ["quotes", str(path), "--no-entities"])
    assert result.exit_code == 1
    [record] = _lines(result.stdout)
    assert record["quotes"][0]["speaker"]["text"] == "الوزارة"


def test_bad_reference_is_fatal() -> None:
    result = runner.invoke(app, ["dates", "--reference", "not-a-date"], input="وصل الوفد أمس\n")
    assert result.exit_code == 2
