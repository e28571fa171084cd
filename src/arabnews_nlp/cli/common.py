"""What the commands share: exit statuses, reader options, and reading input with its errors
reported on stderr.

Exit status, for every command: 0 every input record was used; 1 some records were rejected,
or the input was missing, empty or unreadable (all good records were still processed and
written); 2 usage or fatal error; 130 interrupted.

Example:
    >>> exit_status(0), exit_status(3)
    (0, 1)
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.article import Article
    from arabnews_nlp.corpus import ReadReport

__all__ = [
    "EXIT_FATAL",
    "EXIT_INTERRUPTED",
    "EXIT_OK",
    "EXIT_RECORDS_FAILED",
    "EncodingOpt",
    "FollowSymlinksOpt",
    "exit_status",
    "fatal_errors",
    "finish",
    "read_corpus",
    "read_text_lines",
    "reader_options",
]

EXIT_OK, EXIT_RECORDS_FAILED, EXIT_FATAL, EXIT_INTERRUPTED = 0, 1, 2, 130

EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of the input (e.g. cp1256); default UTF-8, or what a byte-order "
        "mark says (UTF-8, UTF-16, UTF-32).",
    ),
]
FollowSymlinksOpt = Annotated[
    bool,
    typer.Option(
        "--follow-symlinks",
        help="Read symbolic links in input folders that point out of them (reported and "
        "skipped by default). Links inside archives are never followed.",
    ),
]


def ner_model_name(value: str | None) -> str | None:
    """Check a ``--ner-model``/``--model`` value: a shipped pipeline's name (``crf``,
    ``neural``, ``ensemble``) or an existing folder; ``None`` is the default model."""
    from pathlib import Path

    from arabnews_nlp.entities.model import MODELS

    if value is None or value in MODELS or Path(value).is_dir():
        return value
    names = ", ".join(sorted(MODELS))
    raise typer.BadParameter(f"{value!r} is neither a shipped model ({names}) nor a folder")


def exit_status(errors: int) -> int:
    """The one rule of every command: 1 when any input record failed, else 0."""
    return EXIT_RECORDS_FAILED if errors else EXIT_OK


def finish(errors: int) -> NoReturn:
    """End the command with :func:`exit_status` of ``errors``."""
    raise typer.Exit(exit_status(errors))


def reader_options(encoding: str | None, follow_symlinks: bool) -> dict[str, Any]:
    """``read_articles`` keyword arguments for the ``--encoding``/``--follow-symlinks`` flags."""
    import codecs

    options: dict[str, Any] = {"follow_symlinks": follow_symlinks}
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise typer.BadParameter(
                f"unknown encoding {encoding!r}", param_hint="--encoding"
            ) from None
        options["encoding"] = encoding
    return options


def read_corpus(
    corpus: str,
    fmt: str | None,
    report: ReadReport,
    *,
    encoding: str | None = None,
    follow_symlinks: bool = False,
) -> Iterator[Article]:
    """Articles of ``corpus``, streamed; each rejected record is printed on stderr as it
    comes (``skipped: file:line: reason``) and counted in ``report``."""
    from arabnews_nlp.corpus import read_articles

    options = reader_options(encoding, follow_symlinks)
    reader = read_articles(corpus, format=fmt, report=report, **options)
    shown = 0
    for article in reader:
        shown = _show_errors(report, shown)
        yield article
    _show_errors(report, shown)


def _show_errors(report: ReadReport, shown: int) -> int:
    for error in report.errors[shown:]:
        typer.echo(f"skipped: {error}", err=True)
    return len(report.errors)


def read_text_lines(
    path: str | None, report: ReadReport, encoding: str | None = None
) -> Iterator[tuple[int, str | None]]:
    """``(line number, line)`` of a file or of stdin (``None`` or ``"-"``), decoded line by
    line: an undecodable line comes as None, reported on stderr and counted in ``report`` (as
    a missing, empty or unreadable input is), and the next line is read."""
    from pathlib import Path

    from arabnews_nlp.corpus import RecordError
    from arabnews_nlp.corpus.streams import decode_lines

    name = "<stdin>" if path in (None, "-") else str(path)
    error: str | None = None
    if name != "<stdin>" and not Path(name).is_file():
        error = "is a directory" if Path(name).is_dir() else "no such file or directory"
    if error is not None:
        _reject(report, RecordError(name, None, error, "missing"))
        return
    stream: IO[bytes] = sys.stdin.buffer if name == "<stdin>" else open(name, "rb")  # noqa: SIM115
    any_line = False
    try:
        for number, line in decode_lines(stream, encoding or "utf-8"):
            any_line = True
            if line is None:
                reason = f"invalid {encoding or 'utf-8'}: line skipped"
                _reject(report, RecordError(name, number, reason, "decode"))
            yield number, line
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()
    if not any_line:
        _reject(report, RecordError(name, None, "empty file", "empty"))


def _reject(report: ReadReport, error: Any) -> None:
    report.add(error)
    typer.echo(f"skipped: {error}", err=True)


@contextmanager
def fatal_errors(*kinds: type[Exception]) -> Iterator[None]:
    """Inside, an :class:`OSError` (or one of ``kinds``) ends the command with a one-line
    ``error: PATH: reason`` on stderr and exit status 2, not a traceback: a read-only or full
    output folder, or an output path that is a folder, is for the user to fix.

    Example:
        >>> import typer
        >>> try:
        ...     with fatal_errors():
        ...         open("/nonexistent-folder/out.jsonl", "w")
        ... except typer.Exit as stop:
        ...     stop.exit_code
        2
    """
    caught: tuple[type[Exception], ...] = (OSError, *kinds)
    try:
        yield
    except caught as exc:
        if isinstance(exc, OSError) and exc.strerror and exc.filename is not None:
            message = f"{exc.filename}: {exc.strerror}"
        else:
            message = str(exc)
        typer.echo(f"error: {message}", err=True)
        raise typer.Exit(EXIT_FATAL) from None
