"""Atomic file writes: a file at its final path is always complete.

Every writer of the library that replaces a whole file (analysis outputs, summaries, reports,
saved indexes and models) goes through :func:`atomic_file`. (The corpus writers keep their own
``<path>.partial`` files, which are meant to be read and resumed.)

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_file(path) as fh:
    ...     _ = fh.write("خبر")
    >>> path.read_text(encoding="utf-8")
    'خبر'
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

__all__ = ["atomic_file"]


def _new_temp(path: Path) -> str:
    """Create an empty, unique temporary file next to ``path``.

    Unlike :func:`tempfile.mkstemp` (always 0600) it gets the mode the umask gives any new
    file, so reports, summaries and saved models are as readable as the JSON Lines output.
    """
    while True:
        tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            continue
        return str(tmp)


@contextlib.contextmanager
def atomic_file(path: Path, *, binary: bool = False) -> Iterator[IO[Any]]:
    """Open a temporary file next to ``path`` (UTF-8 text unless ``binary``); rename it onto
    ``path`` only when the ``with`` block succeeds, else delete it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _new_temp(path)
    try:
        handle = open(tmp, "wb") if binary else open(tmp, "w", encoding="utf-8")  # noqa: SIM115
        with handle as f:
            yield f
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
