"""What a run promises (docs/guarantees.md): files it writes, paths it refuses, bounds it keeps."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from typer.testing import CliRunner

from arabnews_nlp.cli import app
from arabnews_nlp.files import atomic_file
from arabnews_nlp.pipeline.checkpoint import MARKER
from arabnews_nlp.pipeline.output import write_jsonl
from arabnews_nlp.pipeline.paths import PathConflict, check_run_paths

ARTICLES = [
    {
        "id": "g-1",
        "title": "وزير الخارجية المصري يزور الخرطوم",
        "body": "وصل وزير الخارجية المصري إلى الخرطوم في زيارة تستمر يومين يبحث خلالها "
        "ملف المياه مع نظيره السوداني.",
    },
    {
        "id": "g-2",
        "title": "نادي الوداد يفوز بكأس العرش",
        "body": "فاز نادي الوداد البيضاوي بكأس العرش المغربية بعد تغلبه على الرجاء "
        "بهدف في الدار البيضاء.",
    },
]


def _write_corpus(path: Path, articles: list[dict] = ARTICLES) -> Path:
    path.write_text(
        "".join(json.dumps(a, ensure_ascii=False) + "\n" for a in articles), encoding="utf-8"
    )
    return path


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.parametrize("umask", [0o022, 0o027])
def test_atomic_files_get_the_umask_mode_like_the_jsonl(tmp_path, umask):
    previous = os.umask(umask)
    try:
        with atomic_file(tmp_path / "report.html") as f:
            f.write("<p>تقرير</p>")
        write_jsonl([{"id": "a"}], tmp_path / "out.jsonl")
    finally:
        os.umask(previous)
    assert _mode(tmp_path / "report.html") == 0o666 & ~umask
    assert _mode(tmp_path / "report.html") == _mode(tmp_path / "out.jsonl")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl", "report.html"]


# --- item 1: paths that coincide or nest are refused before anything is written -------------

runner = CliRunner()


def _analyze(*args: str):
    return runner.invoke(app, ["analyze", *map(str, args), "--no-progress"])


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def _refused(result, *words: str) -> str:
    assert result.exit_code == 2, result.output
    message = result.output.strip()
    assert message.startswith("error: "), message
    assert len(message.splitlines()) == 1, message
    for word in words:
        assert word in message, message
    return message


def test_output_equal_to_the_input_is_refused(tmp_path):
    corpus = _write_corpus(tmp_path / "news.jsonl")
    before = _snapshot(tmp_path)
    _refused(_analyze(corpus, "-o", corpus), "-o", "the input")
    assert _snapshot(tmp_path) == before


def test_report_equal_to_the_output_is_refused(tmp_path):
    corpus = _write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "out" / "analysis.jsonl"
    _refused(_analyze(corpus, "-o", out, "--report", out), "--report", "-o")
    _refused(_analyze(corpus, "-o", out, "--report", out.with_name("analysis.summary.json")))
    assert not (tmp_path / "out").exists()


def test_links_to_the_input_are_the_input(tmp_path):
    corpus = _write_corpus(tmp_path / "news.jsonl")
    (tmp_path / "soft.jsonl").symlink_to(corpus)
    os.link(corpus, tmp_path / "hard.jsonl")
    before = _snapshot(tmp_path)
    _refused(_analyze(corpus, "-o", tmp_path / "soft.jsonl"), "same file")
    _refused(_analyze(corpus, "-o", tmp_path / "hard.jsonl"), "same file")
    (tmp_path / "alias").symlink_to(tmp_path)
    report = tmp_path / "alias" / "news.jsonl"
    _refused(_analyze(corpus, "--report", report, "-o", tmp_path / "x.jsonl"), "the input")
    assert _snapshot(tmp_path) == before


def test_outputs_inside_an_input_folder_or_glob_are_refused(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    _write_corpus(folder / "a.jsonl")
    _refused(_analyze(folder, "-o", folder / "sub" / "out.jsonl"), "inside the input")
    _refused(_analyze(f"{folder}/*.jsonl", "-o", folder / "out.jsonl"), "glob")
    _refused(_analyze(f"{tmp_path}/**/*.jsonl", "-o", folder / "deep" / "out.csv"), "glob")
    assert sorted(p.name for p in folder.iterdir()) == ["a.jsonl"]
    # What the glob cannot read is fine.
    check_run_paths([f"{folder}/*.jsonl"], {"-o": folder / "sub" / "out.jsonl"})
    check_run_paths([f"{folder}/*.jsonl"], {"-o": folder / "out.parquet"})


def test_an_input_inside_the_work_folder_is_refused(tmp_path):
    work = tmp_path / "analysis.work"
    work.mkdir()
    corpus = _write_corpus(work / "news.jsonl")
    _refused(_analyze(corpus, "-o", tmp_path / "analysis.jsonl"), "the work folder")
    assert corpus.exists()


def test_output_paths_that_nest_are_refused(tmp_path):
    corpus = _write_corpus(tmp_path / "news.jsonl")
    out = tmp_path / "analysis.jsonl"
    _refused(_analyze(corpus, "-o", out, "--report", tmp_path / "analysis.work" / "r.html"))
    _refused(_analyze(corpus, "-o", tmp_path / "analysis.work"), "the work folder")
    with pytest.raises(PathConflict, match="contains"):
        check_run_paths([], {"-o": tmp_path / "d", "--report": tmp_path / "d" / "r.html"})


def test_a_work_folder_that_is_not_ours_is_never_deleted(tmp_path):
    corpus = _write_corpus(tmp_path / "news.jsonl")
    work = tmp_path / "analysis.work"
    work.mkdir()
    (work / "thesis.tex").write_text("فصل أول", encoding="utf-8")
    for extra in ([], ["--resume"]):
        message = _refused(_analyze(corpus, "-o", tmp_path / "analysis.jsonl", *extra))
        assert "not an arabnews checkpoint" in message
    assert (work / "thesis.tex").read_text(encoding="utf-8") == "فصل أول"
    # A file where the folder would go is not ours either.
    (tmp_path / "other.work").write_text("x", encoding="utf-8")
    _refused(_analyze(corpus, "-o", tmp_path / "other.jsonl"))
    assert (tmp_path / "other.work").read_text(encoding="utf-8") == "x"


def test_our_own_work_folder_is_marked_reused_and_removed(tmp_path):
    from arabnews_nlp.pipeline.checkpoint import Checkpoint

    checkpoint = Checkpoint(tmp_path / "run.work")
    assert checkpoint.start({"k": 1}, resume=False) == []
    assert (tmp_path / "run.work" / MARKER).is_file()
    assert checkpoint.start({"k": 1}, resume=False) == []  # ours: cleared and started again
    checkpoint.remove()
    assert not (tmp_path / "run.work").exists()
    # A checkpoint written before the marker existed (config + stage 1 only) is still ours.
    legacy = tmp_path / "old.work"
    legacy.mkdir()
    (legacy / "config.json").write_text("{}", encoding="utf-8")
    (legacy / "stage1.jsonl").write_text("", encoding="utf-8")
    assert Checkpoint(legacy).is_ours()


# --- item 2: --resume checks that the input is the one the checkpoint was made from ---------

OTHER = [
    {
        "id": "g-3",
        "title": "افتتاح معرض الكتاب في الرياض",
        "body": "افتتح معرض الرياض الدولي للكتاب أبوابه بمشاركة مئات دور النشر العربية.",
    }
]


def _ids(path: Path) -> list[str]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_resume_with_a_different_input_file_is_refused(tmp_path):
    first = _write_corpus(tmp_path / "first.jsonl")
    out = tmp_path / "analysis.jsonl"
    assert _analyze(first, "-o", out, "--keep-work", "-q").exit_code == 0
    second = _write_corpus(tmp_path / "second.jsonl", OTHER)
    message = _refused(_analyze(second, "-o", out, "--resume"), "different input")
    assert "--resume-different-input" in message and "second.jsonl" in message
    # The same path with other content is a different input too.
    _write_corpus(first, ARTICLES[:1])
    _refused(_analyze(first, "-o", out, "--resume"), "first.jsonl")
    assert _ids(out) == ["g-1", "g-2"]  # untouched by the refused runs


def test_resume_different_input_keeps_only_this_inputs_articles(tmp_path):
    first = _write_corpus(tmp_path / "first.jsonl")
    out = tmp_path / "analysis.jsonl"
    assert _analyze(first, "-o", out, "--keep-work", "-q").exit_code == 0
    both = _write_corpus(tmp_path / "both.jsonl", [ARTICLES[1], *OTHER])
    result = _analyze(both, "-o", out, "--resume-different-input", "--json")
    assert result.exit_code == 0, result.output
    assert _ids(out) == ["g-2", "g-3"]  # g-2 reused from the checkpoint, g-1 left out
    summary = json.loads(result.output)
    assert summary["resumed"] == 1 and summary["analysed"] == 1


def test_resume_from_other_articles_without_paths_is_refused(tmp_path):
    from arabnews_nlp import Article
    from arabnews_nlp.pipeline import RunOptions, run_analysis
    from arabnews_nlp.pipeline.checkpoint import CheckpointMismatch

    out = tmp_path / "analysis.jsonl"
    keep = RunOptions(keep_work=True, progress=False)
    run_analysis([Article.from_dict(a) for a in ARTICLES], out, keep)
    with pytest.raises(CheckpointMismatch, match="2 articles of the checkpoint"):
        run_analysis(iter([Article.from_dict(OTHER[0])]), out, RunOptions(resume=True))
    other = RunOptions(resume=True, resume_different_input=True, progress=False)
    summary = run_analysis(iter([Article.from_dict(OTHER[0])]), out, other)
    assert _ids(out) == ["g-3"] and summary.written == 1


# --- item 7: an output that cannot be written is a one-line error and exit 2 ----------------


def _unwritable(tmp_path: Path) -> Path:
    """A folder no one can create files in: its "parent" is a regular file (root ignores
    permission bits, so a chmod-ed folder would not do in every test environment)."""
    blocker = tmp_path / "blocker"
    blocker.write_text("", encoding="utf-8")
    return blocker / "out"


@pytest.mark.parametrize(
    "command",
    [
        ["classify", "{corpus}", "-o", "{out}/sections.jsonl"],
        ["related", "{corpus}", "--save-index", "{out}/index"],
        ["entities", "{corpus}", "--html", "{out}/entities.html"],
        ["analyze", "{corpus}", "-o", "{out}/analysis.jsonl", "-q"],
        ["analyze", "{corpus}", "-o", "{ok}/analysis.jsonl", "--report", "{out}/r.html", "-q"],
    ],
    ids=["classify", "related", "entities", "analyze", "analyze-report"],
)
def test_an_unwritable_output_is_one_line_and_exit_2(tmp_path, command):
    corpus = _write_corpus(tmp_path / "news.jsonl")
    values = {"corpus": corpus, "out": _unwritable(tmp_path), "ok": tmp_path / "ok"}
    args = [part.format(**values) for part in command]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, (result.output, result.exception)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "blocker" in errors[0] and "Traceback" not in result.output


# --- item 8: pool workers exit when the parent is killed -------------------------------------

_POOL_SCRIPT = """
import json, os, sys, time
from arabnews_nlp.pipeline.pool import spawn_pool

if __name__ == "__main__":
    pool = spawn_pool(2, time.sleep, (0,))
    for f in [pool.submit(time.sleep, 0.3) for _ in range(2)]:
        f.result()
    print(json.dumps([p.pid for p in pool._processes.values()]), flush=True)
    time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat_line.rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited


@pytest.mark.slow  # spawns two interpreters that import the library (~20 s here)
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")
def test_pool_workers_exit_when_the_parent_is_killed(tmp_path):
    import signal
    import subprocess
    import sys
    import time

    script = tmp_path / "pool.py"
    script.write_text(_POOL_SCRIPT, encoding="utf-8")
    parent = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert parent.stdout is not None
        workers = json.loads(parent.stdout.readline())
        assert len(workers) == 2 and all(_alive(pid) for pid in workers)
        os.kill(parent.pid, signal.SIGKILL)  # no chance to shut the pool down
        parent.wait()
        killed = time.monotonic()
        while any(_alive(pid) for pid in workers) and time.monotonic() < killed + 20:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers)
        assert time.monotonic() - killed < 10, time.monotonic() - killed
    finally:
        parent.kill()
        for pid in workers:  # a failing run must not leave blocked workers behind
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)


# --- item 14: a per-article bound, linear time below it ---------------------------------------

_SENTENCES = (
    "وصل وزير الخارجية المصري إلى الخرطوم في زيارة رسمية تستمر {n} أيام. ",
    "وقال المتحدث باسم الوزارة إن المحادثات تناولت ملف المياه والتعاون الاقتصادي. ",
    "وأكدت مصادر في القاهرة أن الجانبين اتفقا على اجتماع جديد في الشهر {n}. ",
)


def _long_body(n_chars: int) -> str:
    parts, total, i = [], 0, 0
    while total < n_chars:
        part = _SENTENCES[i % 3].format(n=i)
        parts.append(part)
        total += len(part)
        i += 1
    return "".join(parts)[:n_chars]


def test_an_article_over_the_bound_is_its_own_error(tmp_path):
    from arabnews_nlp.pipeline.stage import MAX_ARTICLE_CHARS

    huge = {"id": "g-huge", "title": "سجل ملتصق", "body": _long_body(1_100_000)}
    corpus = _write_corpus(tmp_path / "news.jsonl", [ARTICLES[0], huge, ARTICLES[1]])
    out = tmp_path / "analysis.jsonl"
    result = _analyze(corpus, "-o", out, "--json")
    assert result.exit_code == 1, result.output  # some records failed, the rest written
    assert _ids(out) == ["g-1", "g-2"]
    [error] = [json.loads(line) for line in out.with_name("analysis.errors.jsonl").open()]
    assert error["id"] == "g-huge" and error["kind"] == "processing"
    assert error["reason"].startswith("too long: 1,100,0")
    assert f"{MAX_ARTICLE_CHARS:,}" in error["reason"]


def test_the_bound_is_a_setting_and_keeps_the_order():
    from arabnews_nlp import Article
    from arabnews_nlp.pipeline import ProcessingError
    from arabnews_nlp.pipeline.stage import AnalysisConfig, analyze_chunk, get_models

    config = AnalysisConfig(max_chars=2_000)
    articles = [
        Article(id="long", title="تقرير مطول", body=_long_body(3_000)),
        Article.from_dict(ARTICLES[0]),
    ]
    first, second = analyze_chunk(articles, get_models(AnalysisConfig()), config)
    assert isinstance(first, ProcessingError) and "limit of 2,000" in first.reason
    assert second.id == "g-1" and second.entities  # analysed as usual


@pytest.mark.slow  # times real analyses of long articles
def test_time_per_article_is_linear_in_its_length():
    import time

    from arabnews_nlp import Article
    from arabnews_nlp.pipeline.stage import AnalysisConfig, analyze_chunk, get_models

    models = get_models(AnalysisConfig())

    def seconds(n_chars: int) -> float:
        article = Article(id=f"l{n_chars}", title="زيارة إلى الخرطوم", body=_long_body(n_chars))
        started = time.perf_counter()
        [result] = analyze_chunk([article], models)
        assert result.entities
        return time.perf_counter() - started

    seconds(5_000)  # warm up
    small = min(seconds(25_000) for _ in range(2))
    large = seconds(190_000)  # just under the bound: 7.6x the text
    assert large < 24 * small  # linear ~8x; quadratic would be ~64x


def test_entities_skips_an_article_over_the_bound(tmp_path):
    huge = {"id": "g-huge", "title": "سجل ملتصق", "body": _long_body(1_100_000)}
    corpus = _write_corpus(tmp_path / "news.jsonl", [huge, ARTICLES[0]])
    result = runner.invoke(app, ["entities", str(corpus)])
    assert result.exit_code == 1, result.output  # before: spaCy's E088 traceback
    assert result.output.count("too long: 1,100,0") == 1
    assert '"id": "g-1"' in result.output and '"id": "g-huge"' not in result.output
