"""Worker processes for both stages: spawned, deaf to Ctrl-C, and wound down cleanly.

Workers are started with ``spawn`` (no forked copy of the parent's threads or open files) and
ignore SIGINT: Ctrl-C reaches every process of the terminal's process group, and only the
parent acts on it, so no worker dies half-way through a task with a traceback of its own.
When the parent stops early (Ctrl-C, an error, a consumer that stopped reading), the queued
tasks are dropped and the running ones allowed to finish.

Example:
    >>> with worker_pool(1, print, ("worker ready",)) as pool:
    ...     pool.submit(sum, [1, 2]).result()
    3
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["spawn_pool", "worker_pool"]


def _ignore_sigint_then(initializer: Callable[..., None], *args: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    initializer(*args)


def spawn_pool(
    n_jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A pool of ``n_jobs`` spawned workers that ignore Ctrl-C and run ``initializer`` once."""
    return ProcessPoolExecutor(
        n_jobs,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_ignore_sigint_then,
        initargs=(initializer, *initargs),
    )


@contextlib.contextmanager
def worker_pool(
    n_jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> Iterator[ProcessPoolExecutor]:
    """:func:`spawn_pool` as a ``with`` block that, when the block raises (Ctrl-C included),
    cancels the queued tasks and waits for the running ones before re-raising."""
    with spawn_pool(n_jobs, initializer, initargs) as pool:
        try:
            yield pool
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise
