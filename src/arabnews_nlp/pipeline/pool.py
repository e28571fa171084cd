"""Worker processes for stage 1: forked or spawned, deaf to Ctrl-C, and wound down cleanly.

On Linux the workers are forked (:func:`start_method`): they start with the parent's memory,
so what the parent loaded before the pool starts (the models, the imported libraries) is
shared between them page by page until one of them writes to a page (copy-on-write). Elsewhere
they are spawned (macOS: forking a process that uses system frameworks is unsafe; Windows has
no fork), and each loads its own copy. The output does not depend on the start method.

Workers ignore SIGINT: Ctrl-C reaches every process of the terminal's process group, and only
the parent acts on it, so no worker dies half-way through a task with a traceback of its own.
A worker exits by itself when the parent dies, even of SIGKILL.
When the parent stops early (Ctrl-C, an error, a consumer that stopped reading), the queued
tasks are dropped and the running ones allowed to finish.

Example:
    >>> with worker_pool(1, print, ("worker ready",)) as pool:
    ...     pool.submit(sum, [1, 2]).result()
    3
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import gc
import multiprocessing
import multiprocessing.connection
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from typing import Any

__all__ = ["START_METHOD_VARIABLE", "spawn_pool", "start_method", "trim_heap", "worker_pool"]

#: Environment variable that overrides :func:`start_method` (``fork``, ``spawn`` or
#: ``forkserver``), e.g. to check that a run gives the same output either way.
START_METHOD_VARIABLE = "ARABNEWS_START_METHOD"


def start_method() -> str:
    """How pool workers start: ``fork`` on Linux (pages shared with the parent), else
    ``spawn``; :data:`START_METHOD_VARIABLE` overrides it."""
    chosen = os.environ.get(START_METHOD_VARIABLE, "").strip()
    if chosen:
        if chosen not in multiprocessing.get_all_start_methods():
            raise ValueError(f"{START_METHOD_VARIABLE}={chosen!r}: not a start method here")
        return chosen
    return "fork" if sys.platform.startswith("linux") else "spawn"


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (macOS, Windows, musl)."""
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name)
    except OSError:  # pragma: no cover - no C library to load
        return None
    trim = getattr(libc, "malloc_trim", None)
    if trim is not None:
        trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def trim_heap() -> None:
    """Give the memory the C allocator holds free back to the system (glibc; elsewhere
    nothing).

    A worker's chunk allocates and frees hundreds of MB of arrays (the neural tagger's batches);
    glibc keeps much of what was freed in its heap, so a worker's resident memory would stay
    near the largest chunk's peak for the rest of the run. Trimming after each chunk costs a
    few milliseconds.
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _exit_with_parent() -> None:
    """Exit this worker as soon as the parent process dies.

    A pool's workers wait on a queue whose pipe they hold both ends of, so a parent killed
    with SIGKILL (no chance to shut the pool down) would leave them blocked forever, each
    holding its models in memory. ``spawn`` and ``fork`` give every child a sentinel that
    becomes ready when the parent is gone; a daemon thread waits on it.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # pragma: no cover - not started by multiprocessing
        return

    def watch() -> None:
        multiprocessing.connection.wait([parent.sentinel])
        os._exit(1)  # nothing to clean up: only the parent writes files

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _ignore_sigint_then(initializer: Callable[..., None], *args: Any) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    # One BLAS thread per worker: the pool already runs a worker per core, and BLAS threads on
    # top of that fight over the same cores (the neural tagger's small matrix products spent
    # most of their CPU time spinning: 123 against 49 CPU-s for 1,000 articles).
    # The variables cover a BLAS loaded later in this worker, the call the ones loaded already.
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[variable] = "1"
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    initializer(*args)


def spawn_pool(
    n_jobs: int, initializer: Callable[..., None], initargs: tuple[Any, ...]
) -> ProcessPoolExecutor:
    """A pool of ``n_jobs`` workers that ignore Ctrl-C and run ``initializer`` once.

    Workers start by :func:`start_method`. When they are forked, the parent's objects are
    moved out of the garbage collector's reach first (:func:`gc.freeze`): a collection in a
    worker would otherwise write to every page holding a tracked object and un-share it.
    """
    method = start_method()
    pool = ProcessPoolExecutor(
        n_jobs,
        mp_context=multiprocessing.get_context(method),
        initializer=_ignore_sigint_then,
        initargs=(initializer, *initargs),
    )
    if method == "fork":
        gc.freeze()
        try:
            # A forking pool starts all its workers at the first task: start them now, while
            # the parent's objects are frozen, then let the parent collect its own again.
            pool.submit(os.getpid)
        finally:
            gc.unfreeze()
    return pool


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
