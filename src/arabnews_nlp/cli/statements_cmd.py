"""`arabnews quotes` and `arabnews dates`: who said what, and the dates, as JSON Lines.

Input rule (as `arabnews entities`): with a path (or ``-``), articles are read by
:func:`arabnews_nlp.corpus.read_articles`; without one, stdin is read line by line (a JSON
object is an article, any other non-empty line a plain text). One JSON line is written per
input document.

Exit status (as every command, see :mod:`arabnews_nlp.cli.common`): 0 every input record was
used; 1 some were rejected (listed on stderr), or the input is missing or empty; 2 usage or
fatal error (an unreadable ``--reference``).

Example:
    $ echo "وقال الوزير أمس إن الميناء سيفتح" | arabnews quotes --no-entities
    {"line": 1, "id": null, "quotes": [{"speaker": {"text": "الوزير", ...}, ...}]}
    $ echo "وصل الوفد أمس" | arabnews dates --reference 2025-03-20
    {"line": 1, "id": null, "reference": "2025-03-20", "dates": [{"value": "2025-03-19", ...}]}
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import typer

from arabnews_nlp.article import Article
from arabnews_nlp.cli.app import app
from arabnews_nlp.cli.common import (
    EXIT_FATAL,
    EncodingOpt,
    FollowSymlinksOpt,
    finish,
    read_corpus,
)
from arabnews_nlp.cli.entities_cmd import _stdin_records

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.corpus import ReadReport

_INPUT = typer.Argument(
    None, help="Articles file/glob (any corpus format) or '-'; default: stdin lines."
)
_FORMAT = typer.Option(
    None, "--format", "-f", help="Format of INPUT (jsonl, pagedump, ...); sniffed if unset."
)


def _documents(
    path: str | None, fmt: str | None, report: ReadReport, encoding: str | None, follow: bool
) -> Iterator[tuple[int, str | Article]]:
    """Numbered documents of a corpus (or of stdin lines); rejects are counted in ``report``."""
    if not path:
        return _stdin_records(report, encoding)
    return enumerate(read_corpus(path, fmt, report, encoding=encoding, follow_symlinks=follow), 1)


def _head(n: int, item: str | Article) -> dict[str, Any]:
    out: dict[str, Any] = {"line": n} if isinstance(item, str) else {}
    out["id"] = item.id if isinstance(item, Article) else None
    return out


@app.command()
def quotes(
    input: str | None = _INPUT,
    fmt: str | None = _FORMAT,
    entities: bool = typer.Option(
        True,
        "--entities/--no-entities",
        help="Run the NER model to link speakers to people and organisations (slower).",
    ),
    batch_size: int = typer.Option(32, "--batch-size", help="Documents per NER batch."),
    encoding: EncodingOpt = None,
    follow_symlinks: FollowSymlinksOpt = False,
) -> None:
    """Find quotes (speaker, cue, content, direct/reported); one JSON line per document."""
    from arabnews_nlp.corpus import ReadReport
    from arabnews_nlp.quotes import extract_quotes

    report = ReadReport()
    source = _documents(input, fmt, report, encoding, follow_symlinks)
    if not entities:
        for n, item in source:
            found = [q.to_dict() for q in extract_quotes(item)]
            typer.echo(json.dumps({**_head(n, item), "quotes": found}, ensure_ascii=False))
        finish(report.bad)
    from arabnews_nlp.entities import extract_entities_batch

    pending: list[tuple[int, str | Article]] = []

    def items() -> Iterator[str | Article]:
        for n, item in source:
            pending.append((n, item))
            yield item

    for ents in extract_entities_batch(items(), batch_size=batch_size):
        n, item = pending.pop(0)
        found = [q.to_dict() for q in extract_quotes(item, ents)]
        typer.echo(json.dumps({**_head(n, item), "quotes": found}, ensure_ascii=False))
    finish(report.bad)


@app.command()
def dates(
    input: str | None = _INPUT,
    fmt: str | None = _FORMAT,
    reference: str | None = typer.Option(
        None,
        "--reference",
        "-r",
        help="Date (YYYY-MM-DD) relative expressions are read against, for documents without "
        "a publication date; an article's own date wins.",
    ),
    encoding: EncodingOpt = None,
    follow_symlinks: FollowSymlinksOpt = False,
) -> None:
    """Find date mentions with normalized values; one JSON line per document."""
    from arabnews_nlp.corpus import ReadReport
    from arabnews_nlp.dates import extract_dates

    report = ReadReport()
    source = _documents(input, fmt, report, encoding, follow_symlinks)
    for n, item in source:
        ref = (item.published if isinstance(item, Article) else None) or reference
        try:
            found = [d.to_dict() for d in extract_dates(item, reference=ref)]
        except ValueError as exc:  # an unreadable --reference
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(EXIT_FATAL) from None
        record = {**_head(n, item), "reference": ref, "dates": found}
        typer.echo(json.dumps(record, ensure_ascii=False))
    finish(report.bad)
