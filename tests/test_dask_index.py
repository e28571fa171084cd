"""The Dask engine's stage 2: the local engine's index fitted on the client as stage-1
partitions complete, searched with the same candidate search (or exactly).

Runs on an in-process ``LocalCluster`` (threads, ``processes=False``) so it stays fast on two
cores; ``tests/test_dask_cluster.py`` runs the same engine on worker processes. The corpus is
the bundled Arabic sample, cut into about a dozen partitions; the index's batch size is
lowered so its ``fit`` batches straddle partitions, and a candidate search that probes only
some clusters is forced on it, so that the answers depend on the search and not only on the
articles.
"""

from __future__ import annotations

import filecmp
import json
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from distributed import Client, LocalCluster

from arabnews_nlp.corpus import read_articles
from arabnews_nlp.dask_engine import analyze_dask, read_articles_dask, run_analysis_dask
from arabnews_nlp.dask_engine.index_feed import in_order
from arabnews_nlp.pipeline import AnalysisRecord, analyze, link_related, run_analysis
from arabnews_nlp.pipeline.options import RunOptions
from arabnews_nlp.related.clusters import ClusterSearch

BLOCKSIZE = 12_000  # about a dozen partitions of the 44 sample articles


def _probing() -> dict:
    """Index parameters whose candidate search probes 2 of ~6 clusters (not exhaustive)."""
    search = ClusterSearch(n_components=8, rows_per_cluster=8, n_probe=2, min_rows=0)
    return {"batch_size": 8, "candidates": search}


@pytest.fixture(scope="module")
def cluster():
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        yield cluster


@pytest.fixture
def client(cluster):
    with Client(cluster) as client:
        yield client


@pytest.fixture(scope="module")
def local(sample_path: Path) -> list[AnalysisRecord]:
    return list(analyze(read_articles(sample_path)))


def _dask(sample_path: Path, **options) -> list[dict]:
    bag = read_articles_dask(sample_path, blocksize=BLOCKSIZE)
    assert bag.npartitions >= 8
    return [r.to_dict() for r in analyze_dask(bag, **options).compute()]


def _local(local: list[AnalysisRecord], **options) -> list[dict]:
    return [r.to_dict() for r in link_related([r.analysis for r in local], 5, **options)]


@pytest.mark.parametrize("exact", [False, True])
def test_default_index_gives_the_local_engines_records(client, sample_path, local, exact):
    found = _dask(sample_path, exact=exact)
    assert found == [r.to_dict() for r in local]
    assert sum(len(r["related"]) for r in found) == 5 * len(found)
    # Links name the entities both articles share: some of them do.
    assert any(x["shared_entities"] for r in found for x in r["related"])


def test_the_same_candidate_search_as_the_local_engine(client, sample_path, local):
    candidates = _dask(sample_path, index_params=_probing())
    exact = _dask(sample_path, index_params=_probing(), exact=True)
    assert candidates == _local(local, index_params=_probing())
    assert exact == _local(local, index_params=_probing(), exact=True)
    # The candidate search really ran: probing 2 clusters misses some exact neighbours.
    assert candidates != exact
    assert [r["id"] for r in candidates] == [r["id"] for r in exact]


def test_no_related_articles_with_k_zero(client, sample_path, local):
    found = _dask(sample_path, related_k=0)
    assert [r["id"] for r in found] == [r.id for r in local]
    assert all(not r["related"] and not r["duplicates"] for r in found)
    assert [r["entities"] for r in found] == [r.to_dict()["entities"] for r in local]


@pytest.mark.parametrize("exact", [False, True])
def test_cli_runs_write_the_local_output_byte_for_byte(cluster, sample_path, tmp_path, exact):
    options = RunOptions(related_exact=exact, n_jobs=1)
    run_analysis([sample_path], tmp_path / "local.jsonl", options)
    summary = run_analysis_dask(
        sample_path,
        tmp_path / "dask.jsonl",
        options,
        scheduler=cluster.scheduler_address,
        blocksize=BLOCKSIZE,
    )
    assert summary.analysed == 44
    assert filecmp.cmp(tmp_path / "local.jsonl", tmp_path / "dask.jsonl", shallow=False)
    local_summary = json.loads((tmp_path / "local.summary.json").read_text(encoding="utf-8"))
    assert summary.to_dict()["analysed"] == local_summary["analysed"]


def test_parts_are_fed_in_partition_order_whatever_finishes_first():
    assert list(in_order([(3, "d"), (1, "b"), (0, "a"), (2, "c")])) == ["a", "b", "c", "d"]
    with pytest.raises(ValueError, match="missing"):
        list(in_order([(0, "a"), (2, "c")]))
