"""`arabnews analyze` end to end on the bundled sample corpus and small fixtures of our own."""

from __future__ import annotations

import csv
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arabnews_nlp import Article
from arabnews_nlp.cli import app
from arabnews_nlp.pipeline import AnalysisInterrupted, RunOptions, run_analysis

runner = CliRunner()
TAXONOMY = {"politics", "economy", "sports", "culture", "technology"}

# Three short articles of our own; the third has no body and the fourth line is broken JSON.
FIXTURE_LINES = [
    json.dumps(
        {
            "id": "fx-1",
            "title": "البنك المركزي الأردني يثبت أسعار الفائدة",
            "body": "قرر البنك المركزي الأردني في عمّان الإبقاء على أسعار الفائدة دون تغيير، "
            "وقال المحافظ إن التضخم تراجع خلال الربع الأخير من العام.",
        },
        ensure_ascii=False,
    ),
    json.dumps(
        {
            "id": "fx-2",
            "title": "منتخب المغرب يتأهل إلى نهائي كأس أفريقيا",
            "body": "تأهل منتخب المغرب إلى المباراة النهائية بعد فوزه على منتخب السنغال "
            "بهدفين نظيفين في الرباط أمام جمهور غفير.",
        },
        ensure_ascii=False,
    ),
    json.dumps({"id": "fx-3", "title": "خبر بلا نص"}, ensure_ascii=False),
    '{"id": "fx-4", "title": "سطر مقطوع',
]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def _canonical(records: list[dict]) -> list[str]:
    return [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records]


def _invoke(*args: str, input: str | None = None):
    return runner.invoke(app, ["analyze", *args], input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory, sample_path) -> tuple[Path, object]:
    out = tmp_path_factory.mktemp("baseline") / "analysis.jsonl"
    result = _invoke(str(sample_path), "-o", str(out), "--report", str(out.with_suffix(".html")))
    return out, result


def test_sample_run_prints_summary_and_exits_0(baseline):
    out, result = baseline
    assert result.exit_code == 0, result.output
    assert "Analysed 44 articles (44 read, 0 resumed, 0 failed)" in result.output
    for part in ("Sections:", "Top places:", "Related pairs:", "Timings:"):
        assert part in result.output
    summary = json.loads(out.with_name("analysis.summary.json").read_text(encoding="utf-8"))
    assert summary["written"] == 44 and summary["exit_code"] == 0
    assert sum(summary["sections"].values()) == 44
    assert out.with_name("analysis.errors.jsonl").read_text(encoding="utf-8") == ""
    assert not out.with_name("analysis.work").exists()  # removed after success
    html = out.with_suffix(".html").read_text(encoding="utf-8")
    assert 'dir="rtl"' in html and html.count("<article ") == 44


def test_record_shape(baseline, sample_path):
    out, _ = baseline
    records = _lines(out)
    articles = {a["id"]: Article.from_dict(a) for a in _lines(sample_path)}
    assert [r["id"] for r in records] == list(articles)
    for r in records:
        assert r["section"] in TAXONOMY and 0.0 < r["section_score"] <= 1.0
        assert r["section_name"]
        text = articles[r["id"]].text
        for e in r["entities"]:
            assert e["label"] in {"PER", "LOC", "ORG"}
            assert text[e["start"] : e["end"]] == e["text"]
            assert e["canonical"]
        assert len(r["related"]) <= 5
        ids = [x["id"] for x in r["related"]] + [x["id"] for x in r["duplicates"]]
        assert r["id"] not in ids and len(set(ids)) == len(ids)
        assert all(x in articles for x in ids)
        scores = [x["score"] for x in r["related"]]
        assert scores == sorted(scores, reverse=True)
    # The section model is wired in: it mostly agrees with the sample corpus's own labels
    # (model quality itself is gated by the sections tests).
    agree = sum(r["section"] == r["given_section"] for r in records)
    assert agree >= 0.7 * len(records)


def test_parallel_output_is_identical(baseline, sample_path, tmp_path):
    out, _ = baseline
    parallel = tmp_path / "analysis.jsonl"
    result = _invoke(str(sample_path), "-o", str(parallel), "-j", "2", "-q")
    assert result.exit_code == 0, result.output
    assert _canonical(_lines(parallel)) == _canonical(_lines(out))


def test_resume_after_a_partial_run(baseline, sample_path, tmp_path):
    out, _ = baseline
    lines = sample_path.read_text(encoding="utf-8").splitlines(keepends=True)
    prefix = tmp_path / "prefix.jsonl"
    prefix.write_text("".join(lines[:20]), encoding="utf-8")
    target = tmp_path / "analysis.jsonl"
    first = _invoke(str(prefix), "-o", str(target), "--keep-work", "--chunk-size", "8", "-q")
    assert first.exit_code == 0 and len(_lines(target)) == 20

    # Another file than the checkpoint's: plain --resume refuses it, the explicit flag reuses
    # the 20 analyses of articles the full corpus also has.
    refused = _invoke(str(sample_path), "-o", str(target), "--resume", "--chunk-size", "8")
    assert refused.exit_code == 2 and "different input" in refused.output
    second = _invoke(
        str(sample_path), "-o", str(target), "--resume-different-input", "--chunk-size", "8"
    )
    assert second.exit_code == 0, second.output
    assert "44 read, 20 resumed, 0 failed" in second.output
    records = _lines(target)
    assert len({r["id"] for r in records}) == len(records) == 44
    assert _canonical(records) == _canonical(_lines(out))


def test_interrupted_run_keeps_a_valid_checkpoint_and_resumes(baseline, sample_path, tmp_path):
    out, _ = baseline
    articles = [Article.from_dict(a) for a in _lines(sample_path)]

    def stream_then_ctrl_c():
        yield from articles[:27]
        raise KeyboardInterrupt

    target = tmp_path / "analysis.jsonl"
    with pytest.raises(AnalysisInterrupted) as stop:
        run_analysis(stream_then_ctrl_c(), target, RunOptions(chunk_size=8, progress=False))
    assert stop.value.done == 24  # three whole chunks; the torn fourth is not kept
    checkpoint = stop.value.checkpoint / "stage1.jsonl"
    assert [json.loads(line)["id"] for line in checkpoint.open(encoding="utf-8")] == [
        a.id for a in articles[:24]
    ]
    assert not target.exists()

    summary = run_analysis(articles, target, RunOptions(chunk_size=8, resume=True, progress=False))
    assert (summary.resumed, summary.analysed, summary.written) == (24, 20, 44)
    assert _canonical(_lines(target)) == _canonical(_lines(out))


def test_bad_records_go_to_the_errors_file(tmp_path):
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(FIXTURE_LINES) + "\n", encoding="utf-8")
    out = tmp_path / "analysis.jsonl"
    result = _invoke(str(source), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert [r["id"] for r in _lines(out)] == ["fx-1", "fx-2"]
    errors = _lines(tmp_path / "analysis.errors.jsonl")
    assert [(e["record"], e["kind"]) for e in errors] == [(3, "missing_field"), (4, "parse")]
    assert all(e["source"] == str(source) and e["reason"] for e in errors)
    assert "Errors: 2 record(s) skipped" in result.output
    sections = {r["id"]: r["section"] for r in _lines(out)}
    assert sections == {"fx-1": "economy", "fx-2": "sports"}


def test_an_article_that_breaks_the_analysis_is_isolated(tmp_path, monkeypatch):
    from arabnews_nlp.pipeline import stage

    real = stage._analyze_batch

    def fragile(articles, models, config):
        if any(a.id == "fx-2" for a in articles):
            raise RuntimeError("model crashed on this text")
        return real(articles, models, config)

    monkeypatch.setattr(stage, "_analyze_batch", fragile)
    source = tmp_path / "news.jsonl"
    source.write_text("\n".join(FIXTURE_LINES[:2]) + "\n", encoding="utf-8")
    summary = run_analysis([source], tmp_path / "out.jsonl", RunOptions(progress=False))
    assert (summary.written, summary.failed, summary.exit_code) == (1, 1, 1)
    [error] = _lines(tmp_path / "out.errors.jsonl")
    assert error["id"] == "fx-2" and error["kind"] == "processing"
    assert "RuntimeError: model crashed" in error["reason"]


def test_stdin_input(sample_path, tmp_path):
    out = tmp_path / "analysis.jsonl"
    text = "\n".join(FIXTURE_LINES[:2]) + "\n"
    result = _invoke("-", "-o", str(out), "--related-k", "1", "-q", input=text)
    assert result.exit_code == 0, result.output
    records = _lines(out)
    assert [r["id"] for r in records] == ["fx-1", "fx-2"]
    # With two articles the only possible related article is the other one.
    assert [[x["id"] for x in r["related"]] for r in records] in (
        [["fx-2"], ["fx-1"]],
        [[], []],
    )


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_parquet_and_csv_output(baseline, sample_path, tmp_path, fmt):
    out, _ = baseline
    expected = _lines(out)
    target = tmp_path / f"analysis.{fmt}"
    result = _invoke(str(sample_path), "-o", str(target), "-q")
    assert result.exit_code == 0, result.output
    if fmt == "parquet":
        import pyarrow.parquet as pq

        rows = pq.read_table(target).to_pylist()
        assert [r["id"] for r in rows] == [r["id"] for r in expected]
        assert rows[0]["entities"][0]["text"] == expected[0]["entities"][0]["text"]
        assert [x["id"] for x in rows[5]["related"]] == [x["id"] for x in expected[5]["related"]]
    else:
        with target.open(encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        assert [r["section"] for r in rows] == [r["section"] for r in expected]
        assert json.loads(rows[3]["entities"]) == expected[3]["entities"]


def test_usage_errors_exit_2(sample_path, tmp_path):
    assert runner.invoke(app, ["analyze", str(sample_path)]).exit_code == 2  # no -o
    bad = runner.invoke(app, ["analyze", str(sample_path), "-o", str(tmp_path / "a"), "-f", "xml"])
    assert bad.exit_code == 2 and "xml" in bad.output
    help_text = runner.invoke(app, ["analyze", "--help"], env={"COLUMNS": "200"}).output
    for option in ("--format", "--jobs", "--related-k", "--sections-model", "--resume", "--report"):
        assert option in help_text
    assert "Exit status" in help_text


@pytest.mark.slow  # two CLI processes with model loading; the API-level test above is quick
def test_ctrl_c_in_a_real_process(sample_path, tmp_path):
    """SIGINT to a running `arabnews analyze`: exit 130, a valid checkpoint, a resume hint."""
    copies = 4  # enough work that the signal lands mid-run
    base = _lines(sample_path)
    big = tmp_path / "big.jsonl"
    with big.open("w", encoding="utf-8") as f:
        for copy in range(copies):
            for a in base:
                f.write(json.dumps({**a, "id": f"{a['id']}-{copy}"}, ensure_ascii=False) + "\n")
    out = tmp_path / "analysis.jsonl"
    command = [sys.executable, "-c", "from arabnews_nlp.cli import main; main()", "analyze",
               str(big), "-o", str(out), "--chunk-size", "8", "--related-k", "2"]  # fmt: skip
    checkpoint = tmp_path / "analysis.work" / "stage1.jsonl"
    # A shell's background job (`make slow &`) inherits SIGINT as ignored, and Python keeps it
    # so: give the child the default disposition, as a terminal would.
    proc = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if checkpoint.exists() and checkpoint.stat().st_size > 0:
            break
        time.sleep(0.05)
    if proc.poll() is not None:
        pytest.skip("the run finished before it could be interrupted")
    os.kill(proc.pid, signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    assert "--resume" in stderr
    done = [json.loads(line)["id"] for line in checkpoint.open(encoding="utf-8")]
    assert 0 < len(done) < copies * len(base) and len(set(done)) == len(done)
    assert not out.exists()

    resumed = subprocess.run([*command, "--resume", "-q"], capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    ids = [r["id"] for r in _lines(out)]
    assert len(ids) == len(set(ids)) == copies * len(base)


def test_entity_table_written_next_to_the_output(baseline):
    import pandas as pd

    out, _ = baseline
    table = pd.read_parquet(out.with_name("analysis.entities.parquet"))
    csv_table = pd.read_csv(out.with_name("analysis.entities.csv"), keep_default_na=False)
    assert list(table["id"]) == list(csv_table["id"])
    assert table["id"].is_unique
    # One row per linked entity whatever the spelling: every kb_id appears once.
    linked = table[table["kb_id"].notna()]
    assert linked["kb_id"].is_unique and len(linked) > 20
    places = linked[linked["label"] == "LOC"]
    assert places["lat"].notna().all()
    # Regions such as the Middle East have no country; cities and countries do.
    assert places[places["kind"] != "region"]["country"].str.len().eq(2).all()
    assert (table["articles"] >= 1).all() and (table["mentions"] >= table["articles"]).all()
    top = table.iloc[0]
    assert top["first_published"] <= top["last_published"] and len(top["cooccurring"]) > 0


def test_related_within_days_bounds_the_links_by_date(baseline, sample_path, tmp_path):
    from datetime import datetime

    out, _ = baseline
    bounded = tmp_path / "analysis.jsonl"
    result = _invoke(str(sample_path), "-o", str(bounded), "--related-within-days", "3", "-q")
    assert result.exit_code == 0, result.output
    day = {r["id"]: datetime.fromisoformat(r["published"]) for r in _lines(out)}
    records = _lines(bounded)
    links = [(r["id"], x["id"]) for r in records for x in r["related"] + r["duplicates"]]
    assert links, "some sample stories are covered twice within three days"
    assert all(abs((day[a] - day[b]).total_seconds()) <= 3 * 86400 for a, b in links)
    # The window leaves some articles with fewer related ones than the unbounded run.
    unbounded = sum(len(r["related"]) for r in _lines(out))
    assert sum(len(r["related"]) for r in records) < unbounded
