"""Options shared by every reader, validated once so a typo fails loudly and early.

Example:
    >>> ReadOptions.from_kwargs(columns={"headline": "title"}).columns
    {'headline': 'title'}
    >>> ReadOptions.from_kwargs(colums={})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: unknown read option(s) ['colums']; expected some of [...]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, Literal

from arabnews_nlp.article import Article

__all__ = ["DEFAULT_MAX_RECORD_BYTES", "DEFAULT_MAX_RECORD_LINES", "ReadOptions"]

# Far above any real article (the longest ANT article is ~60 kB) and far below what would
# hurt: a "record" over this is almost always a mis-split file or junk.
DEFAULT_MAX_RECORD_BYTES = 16 * 1024 * 1024
# A quoted CSV cell holds an article body: a few hundred lines at most.
DEFAULT_MAX_RECORD_LINES = 10_000
_ARTICLE_FIELDS = frozenset(f.name for f in fields(Article))


@dataclass(frozen=True)
class ReadOptions:
    """Reader options (all keyword arguments of :func:`read_articles` after ``report``).

    Attributes:
        columns: Rename input keys/columns to Article fields, e.g. ``{"headline": "title"}``.
            Applies to JSON, CSV/TSV and Parquet. A key mapped to ``None`` is dropped.
        aliases: Also accept common alternative names (``text``/``content`` for body,
            ``date`` for published, ``headline`` for title, ...) when the field is absent.
        delimiter: CSV delimiter; default ``,`` for ``.csv`` and tab for ``.tsv``.
        encoding: Text encoding of text-based inputs (e.g. ``"cp1256"`` for legacy files).
        max_record_bytes: A record (line, file, JSON value) larger than this is reported as
            ``too_large`` without being loaded; ``None`` disables the limit.
        max_record_lines: CSV/TSV: a record spanning more lines than this (a quote that is
            never closed) is reported and the lines after its first are read again; a quote
            still open at the end of the file is reported the same way. ``None``: no limit.
        require: Fields that must be non-empty, else the record is rejected. By default only
            the body: social posts, wire snippets and many archives have no headline (such a
            record gets ``title=""``); pass ``require=("title", "body")`` to insist on one.
        source: Value for ``Article.source`` when a record has none.
        duplicates: ``"drop"`` (default) reports and drops a record whose id was already
            seen; ``"keep"`` reports it and yields it anyway.
        batch_size: Rows per Parquet batch.
        tag_separator: Page dumps: how the tag line is split (default: tab, ``،``, ``,``, ``|``
            or runs of 2+ spaces; a line without any of them is one tag).
        follow_symlinks: Read symbolic links inside an input folder (or below a glob's fixed
            part) that point out of it; by default they are reported as ``link`` errors.
            Links inside archives are never followed.
    """

    columns: Mapping[str, str | None] | None = None
    aliases: bool = True
    delimiter: str | None = None
    encoding: str = "utf-8"
    max_record_bytes: int | None = DEFAULT_MAX_RECORD_BYTES
    max_record_lines: int | None = DEFAULT_MAX_RECORD_LINES
    require: tuple[str, ...] = ("body",)
    source: str | None = None
    duplicates: Literal["drop", "keep"] = "drop"
    batch_size: int = 1024
    tag_separator: str | None = None
    follow_symlinks: bool = False

    def __post_init__(self) -> None:
        unknown = [name for name in self.require if name not in _ARTICLE_FIELDS]
        if unknown:
            raise ValueError(f"require names unknown Article fields: {unknown}")
        if self.columns:
            bad = {
                k: v for k, v in self.columns.items() if v is not None and v not in _ARTICLE_FIELDS
            }
            if bad:
                raise ValueError(f"columns map to unknown Article fields: {bad}")
        if self.duplicates not in ("drop", "keep"):
            raise ValueError(f"duplicates must be 'drop' or 'keep', not {self.duplicates!r}")
        for name in ("max_record_bytes", "max_record_lines"):
            value = getattr(self, name)
            if value is not None and value <= 0:
                raise ValueError(f"{name} must be positive or None")
        if self.batch_size <= 0:
            raise ValueError("batch_size must be positive")
        "".encode(self.encoding)  # LookupError for an unknown codec, before any file is opened

    @classmethod
    def from_kwargs(cls, **options: Any) -> ReadOptions:
        """Build options from keyword arguments, rejecting unknown names."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(options) - known)
        if unknown:
            raise TypeError(f"unknown read option(s) {unknown}; expected some of {sorted(known)}")
        if "require" in options:
            options["require"] = tuple(options["require"])
        return cls(**options)
