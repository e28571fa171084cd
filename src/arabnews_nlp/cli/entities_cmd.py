"""`arabnews entities`: named entities of articles or text lines, as JSON Lines.

Input rule: with a path (or ``-``), articles are read by :func:`arabnews_nlp.corpus.read_articles`
(format from ``--format`` or sniffed). Without one, stdin is read line by line: a line holding a
JSON object is an article, any other non-empty line is a plain text.

Example:
    $ echo "وصل بوتين إلى دمشق" | arabnews entities
    {"line": 1, "id": null, "entities": [{"label": "PER", "text": "بوتين", ...}, ...]}
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from arabnews_nlp.article import Article
from arabnews_nlp.cli.app import app
from arabnews_nlp.cli.common import (
    EncodingOpt,
    FollowSymlinksOpt,
    fatal_errors,
    finish,
    read_corpus,
    read_text_lines,
)

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.corpus import ReadReport


def _stdin_records(report: ReadReport, encoding: str | None) -> Iterator[tuple[int, str | Article]]:
    for lineno, raw in read_text_lines(None, report, encoding):
        line = (raw or "").strip()  # an undecodable line (None) is reported already
        if not line:
            continue
        if line.startswith("{"):
            try:
                yield lineno, Article.from_dict(json.loads(line))
                continue
            except (ValueError, TypeError, RecursionError) as exc:
                typer.echo(f"line {lineno}: not an article ({exc}); read as text", err=True)
        yield lineno, line


def _record(n: int, item: str | Article, entities: list[Any], aggregate: bool) -> dict[str, Any]:
    from arabnews_nlp.entities import aggregate_entities

    out: dict[str, Any] = {"line": n} if isinstance(item, str) else {}
    out["id"] = item.id if isinstance(item, Article) else None
    out["entities"] = [e.to_dict() for e in entities]
    if aggregate:
        out["summary"] = [s.to_dict() for s in aggregate_entities(entities)]
    return out


@app.command()
def entities(
    input: str | None = typer.Argument(
        None, help="Articles file/glob (any corpus format) or '-'; default: stdin lines."
    ),
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="Format of INPUT (jsonl, pagedump, ...); sniffed if unset.",
    ),
    aggregate: bool = typer.Option(
        False, "--aggregate", "-a", help="Add a per-article summary: unique entities by salience."
    ),
    labels: str = typer.Option("PER,LOC,ORG", "--labels", help="Comma-separated labels to keep."),
    batch_size: int = typer.Option(32, "--batch-size", help="Documents per model batch."),
    html: str | None = typer.Option(
        None, "--html", help="Also write a right-to-left displaCy rendering to this file."
    ),
    encoding: EncodingOpt = None,
    follow_symlinks: FollowSymlinksOpt = False,
) -> None:
    """Find people, places and organisations; write one JSON line per input document.

    Exit status: 0 every input record was used; 1 some were rejected (listed on stderr), or
    the input is missing or empty; 2 usage error.
    """
    from arabnews_nlp.corpus import ReadReport, RecordError
    from arabnews_nlp.entities import extract_entities_batch, render_entities
    from arabnews_nlp.pipeline.stage import MAX_ARTICLE_CHARS

    report = ReadReport()
    records: Iterator[tuple[int, str | Article]] = (
        enumerate(
            read_corpus(input, fmt, report, encoding=encoding, follow_symlinks=follow_symlinks),
            start=1,
        )
        if input
        else _stdin_records(report, encoding)
    )
    pending: deque[tuple[int, str | Article]] = deque()
    too_long: list[RecordError] = []

    def items() -> Iterator[str | Article]:
        for n, item in records:
            size = len(item if isinstance(item, str) else item.text)
            if size > MAX_ARTICLE_CHARS:  # analyze's bound; spaCy refuses 1M characters
                reason = f"too long: {size:,} characters, over the limit of {MAX_ARTICLE_CHARS:,}"
                # Counted apart: the reader prints what is in its report as it streams.
                too_long.append(RecordError(input or "<stdin>", n, reason, "too_large"))
                typer.echo(f"skipped: {too_long[-1]}", err=True)
                continue
            pending.append((n, item))
            yield item

    keep = tuple(label.strip() for label in labels.split(",") if label.strip())
    pages: list[str] = []
    for ents in extract_entities_batch(items(), labels=keep, batch_size=batch_size):
        n, item = pending.popleft()
        typer.echo(json.dumps(_record(n, item, ents, aggregate), ensure_ascii=False))
        if html is not None:
            pages.append(render_entities(item, ents, jupyter=False))
    if html is not None:
        with fatal_errors():
            _write_html(Path(html), pages)
    finish(report.bad + len(too_long))


def _write_html(path: Path, pages: list[str]) -> None:
    from arabnews_nlp.files import atomic_file

    with atomic_file(path) as fh:
        fh.write('<!DOCTYPE html><html lang="ar" dir="rtl"><meta charset="utf-8"><body>')
        fh.write("<hr>".join(pages))
        fh.write("</body></html>")
