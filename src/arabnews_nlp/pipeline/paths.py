"""Refuse a run whose files would overwrite, delete or re-read one another.

A run reads its inputs and writes its output, errors file, summary, report and work folder.
If any two of these are the same file, or one lies inside another (a folder input holding the
work folder, a report inside the work folder that is deleted at the end), the run would
clobber data or read its own results. :func:`check_run_paths` compares real paths (symlinks
resolved, hard links compared by inode) and raises :class:`PathConflict` before anything is
written.

Example:
    >>> try:
    ...     check_run_paths(["a.jsonl"], {"-o": "a.jsonl"})
    ... except PathConflict as exc:
    ...     print(exc)
    refusing to run: -o a.jsonl is the same file as the input a.jsonl
"""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterable, Mapping
from itertools import combinations
from pathlib import Path

__all__ = ["PathConflict", "check_run_paths"]


class PathConflict(ValueError):
    """Two paths of a run coincide or nest (input read as output, report over the output...)."""


def _real(path: str | os.PathLike[str]) -> Path:
    return Path(os.path.realpath(path))


def _relation(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> str | None:
    """How ``a`` stands to ``b``: "is the same file as", "is inside", "contains", or None."""
    ra, rb = _real(a), _real(b)
    if ra == rb:
        return "is the same file as"
    try:
        if os.path.samefile(ra, rb):  # hard links
            return "is the same file as"
    except OSError:
        pass  # one of them does not exist yet
    if rb in ra.parents:
        return "is inside"
    if ra in rb.parents:
        return "contains"
    return None


def _glob_covers(pattern: str, path: Path) -> bool:
    """Whether ``path`` could be one of the files the glob ``pattern`` reads."""
    parts = Path(os.path.abspath(pattern)).parts
    fixed = next(i for i, part in enumerate(parts) if glob.has_magic(part))
    base, rest = _real(Path(*parts[:fixed])), parts[fixed:]
    target = _real(path)
    if base not in target.parents:
        return False
    if "**" in rest:  # any depth: everything under the fixed folder may be read
        return True
    relative = target.relative_to(base).parts
    # A folder matched by the pattern is read whole: a prefix match is enough.
    return len(relative) >= len(rest) and all(
        fnmatch.fnmatchcase(name, pat) for name, pat in zip(relative, rest, strict=False)
    )


def _local_inputs(inputs: Iterable[str | os.PathLike[str]]) -> list[tuple[str, str | None]]:
    """(path, glob pattern it came from or None) for every local input (stdin, URLs left out)."""
    out: list[tuple[str, str | None]] = []
    for item in inputs:
        text = os.fspath(item)
        if text == "-" or "://" in text:
            continue
        if not os.path.exists(text) and glob.has_magic(text):
            out.append((text, text))
            out.extend((match, None) for match in glob.glob(text, recursive=True))
        else:
            out.append((text, None))
    return out


def check_run_paths(
    inputs: Iterable[str | os.PathLike[str]],
    outputs: Mapping[str, str | os.PathLike[str] | None],
) -> None:
    """Raise :class:`PathConflict` if the run's paths coincide or nest.

    Args:
        inputs: Input paths, folders or globs (``"-"`` and URLs are skipped).
        outputs: What the run writes, by the name used in the message (``"the output file"``,
            ``"--report"``...); None values are skipped.

    Raises:
        PathConflict: an output is an input, lies inside an input folder (or is matched by an
            input glob), holds an input, or two outputs are the same or nest.
    """
    written = [(name, Path(p)) for name, p in outputs.items() if p is not None]
    for (name_a, a), (name_b, b) in combinations(written, 2):
        relation = _relation(a, b)
        if relation is not None:
            raise PathConflict(f"refusing to run: {name_a} {a} {relation} {name_b} {b}")
    for source, pattern in _local_inputs(inputs):
        for name, path in written:
            if pattern is not None:
                if _glob_covers(pattern, path):
                    raise PathConflict(
                        f"refusing to run: {name} {path} would be read by the input glob "
                        f"{pattern!r}; write it elsewhere"
                    )
                continue
            relation = _relation(path, source)
            if relation is not None:
                raise PathConflict(f"refusing to run: {name} {path} {relation} the input {source}")
