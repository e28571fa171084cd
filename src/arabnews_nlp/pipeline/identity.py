"""What a run read, recorded in its checkpoint so that ``--resume`` can tell a different input.

For every input the identity keeps its real path, how many files it stands for (a folder or
glob stands for many), their total size and a digest of each file's name, size, first and
last 64 KiB. Computing it costs a ``stat`` per file and two small reads, not a pass over the
corpus; it changes when a file is added, removed, renamed, resized or edited at either end.
Standard input and URLs are recorded by name only (their content is not known before the
run); for those the run checks the article ids instead (see
:func:`arabnews_nlp.pipeline.run_analysis`).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> path = Path(tempfile.mkdtemp()) / "news.jsonl"
    >>> _ = path.write_text('{"title": "خبر"}\\n', encoding="utf-8")
    >>> before = input_identity([path])
    >>> before == input_identity([path]), before["inputs"][0]["bytes"]
    (True, 20)
    >>> _ = path.write_text('{"title": "خبر آخر"}\\n', encoding="utf-8")
    >>> describe_change(before, input_identity([path]))
    'news.jsonl: 1 file of 20 bytes then, 1 file of 27 bytes now'
"""

from __future__ import annotations

import glob
import hashlib
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

__all__ = ["describe_change", "input_identity"]

_EDGE = 64 * 1024


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield from sorted(p for p in path.rglob("*") if p.is_file())
    elif path.is_file():
        yield path


def _expand(text: str) -> list[Path]:
    if not os.path.exists(text) and glob.has_magic(text):
        return [Path(m) for m in sorted(glob.glob(text, recursive=True))]
    return [Path(text)]


def _file_digest(path: Path, size: int, digest: Any) -> None:
    digest.update(f"{path}\0{size}\0".encode("utf-8", "surrogateescape"))
    with path.open("rb") as f:
        digest.update(f.read(_EDGE))
        if size > 2 * _EDGE:
            f.seek(size - _EDGE)
            digest.update(f.read(_EDGE))


def _one(text: str) -> dict[str, Any]:
    if text == "-" or "://" in text:
        return {"input": text}
    digest = hashlib.sha256()
    count = total = 0
    for top in _expand(text):
        for path in _files(top):
            real = Path(os.path.realpath(path))
            size = real.stat().st_size
            _file_digest(real, size, digest)
            count += 1
            total += size
    return {
        "input": os.path.realpath(text) if os.path.exists(text) else text,
        "files": count,
        "bytes": total,
        "digest": digest.hexdigest()[:32],
    }


def input_identity(inputs: Iterable[str | os.PathLike[str]]) -> dict[str, Any]:
    """The identity of a run's inputs (paths, file counts, sizes, digests), JSON-ready."""
    return {"inputs": [_one(os.fspath(item)) for item in inputs]}


def _said(item: dict[str, Any] | None) -> str:
    if item is None:
        return "absent"
    if "files" not in item:
        return "not checked"
    noun = "file" if item["files"] == 1 else "files"
    return f"{item['files']} {noun} of {item['bytes']} bytes"


def describe_change(before: dict[str, Any], now: dict[str, Any]) -> str:
    """A short account of how two identities differ, for an error message."""
    old = {i["input"]: i for i in before.get("inputs", [])}
    new = {i["input"]: i for i in now.get("inputs", [])}
    changed = [name for name in dict.fromkeys([*old, *new]) if old.get(name) != new.get(name)]
    parts = []
    for name in changed[:3]:
        then, current = old.get(name), new.get(name)
        same_shape = then and current and _said(then) == _said(current)
        detail = "same size, other content" if same_shape else f"{_said(then)} then"
        if not same_shape:
            detail += f", {_said(current)} now"
        parts.append(f"{Path(name).name}: {detail}")
    if len(changed) > 3:
        parts.append(f"and {len(changed) - 3} more")
    return "; ".join(parts) or "the inputs are listed in another order"
