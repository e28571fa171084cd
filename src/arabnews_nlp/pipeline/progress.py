"""A progress bar with rate and ETA on stderr, shown only when stderr is a terminal.

The total is not known up front for a streamed input, so it is estimated in a background
thread (lines of JSON Lines files, members of archives, files of folders) and set on the bar
when ready; until then the bar shows the count and the rate.

Example:
    >>> with Progress(enabled=False) as bar:   # a no-op when disabled (e.g. not a TTY)
    ...     bar.advance(10)
    >>> bar.completed
    10
"""

from __future__ import annotations

import os
import sys
import tarfile
import threading
import zipfile
from collections.abc import Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

__all__ = ["Progress", "estimate_total"]

_LINE_FORMATS = (".jsonl", ".ndjson", ".jsonlines")
_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".tbz2")


def _count_path(path: Path) -> int | None:
    name = path.name.lower()
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    if name.endswith(_LINE_FORMATS):
        with path.open("rb") as f:
            return sum(block.count(b"\n") for block in iter(lambda: f.read(1 << 20), b""))
    if name.endswith(_ARCHIVES):
        with tarfile.open(path, mode="r|*") as archive:
            return sum(
                1 for m in archive if m.isfile() and not m.name.rsplit("/", 1)[-1].startswith(".")
            )
    if name.endswith(".zip"):
        with zipfile.ZipFile(path) as archive:
            return sum(1 for i in archive.infolist() if not i.is_dir())
    return None


def estimate_total(inputs: Iterable[str | os.PathLike[str]]) -> int | None:
    """Roughly how many articles the inputs hold, or None when it cannot be told cheaply
    (stdin, CSV, Parquet, globs). Counts files and lines, not valid records."""
    total = 0
    for item in inputs:
        path = Path(item)
        if os.fspath(item) == "-" or not path.exists():
            return None
        try:
            n = _count_path(path)
        except (OSError, tarfile.TarError, zipfile.BadZipFile, EOFError):
            return None
        if n is None:
            return None
        total += n
    return total


class Progress:
    """Articles done, articles/s and ETA, drawn with rich on stderr.

    Args:
        enabled: Draw the bar; default: only when stderr is a terminal.
        inputs: Paths to estimate the total from (in a background thread).
        description: The label in front of the bar.
    """

    def __init__(
        self,
        *,
        enabled: bool | None = None,
        inputs: Iterable[str | os.PathLike[str]] | None = None,
        description: str = "analysing",
    ) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.inputs = list(inputs) if inputs is not None else None
        self.description = description
        self.completed = 0
        self._bar: Any = None
        self._task: Any = None

    def __enter__(self) -> Progress:
        if not self.enabled:
            return self
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]} articles/s"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.__enter__()
        self._task = self._bar.add_task(self.description, total=None, rate="-")
        if self.inputs:
            threading.Thread(target=self._estimate, args=(self.inputs,), daemon=True).start()
        return self

    def _estimate(self, inputs: list[str | os.PathLike[str]]) -> None:
        total = estimate_total(inputs)
        if total is not None and self._bar is not None:
            self._bar.update(self._task, total=max(total, self.completed))

    def advance(self, n: int = 1) -> None:
        """Count ``n`` more articles done."""
        self.completed += n
        if self._bar is not None:
            speed = self._bar.tasks[0].speed
            self._bar.update(self._task, advance=n, rate=f"{speed:.0f}" if speed else "-")

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._bar is not None:
            self._bar.__exit__(exc_type, exc, tb)
            self._bar = None
