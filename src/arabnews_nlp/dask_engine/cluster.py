"""Connect to a Dask cluster, or start a local one, with the analysis models on every worker.

Usage (worker processes or a remote scheduler, so not a doctest; ``tests/test_dask_cluster.py``
starts a local cluster this way)::

    with dask_client(n_workers=2, config=AnalysisConfig()) as client:  # a local cluster
        records = analyze_dask(articles).compute()
    with dask_client("tcp://scheduler:8786") as client:  # a running one, left running
        ...
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator

from distributed import Client, LocalCluster

from arabnews_nlp.dask_engine.plugin import ModelPlugin
from arabnews_nlp.pipeline.stage import AnalysisConfig

__all__ = ["dask_client"]


@contextlib.contextmanager
def dask_client(
    scheduler: str | None = None,
    n_workers: int | None = None,
    *,
    config: AnalysisConfig | None = None,
    memory_limit: str | None = "auto",
) -> Iterator[Client]:
    """A client of the cluster at ``scheduler``, or of a new local cluster of processes.

    The local cluster runs ``n_workers`` single-threaded worker processes (the models are
    Python code that holds the GIL: processes, not threads, use the cores), each with its own
    nanny that restarts it if it dies. Both are closed on exit; a remote cluster is left
    running.

    Args:
        scheduler: Address of a running scheduler (``tcp://host:8786``); None for local.
        n_workers: Worker processes of the local cluster (default: one per CPU).
        config: If given, the models are loaded on every worker when it starts
            (:class:`~arabnews_nlp.dask_engine.ModelPlugin`).
        memory_limit: Per local worker (Dask's ``"auto"`` shares the machine's memory).
    """
    if scheduler is not None and n_workers is not None:
        raise ValueError("give a scheduler address or a number of local workers, not both")
    with contextlib.ExitStack() as stack:
        if scheduler is None:
            cluster = stack.enter_context(
                LocalCluster(
                    n_workers=n_workers or os.cpu_count() or 1,
                    threads_per_worker=1,
                    processes=True,
                    memory_limit=memory_limit,
                    dashboard_address=None,
                )
            )
            client = stack.enter_context(Client(cluster))
        else:
            client = stack.enter_context(Client(scheduler))
        if config is not None:
            client.register_plugin(ModelPlugin(config))
        yield client
