"""Models on Dask workers: loaded once per worker process, never per article or partition.

The per-article stage reuses the local engine's process cache,
:func:`arabnews_nlp.pipeline.get_models`, which keys the loaded models by
:class:`~arabnews_nlp.pipeline.AnalysisConfig`. Every task that runs in a worker process finds
the models there after the first one loaded them. :class:`ModelPlugin` loads them when a
worker starts (and again on a worker that replaces a dead one), so the first partition is no
slower than the others and a broken model path fails at registration, not mid-run.

Usage (it needs worker processes, so it is not a doctest; ``tests/test_dask_cluster.py`` runs
it through :func:`~arabnews_nlp.dask_engine.dask_client`, which registers the plugin)::

    client = Client(LocalCluster(n_workers=2, processes=True))
    client.register_plugin(ModelPlugin(AnalysisConfig()))
    client.run(model_loads)  # {worker address: 1, ...}: each worker loaded the models once
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from distributed import WorkerPlugin

from arabnews_nlp.pipeline.stage import AnalysisConfig, get_models

if TYPE_CHECKING:  # pragma: no cover
    from distributed import Worker

__all__ = ["PLUGIN_NAME", "ModelPlugin", "model_loads"]

#: The name the plugin is registered under (one per client: re-registering replaces it).
PLUGIN_NAME = "arabnews-models"


class ModelPlugin(WorkerPlugin):
    """Load the analysis models into each worker process when the worker starts.

    Args:
        config: The models and options of the per-article stage.
    """

    name = PLUGIN_NAME

    def __init__(self, config: AnalysisConfig) -> None:
        self.config = config

    def setup(self, worker: Worker) -> None:
        """Load the models of ``config`` into this worker's process cache."""
        get_models(self.config)


def model_loads() -> int:
    """How many times models were loaded in this process (run it with ``client.run``)."""
    return int(get_models.cache_info().misses)
