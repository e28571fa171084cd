"""Run the corpus analysis on Dask (``dask.distributed``): a laptop, or a cluster of any size.

The Dask engine runs the local engine's code on the workers — the per-article function
(:func:`arabnews_nlp.pipeline.analyze_chunk`) partition by partition with the models loaded
once per worker process — fits the local engine's related index on the client while stage 1
runs and searches it as the local engine does (candidate search, or exact), and gives the same
records as :func:`arabnews_nlp.pipeline.analyze`.
:func:`link_related_dask` is the all-worker alternative for stage 2: the exact search over an
index cut into row blocks, for a corpus whose index no one machine can hold.

* :func:`analyze_dask` — a Dask Bag or DataFrame of articles in, a Bag of
  :class:`~arabnews_nlp.pipeline.AnalysisRecord` out;
* :func:`read_articles_dask` / :func:`write_records_dask` — JSON Lines and Parquet through
  Dask's own readers and writers (any fsspec storage), other formats through the corpus
  readers on the workers;
* :func:`run_analysis_dask` — files in, files out: ``arabnews analyze --engine dask``;
* :func:`dask_client` and :class:`ModelPlugin` — a local cluster or a scheduler address, with
  the models on every worker.

Example (Dask's in-process scheduler; under ``with dask_client(n_workers=2):`` the same code
runs on a local cluster, under ``dask_client("tcp://host:8786")`` on a remote one):
    >>> import dask
    >>> import dask.bag as db
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.dask_engine import analyze_dask
    >>> articles = db.from_sequence([
    ...     Article(id="1", title="الهلال يفوز على النصر", body="فاز الهلال على النصر بهدفين."),
    ...     Article(id="2", title="الهلال يتصدر الدوري", body="تصدر الهلال الدوري بعد فوزه."),
    ... ])
    >>> with dask.config.set(scheduler="synchronous"):
    ...     records = analyze_dask(articles, related_k=1).compute()
    >>> records[0].analysis.section, records[0].related[0].id
    ('sports', '2')
"""

from __future__ import annotations

from arabnews_nlp.dask_engine.cluster import dask_client
from arabnews_nlp.dask_engine.engine import (
    Stage1Result,
    analyze_dask,
    link_stage1,
    run_analysis_dask,
    run_stage1,
)
from arabnews_nlp.dask_engine.inputs import as_article_bag, drop_duplicate_ids, read_articles_dask
from arabnews_nlp.dask_engine.outputs import write_records_dask
from arabnews_nlp.dask_engine.plugin import ModelPlugin, model_loads
from arabnews_nlp.dask_engine.related import link_related_dask

__all__ = [
    "ModelPlugin",
    "Stage1Result",
    "analyze_dask",
    "as_article_bag",
    "dask_client",
    "drop_duplicate_ids",
    "link_related_dask",
    "link_stage1",
    "model_loads",
    "read_articles_dask",
    "run_analysis_dask",
    "run_stage1",
    "write_records_dask",
]
