"""`arabnews normalize`: normalize text lines or JSON Lines articles.

Input rule: a file path, or standard input when no path (or ``-``) is given, read line by line.
A line holding a JSON object is an article: its text fields are normalized and the object is
written back as one JSON line; any other line is text and is written back normalized. Line
order, and empty lines, are kept, so the output lines up with the input.

Example:
    $ echo "أعلنَت الوزارةُ عن ٣ إصابات" | arabnews normalize
    اعلنت الوزاره عن 3 اصابات
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import Annotated, Any

import typer

from arabnews_nlp.cli.app import app
from arabnews_nlp.cli.choices import Profile, listed
from arabnews_nlp.cli.common import EncodingOpt, finish, read_text_lines
from arabnews_nlp.normalize import STEPS, Normalizer

_DEFAULT_FIELDS = "title,lede,body,text"


def _normalizer(profile: str, on: list[str], off: list[str]) -> Normalizer:
    for step in (*on, *off):
        if step not in STEPS:
            raise typer.BadParameter(f"unknown step {step!r}; steps: {', '.join(STEPS)}")
    return Normalizer(profile, **{s: True for s in on}, **{s: False for s in off})


def _normalize_lines(
    lines: Iterable[tuple[int, str | None]], norm: Normalizer, fields: list[str]
) -> Iterator[str]:
    """Each input line normalized: JSON objects field by field, other lines as text; an
    undecodable line (None, reported already) stays as an empty line, so the output lines up."""
    for lineno, line in lines:
        if line is None:
            yield ""
            continue
        record: Any = None
        if line.lstrip().startswith("{"):
            try:
                record = json.loads(line)
            except (ValueError, RecursionError) as exc:
                typer.echo(f"line {lineno}: not JSON ({exc}); normalized as text", err=True)
        if isinstance(record, dict):
            for field in fields:
                if isinstance(record.get(field), str):
                    record[field] = norm.normalize(record[field])
            yield json.dumps(record, ensure_ascii=False)
        else:
            yield norm.normalize(line)


@app.command("normalize")
def normalize_command(
    input: Annotated[
        str | None,
        typer.Argument(help="Text or JSON Lines file, or '-'; default: standard input."),
    ] = None,
    profile: Annotated[
        Profile, typer.Option("--profile", "-p", help=f"Profile: {listed(Profile)}.")
    ] = Profile.search,
    on: Annotated[
        list[str] | None,
        typer.Option(help="Switch a step on, e.g. --on normalize_hamza (repeatable)."),
    ] = None,
    off: Annotated[
        list[str] | None,
        typer.Option(help="Switch a step off, e.g. --off normalize_teh_marbuta (repeatable)."),
    ] = None,
    fields: Annotated[
        str, typer.Option(help="Comma-separated text fields of JSON articles.")
    ] = _DEFAULT_FIELDS,
    encoding: EncodingOpt = None,
) -> None:
    """Normalize Arabic text: one output line per input line, on standard output.

    Steps and profiles are described in docs/normalization.md. Exit status: 0 every line
    normalized; 1 some lines could not be decoded (each reported on stderr and written as an
    empty line), or the input is missing, empty or a directory; 2 usage error.
    """
    from arabnews_nlp.corpus import ReadReport

    norm = _normalizer(profile.value, on or [], off or [])
    field_list = [f.strip() for f in fields.split(",") if f.strip()]
    report = ReadReport()
    for out in _normalize_lines(read_text_lines(input, report, encoding), norm, field_list):
        sys.stdout.write(out + "\n")
    finish(report.bad)
