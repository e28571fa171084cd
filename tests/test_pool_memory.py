"""Stage-1 workers share the models the parent loaded (forked on Linux), and the output does not
depend on how they start; the CRF's caches hold a word type's features once."""

from __future__ import annotations

import sys
from itertools import islice
from pathlib import Path

import numpy as np
import pytest

from arabnews_nlp.corpus import read_articles
from arabnews_nlp.entities.crf import DEFAULT_COMPONENT_DIR, CRFTagger
from arabnews_nlp.entities.data import word_tokens
from arabnews_nlp.entities.emissions import EmissionTable
from arabnews_nlp.pipeline import RunOptions, parallel, run_analysis
from arabnews_nlp.pipeline.pool import (
    START_METHOD_VARIABLE,
    _malloc_trim,
    start_method,
    trim_heap,
    worker_pool,
)
from arabnews_nlp.pipeline.stage import AnalysisConfig, Models

LINUX = sys.platform.startswith("linux")


def test_the_start_method_is_fork_on_linux_and_can_be_overridden(monkeypatch):
    monkeypatch.delenv(START_METHOD_VARIABLE, raising=False)
    assert start_method() == ("fork" if LINUX else "spawn")
    monkeypatch.setenv(START_METHOD_VARIABLE, "spawn")
    assert start_method() == "spawn"
    monkeypatch.setenv(START_METHOD_VARIABLE, "vfork")
    with pytest.raises(ValueError, match="not a start method"):
        start_method()


def _rss() -> int:
    import psutil

    return int(psutil.Process().memory_info().rss)


@pytest.mark.skipif(_malloc_trim() is None, reason="the C library has no malloc_trim")
def test_trim_heap_gives_freed_heap_memory_back():
    # 2,000 arrays of 96 KB come from the C heap (under glibc's mmap threshold); all but the
    # last are freed, which pins the heap's top, so only a trim can give the rest back.
    blocks = [np.ones(12_000) for _ in range(2_000)]
    last = blocks[-1]
    del blocks
    before = _rss()
    trim_heap()
    assert before - _rss() > 100e6, (before, _rss())
    assert last.sum() == 12_000


def _private_share() -> float:
    """The share of this process's resident memory that no other process maps."""
    fields = {}
    for line in Path("/proc/self/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0])
    return (fields["Private_Clean"] + fields["Private_Dirty"]) / fields["Rss"]


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc")
@pytest.mark.parametrize("method", ["fork", "spawn"])
def test_forked_workers_share_the_models_pages_with_the_parent(monkeypatch, method):
    monkeypatch.setenv(START_METHOD_VARIABLE, method)
    config = AnalysisConfig(ner_model="crf")
    if method == "fork":  # what iter_stage1 does before it starts a forking pool
        parallel._for_fork[config] = Models.load(config)
    try:
        with worker_pool(1, parallel._init_worker, (config,)) as pool:
            parallel._for_fork.clear()
            share = pool.submit(_private_share).result()
    finally:
        parallel._for_fork.clear()
    # A spawned worker owns nearly all it holds (its interpreter, libraries' data, models);
    # a forked one holds the parent's pages until it writes to them.
    if method == "fork":
        assert share < 0.4, share
    else:
        assert share > 0.6, share


def test_forked_and_spawned_workers_write_the_same_bytes(tmp_path, sample_path, monkeypatch):
    articles = list(islice(read_articles(sample_path), 24))
    outputs = {}
    for method in ("fork", "spawn") if LINUX else ("spawn",):
        monkeypatch.setenv(START_METHOD_VARIABLE, method)
        out = tmp_path / method / "analysis.jsonl"
        options = RunOptions(n_jobs=2, chunk_size=4, progress=False, related_k=3)
        run_analysis(iter(articles), out, options)
        outputs[method] = (out.read_bytes(), out.with_name("analysis.entities.csv").read_bytes())
    assert len(set(outputs.values())) == 1
    assert outputs["spawn"][0].count(b"\n") == 24


def _sentences(path: Path) -> list[list[str]]:
    sentences = []
    for article in read_articles(path):
        for part in article.body.split("."):
            if tokens := word_tokens(part):
                sentences.append(tokens)
    return sentences


def test_the_emission_table_keeps_no_feature_strings_and_restarts_without_changing_a_score(
    sample_path,
):
    crf = CRFTagger.from_directory(DEFAULT_COMPONENT_DIR)
    sentences = _sentences(sample_path)
    # Organisation head nouns ("وزارة", "هيئة" ...) are in the sample: the head-phrase
    # features, which read the kind the table keeps of each type, are exercised.
    heads = [t for s in sentences for t in s if crf.extractor.token_features(t).is_head]
    assert len(heads) > 10
    crf.extractor._cache.clear()
    whole = crf.emissions_.emissions(sentences)
    assert not crf.extractor._cache  # the table summed the strings and dropped them
    small = EmissionTable(crf.extractor, crf.weights_, limit=50)  # restarts every few batches
    batches = [sentences[k : k + 7] for k in range(0, len(sentences), 7)]
    batched = [e for batch in batches for e in small.emissions(batch)]
    assert len(small._rows) < 200 < len({t for s in sentences for t in s})
    for a, b in zip(whole, batched, strict=True):
        np.testing.assert_array_equal(a, b)


def test_the_neural_projection_table_stays_within_its_limit_with_the_same_scores(sample_path):
    from arabnews_nlp.entities.constants import NEURAL_COMPONENT_DIR
    from arabnews_nlp.entities.neural import NeuralTagger

    sentences = _sentences(sample_path)
    whole = NeuralTagger.from_directory(NEURAL_COMPONENT_DIR).emissions(sentences)
    small = NeuralTagger.from_directory(NEURAL_COMPONENT_DIR)
    small.limit = 1500
    batches = [sentences[k : k + 20] for k in range(0, len(sentences), 20)]
    batched, largest = [], 0
    for batch in batches:
        batched += small.emissions(batch)
        largest = max(largest, len({t for s in batch for t in s}))
        # Allocated whole (its pages fill as types come), never grown by doubling.
        assert len(small._table) == max(small.limit, largest) + 1
    assert len({t for s in sentences for t in s}) > 2 * small.limit  # it did restart
    for a, b in zip(whole, batched, strict=True):
        np.testing.assert_array_equal(a, b)
