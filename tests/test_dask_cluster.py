"""The Dask engine on a real ``LocalCluster`` of two worker processes.

* the records equal the local engine's on the bundled sample corpus (ids, sections, entities,
  related ids and scores), and each worker loaded the models once;
* a worker process killed (SIGKILL) after it finished some stage-1 partitions: the run still
  completes, every id exactly once, and the records still equal the local ones;
* ``arabnews analyze --engine dask --scheduler ADDR`` writes the parts, errors and summary, and
  the same corpus entity table as the local engine.
"""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import pyarrow.parquet as pq
import pytest

pytest.importorskip("distributed")

from distributed import WorkerPlugin
from typer.testing import CliRunner

from arabnews_nlp.cli import app
from arabnews_nlp.corpus import read_articles
from arabnews_nlp.dask_engine import (
    analyze_dask,
    dask_client,
    model_loads,
    read_articles_dask,
)
from arabnews_nlp.pipeline import AnalysisConfig, AnalysisRecord, analyze
from arabnews_nlp.pipeline.entity_table import entity_table

#: Bytes per input partition: the 44 sample articles make about a dozen partitions, so a
#: worker has finished some and has others to go when it is killed.
BLOCKSIZE = 12_000


@pytest.fixture(scope="module")
def client():
    with dask_client(n_workers=2, config=AnalysisConfig()) as client:
        client.wait_for_workers(2)
        yield client


@pytest.fixture(scope="module")
def local_analysis(sample_path: Path) -> list[AnalysisRecord]:
    return list(analyze(read_articles(sample_path)))


@pytest.fixture(scope="module")
def local_records(local_analysis: list[AnalysisRecord]) -> list[dict]:
    return [r.to_dict() for r in local_analysis]


def _run(sample_path: Path) -> list[dict]:
    bag = read_articles_dask(sample_path, blocksize=BLOCKSIZE)
    assert bag.npartitions >= 8
    return [r.to_dict() for r in analyze_dask(bag).compute()]


def test_same_records_as_the_local_engine(client, sample_path, local_records):
    records = _run(sample_path)
    assert [r["id"] for r in records] == [r["id"] for r in local_records]
    assert [r["section"] for r in records] == [r["section"] for r in local_records]
    assert [r["entities"] for r in records] == [r["entities"] for r in local_records]
    related = [[x["id"] for x in r["related"]] for r in records]
    assert related == [[x["id"] for x in r["related"]] for r in local_records]
    assert sum(map(len, related)) == 5 * len(records)
    assert records == local_records  # and everything else, scores included
    # The plugin loaded the models when each worker started; no task loaded them again.
    assert set(client.run(model_loads).values()) == {1}


class KillOnce(WorkerPlugin):
    """SIGKILL the worker process that finishes its second stage-1 partition — once per
    cluster (a flag file keeps the replacement worker alive)."""

    name = "test-kill-once"

    def __init__(self, flag: Path) -> None:
        self.flag = str(flag)
        self.done = 0

    def transition(self, key, start, finish, **kwargs) -> None:
        name = key[0] if isinstance(key, tuple) else str(key)
        if finish != "memory" or not str(name).startswith("analyze_partition"):
            return
        self.done += 1
        if self.done == 2:
            try:
                fd = os.open(self.flag, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            except FileExistsError:
                return
            os.write(fd, str(os.getpid()).encode())
            os.close(fd)
            os.kill(os.getpid(), signal.SIGKILL)


@pytest.mark.slow  # a worker restart, a second model load and the recomputation: ~45 s
def test_a_killed_worker_loses_nothing(client, sample_path, local_records, tmp_path):
    flag = tmp_path / "killed"
    before = set(client.scheduler_info()["workers"])
    client.register_plugin(KillOnce(flag))
    try:
        records = _run(sample_path)
    finally:
        client.unregister_worker_plugin(KillOnce.name)
    assert flag.exists(), "no worker was killed"
    client.wait_for_workers(2)
    assert set(client.scheduler_info()["workers"]) != before  # one was replaced
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)) == len(local_records)
    assert records == local_records


def test_cli_runs_on_a_running_scheduler(
    client, sample_path, local_records, local_analysis, tmp_path
):
    out = tmp_path / "analysis.jsonl"
    address = client.scheduler.address
    result = CliRunner().invoke(
        app,
        ["analyze", str(sample_path), "-o", str(out), "--engine", "dask", "--scheduler", address],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    assert "Analysed 44 articles (44 read, 0 resumed, 0 failed)" in result.output
    # One file at the path given, as the local engine writes it.
    assert out.is_file()
    assert [json.loads(x) for x in out.read_text("utf-8").splitlines()] == local_records
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "analysis.entities.csv", "analysis.entities.parquet", "analysis.errors.jsonl",
        "analysis.jsonl", "analysis.summary.json",
    ]  # fmt: skip
    summary = json.loads((tmp_path / "analysis.summary.json").read_text("utf-8"))
    assert summary["written"] == 44 and summary["n_jobs"] == 2
    assert summary["outputs"]["entities"] == str(tmp_path / "analysis.entities.parquet")
    # The corpus entity table of the cluster run is the local engine's, row for row.
    local = entity_table(local_analysis)
    assert len(local) > 100 and any(row["kb_id"] for row in local)
    assert pq.read_table(tmp_path / "analysis.entities.parquet").to_pylist() == local
    assert (tmp_path / "analysis.errors.jsonl").read_text("utf-8") == ""


def test_cli_writes_part_files_when_asked(client, sample_path, local_records, tmp_path):
    out = tmp_path / "analysis.jsonl"
    address = client.scheduler.address
    result = CliRunner().invoke(
        app,
        ["analyze", str(sample_path), "-o", str(out), "--engine", "dask", "--scheduler", address,
         "--parts", "-q"],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    parts = sorted(out.glob("part-*.jsonl"))
    assert len(parts) >= 1 and out.is_dir()
    lines = [json.loads(x) for p in parts for x in p.read_text("utf-8").splitlines()]
    assert lines == local_records


def test_cli_refuses_what_the_dask_engine_cannot_do(sample_path, tmp_path):
    runner = CliRunner()
    base = ["analyze", str(sample_path), "-o", str(tmp_path / "a.jsonl"), "--engine", "dask"]
    both = ["--scheduler", "tcp://127.0.0.1:1", "--workers", "2"]
    for extra in (["--resume"], ["--report", str(tmp_path / "r.html")], ["-f", "csv"], both):
        result = runner.invoke(app, [*base, *extra])
        assert result.exit_code == 2 and "--engine dask" in result.output, extra
    result = runner.invoke(app, [*base[:-1], "spark"])
    assert result.exit_code == 2 and "--engine" in result.output
