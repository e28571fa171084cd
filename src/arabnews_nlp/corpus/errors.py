"""What went wrong with a record, and the running tally of a read.

A reader never stops a corpus run with a bare traceback: every problem becomes a
:class:`RecordError` that says *where* (file, line or record number) and *why*, and is
handled by the ``errors=`` policy of :func:`~arabnews_nlp.corpus.read_articles`.

Example:
    >>> report = ReadReport()
    >>> report.add(RecordError("news.jsonl", 3, "malformed JSON: Expecting value", kind="parse"))
    >>> report.bad, str(report.errors[0])
    (1, 'news.jsonl:3: malformed JSON: Expecting value')
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["CorpusError", "ErrorPolicy", "ReadReport", "RecordError", "RecordProblem"]

ErrorPolicy = Literal["raise", "skip", "collect"]
ERROR_POLICIES: tuple[str, ...] = ("raise", "skip", "collect")

# Every RecordError carries one of these, so callers can branch without parsing messages.
ERROR_KINDS = frozenset(
    {
        "missing",  # path or glob that matches nothing
        "io",  # OSError while opening/reading
        "format",  # format could not be detected / binary junk / corrupt container
        "empty",  # empty file
        "decode",  # invalid UTF-8 (or the declared encoding)
        "parse",  # malformed JSON / CSV / markup
        "too_large",  # record over max_record_bytes (or a CSV record over max_record_lines)
        "too_deep",  # JSON nested deeper than corpus.values.MAX_DEPTH
        "link",  # a symbolic link pointing out of the input folder, not followed
        "missing_field",  # no title or no body
        "type",  # a field of the wrong type
        "duplicate",  # an id seen before
        "date",  # unparseable date (a warning: the record is kept)
    }
)


@dataclass(frozen=True)
class RecordError:
    """One bad (or suspicious) record.

    Attributes:
        source: The file it came from; archive members read ``archive.tar.xz!member/path``.
        record: Line number (JSON Lines, CSV, ANT), 1-based record index (JSON arrays,
            Parquet), or None when the whole file is at fault.
        reason: A human-readable explanation.
        kind: A stable machine-readable category (see ``ERROR_KINDS``).
    """

    source: str
    record: int | None
    reason: str
    kind: str = "parse"

    def __post_init__(self) -> None:
        if self.kind not in ERROR_KINDS:
            raise ValueError(
                f"unknown error kind {self.kind!r}; expected one of {sorted(ERROR_KINDS)}"
            )

    def __str__(self) -> str:
        where = self.source if self.record is None else f"{self.source}:{self.record}"
        return f"{where}: {self.reason}"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (for logs and CLI reports)."""
        return {
            "source": self.source,
            "record": self.record,
            "reason": self.reason,
            "kind": self.kind,
        }


class RecordProblem(Exception):
    """Why a raw record cannot become an Article (turned into a RecordError by the caller)."""

    def __init__(self, kind: str, reason: str) -> None:
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class CorpusError(ValueError):
    """Raised for a bad record under ``errors="raise"``; the details are in :attr:`error`."""

    def __init__(self, error: RecordError) -> None:
        super().__init__(str(error))
        self.error = error


@dataclass
class ReadReport:
    """Counts and errors of one or more reads.

    Pass the same report to several :func:`read_articles` calls to get a combined tally.
    Only the first ``max_errors`` errors and warnings are kept (the counts stay exact), so
    a 10 GB file of junk cannot exhaust memory through its error list.

    Attributes:
        read: Articles yielded.
        bad: Records rejected (including duplicates).
        duplicates: Records whose id had already been seen.
        files: Files (or archive members) opened.
        errors: The rejected records, in order (up to ``max_errors``).
        warnings: Records kept but with a caveat, e.g. an unparseable date.
        kinds: Count of rejected records per error kind.
        warned: Records kept with a warning (all of them, unlike ``warnings``).
    """

    max_errors: int = 10_000
    read: int = 0
    bad: int = 0
    duplicates: int = 0
    files: int = 0
    errors: list[RecordError] = field(default_factory=list)
    warnings: list[RecordError] = field(default_factory=list)
    kinds: Counter[str] = field(default_factory=Counter)
    warned: int = 0

    @property
    def ok(self) -> bool:
        """True when no record was rejected."""
        return self.bad == 0

    def add(self, error: RecordError, *, keep: bool = True) -> None:
        """Count a rejected record, and keep it (while under ``max_errors``) if ``keep``."""
        self.bad += 1
        self.kinds[error.kind] += 1
        if error.kind == "duplicate":
            self.duplicates += 1
        if keep and len(self.errors) < self.max_errors:
            self.errors.append(error)

    def warn(self, warning: RecordError) -> None:
        """Record a caveat about a record that was kept."""
        self.warned += 1
        if len(self.warnings) < self.max_errors:
            self.warnings.append(warning)

    def summary(self) -> str:
        """One line, e.g. ``'9 read, 2 bad (missing_field: 2), 0 duplicate ids, 11 files'``."""
        detail = ", ".join(f"{k}: {n}" for k, n in sorted(self.kinds.items()))
        text = (
            f"{self.read} read, {self.bad} bad{f' ({detail})' if detail else ''}, "
            f"{self.duplicates} duplicate ids, {self.files} files"
        )
        if self.warned:
            text += f", {self.warned} warnings"
        return text

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable summary including the kept errors."""
        return {
            "read": self.read,
            "bad": self.bad,
            "duplicates": self.duplicates,
            "files": self.files,
            "kinds": dict(self.kinds),
            "warned": self.warned,
            "errors": [e.to_dict() for e in self.errors],
            "warnings": [w.to_dict() for w in self.warnings],
        }
