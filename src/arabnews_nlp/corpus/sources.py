"""Turn what the user pointed at (paths, globs, folders, archives, stdin) into byte streams.

Nothing is extracted to disk and nothing is read ahead: a ``.tar.xz`` is walked member by
member in stream mode, compressed files are decompressed on the fly.

Example:
    >>> from arabnews_nlp.corpus.sources import iter_sources
    >>> [str(s) for s in iter_sources("no/such/file.jsonl")]
    ['no/such/file.jsonl: no such file or directory']
"""

from __future__ import annotations

import bz2
import contextlib
import glob
import gzip
import lzma
import os
import sys
import tarfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Union

from arabnews_nlp.corpus.errors import RecordError

__all__ = ["PathsLike", "Source", "iter_sources", "split_suffix", "walk_folder"]

PathsLike = Union[str, "os.PathLike[str]", Iterable[Union[str, "os.PathLike[str]"]]]

_COMPRESSED: dict[str, Callable[[IO[bytes]], Any]] = {
    ".gz": lambda f: gzip.GzipFile(fileobj=f, mode="rb"),
    ".bz2": lambda f: bz2.BZ2File(f, mode="rb"),
    ".xz": lambda f: lzma.LZMAFile(f, mode="rb"),  # noqa: SIM115
    ".lzma": lambda f: lzma.LZMAFile(f, mode="rb"),  # noqa: SIM115
}
PARTIAL_SUFFIX = ".partial"
# Archive suffix -> compression (decompressed by us, see _tar_sources).
_TAR_SUFFIXES = {
    ".tar": None,
    ".tar.gz": ".gz",
    ".tgz": ".gz",
    ".tar.bz2": ".bz2",
    ".tbz2": ".bz2",
    ".tar.xz": ".xz",
    ".txz": ".xz",
}
# Folders are walked for these only, so a README, an image or an editor's swap file next to
# the data is not reported as a bad record. Files named explicitly are always tried.
DIRECTORY_SUFFIXES = frozenset(
    {".jsonl", ".ndjson", ".jsonlines", ".json", ".csv", ".tsv", ".tab", ".parquet", ".pq"}
    | {".txt", ".html", ".htm", ".xhtml", ".xml", ".sgml"}
)
# Errors a damaged archive or compressed stream raises part-way through.
STREAM_ERRORS: tuple[type[BaseException], ...] = (
    OSError,
    EOFError,
    lzma.LZMAError,
    tarfile.TarError,
    zipfile.BadZipFile,
)


@dataclass(frozen=True)
class Source:
    """One file (or archive member) to read.

    Attributes:
        name: Where it came from, for error messages (``archive.tar.xz!dir/file.txt``).
        suffix: Lower-case extension once compression suffixes are removed (``".jsonl"``).
        parts: Path components of the file (inside the archive for members), used by
            readers that take metadata from folder names, like the ANT outlet/category.
        size: Uncompressed size in bytes when known without reading.
        path: The file on disk when it can be opened directly (not compressed, not a member).
    """

    name: str
    suffix: str
    parts: tuple[str, ...]
    size: int | None
    path: Path | None
    opener: Callable[[], contextlib.AbstractContextManager[IO[bytes]]]

    def open(self) -> contextlib.AbstractContextManager[IO[bytes]]:
        """Open the byte stream (a context manager)."""
        return self.opener()


def _suffix(name: str) -> str:
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:] if dot > 0 else ""


def split_suffix(name: str) -> tuple[str, str | None]:
    """(content suffix, compression suffix) of a file name, both lower-case."""
    name = name.lower().removesuffix(
        PARTIAL_SUFFIX
    )  # an unfinished output reads like the final one
    suffix = _suffix(name)
    if suffix in _COMPRESSED:
        return _suffix(name[: -len(suffix)]), suffix
    return suffix, None


def _decompressing(
    opener: Callable[[], contextlib.AbstractContextManager[IO[bytes]]], compression: str | None
) -> Callable[[], contextlib.AbstractContextManager[IO[bytes]]]:
    if compression is None:
        return opener

    @contextlib.contextmanager
    def open_compressed() -> Iterator[IO[bytes]]:
        with opener() as raw, _COMPRESSED[compression](raw) as stream:
            yield stream

    return open_compressed


def _member_parts(name: str) -> tuple[str, ...]:
    # Plain split, not PurePosixPath: pathlib interns every part, and an archive of a
    # million distinct file names would grow the interpreter's intern table for good.
    return tuple(part for part in name.split("/") if part and part != ".")


def _is_hidden(name: str) -> bool:
    # Dot-files include macOS "._x" resource forks inside archives and our own temp files.
    return any(part.startswith(".") and part != ".." for part in _member_parts(name))


def _file_source(path: Path) -> Source:
    suffix, compression = split_suffix(path.name)

    def open_file() -> contextlib.AbstractContextManager[IO[bytes]]:
        return path.open("rb")

    return Source(
        name=str(path),
        suffix=suffix,
        parts=path.parts,
        size=None if compression else path.stat().st_size,
        path=None if compression else path,
        opener=_decompressing(open_file, compression),
    )


def _tar_sources(path: Path) -> Iterator[Source | RecordError]:
    # "r|" is stream mode: members come in archive order and are never seeked back to,
    # so memory stays flat; each member must be consumed before the next one is requested.
    # We decompress ourselves because tarfile's own stream silently stops at a truncated
    # archive, whereas gzip/lzma/bz2 raise EOFError, which is reported.
    compression = next(c for s, c in _TAR_SUFFIXES.items() if path.name.lower().endswith(s))
    try:
        with (
            path.open("rb") as raw,
            _COMPRESSED[compression](raw) if compression else contextlib.nullcontext(raw) as data,
            tarfile.open(fileobj=data, mode="r|") as archive,
        ):
            for member in archive:
                # TarFile remembers every member it has seen, even in stream mode; forget
                # them so memory does not grow with the archive (~3 kB per member).
                archive.members.clear()  # type: ignore[attr-defined]
                if _is_hidden(member.name):
                    continue
                if not member.isfile():
                    if member.issym() or member.islnk():
                        escaping = _escaping_link(member)
                        if escaping:
                            yield RecordError(f"{path}!{member.name}", None, escaping, "link")
                    continue
                suffix, inner = split_suffix(member.name)

                @contextlib.contextmanager
                def open_member(m: tarfile.TarInfo = member) -> Iterator[IO[bytes]]:
                    handle = archive.extractfile(m)
                    if handle is None:  # pragma: no cover - isfile() members always have data
                        raise OSError(f"cannot read archive member {m.name}")
                    with handle:
                        yield handle

                yield Source(
                    name=f"{path}!{member.name}",
                    suffix=suffix,
                    parts=_member_parts(member.name),
                    size=None if inner else member.size,
                    path=None,
                    opener=_decompressing(open_member, inner),
                )
            while data.read(1 << 16):  # the rest (end-of-archive padding) must decompress too
                pass
    except STREAM_ERRORS as exc:
        yield RecordError(str(path), None, f"unreadable or corrupt archive: {exc}", kind="format")


def _escaping_link(member: tarfile.TarInfo) -> str | None:
    """Why a link member points out of the archive, or None when it stays inside (its
    target is read as a member of its own). Links are never followed out of an archive."""
    target = member.linkname
    if member.issym() and not target.startswith("/"):
        target = "/".join([*_member_parts(member.name)[:-1], target])
    depth = 0
    for part in target.split("/"):
        depth += -1 if part == ".." else 0 if part in ("", ".") else 1
        if depth < 0:
            break
    if target.startswith("/") or depth < 0:
        return f"link to {member.linkname} points out of the archive: not followed"
    return None


def _zip_sources(path: Path) -> Iterator[Source | RecordError]:
    try:
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if info.is_dir() or _is_hidden(info.filename):
                    continue
                suffix, compression = split_suffix(info.filename)

                def open_member(
                    i: zipfile.ZipInfo = info,
                ) -> contextlib.AbstractContextManager[IO[bytes]]:
                    return archive.open(i)

                yield Source(
                    name=f"{path}!{info.filename}",
                    suffix=suffix,
                    parts=_member_parts(info.filename),
                    size=None if compression else info.file_size,
                    path=None,
                    opener=_decompressing(open_member, compression),
                )
    except STREAM_ERRORS as exc:
        yield RecordError(str(path), None, f"unreadable or corrupt archive: {exc}", kind="format")


def _stdin_source() -> Source:
    @contextlib.contextmanager
    def open_stdin() -> Iterator[IO[bytes]]:
        yield sys.stdin.buffer  # never closed: it belongs to the process

    return Source("<stdin>", "", (), None, None, open_stdin)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _link_error(link: Path, target: Path, root: Path) -> RecordError:
    reason = (
        f"symbolic link to {target}, outside {root}: not followed (follow_symlinks=True, "
        "or --follow-symlinks, to read it)"
    )
    return RecordError(str(link), None, reason, kind="link")


def walk_folder(
    folder: Path, follow_symlinks: bool = False, seen: set[Path] | None = None
) -> Iterator[Path | RecordError]:
    """The data files of a folder, recursively in sorted order (hidden entries, unfinished
    ``.partial`` outputs and other extensions skipped).

    A link inside the folder is read (a file) or skipped (a folder: walked already); a link
    out of it is a ``"link"`` error unless ``follow_symlinks``.
    """
    root = folder.resolve()
    seen = seen if seen is not None else set()
    seen.add(root)
    for child in sorted(folder.rglob("*")):  # rglob never enters linked folders itself
        if _is_hidden(child.relative_to(folder).as_posix()):
            continue
        if child.is_symlink():
            target = child.resolve()
            if target.is_dir():
                if follow_symlinks and target not in seen and not _inside(target, root):
                    yield from walk_folder(child, follow_symlinks, seen)
                elif not follow_symlinks and not _inside(target, root):
                    yield _link_error(child, target, root)
                continue
            outside = not (follow_symlinks or _inside(target, root))
            if outside and target.is_file() and _wanted(child):
                yield _link_error(child, target, root)
                continue
        if child.is_file() and _wanted(child):
            yield child


def _wanted(child: Path) -> bool:
    return (
        not child.name.endswith(PARTIAL_SUFFIX)  # unfinished output of an interrupted run
        and split_suffix(child.name)[0] in DIRECTORY_SUFFIXES
    )


def _expand_one(path: Path, follow: bool = False) -> Iterator[Source | RecordError]:
    lower = path.name.lower()
    if path.is_dir():
        found = False
        for item in walk_folder(path, follow):
            found = True
            yield item if isinstance(item, RecordError) else _file_source(item)
        if not found:  # nothing to read is worth saying, not a silent success
            yield RecordError(str(path), None, "no input files in this folder", kind="empty")
    elif lower.endswith(tuple(_TAR_SUFFIXES)):
        yield from _tar_sources(path)
    elif lower.endswith(".zip"):
        yield from _zip_sources(path)
    else:
        yield _file_source(path)


def _glob_root(pattern: str) -> Path:
    # The folder a glob searches in: its parts before the first wildcard.
    parts: list[str] = []
    for part in Path(pattern).parts:
        if glob.has_magic(part):
            break
        parts.append(part)
    return Path(*parts).resolve() if parts else Path.cwd().resolve()


def iter_sources(
    paths: PathsLike, *, follow_symlinks: bool = False
) -> Iterator[Source | RecordError]:
    """Expand paths, globs (``**`` allowed), folders, archives and ``"-"`` (stdin) lazily.

    Folders are walked recursively in sorted order, skipping hidden entries; archives
    (``.tar``, ``.tar.gz``/``.tgz``, ``.tar.xz``, ``.tar.bz2``, ``.zip``) yield their members;
    ``.gz``/``.bz2``/``.xz`` files are decompressed on the fly. A path that matches nothing
    yields a :class:`RecordError` of kind ``"missing"`` instead of raising.

    A path named explicitly is read even if it is a symbolic link. Inside a folder (or
    below a glob's fixed part), a link whose target lies outside it yields a ``"link"``
    error instead, unless ``follow_symlinks``; links in archives are never followed.
    """
    items: Iterable[Any] = [paths] if isinstance(paths, (str, os.PathLike)) else paths
    for item in items:
        text = os.fspath(item)
        if text == "-":
            yield _stdin_source()
            continue
        path = Path(text)
        if path.exists():
            yield from _expand_one(path, follow_symlinks)
        elif glob.has_magic(text):
            matches = sorted(glob.glob(text, recursive=True))
            if not matches:
                yield RecordError(text, None, "glob matched no files", kind="missing")
            root = _glob_root(text)
            for match in matches:
                found = Path(match)
                if _is_hidden(found.name):
                    continue
                target = found.resolve()
                if follow_symlinks or _inside(target, root):
                    yield from _expand_one(found, follow_symlinks)
                else:
                    yield _link_error(found, target, root)
        else:
            yield RecordError(text, None, "no such file or directory", kind="missing")
