"""``arabnews analyze --engine dask``: the options the Dask engine adds, and its run.

The command itself lives in :mod:`arabnews_nlp.cli.analyze_cmd`; with ``--engine dask`` it hands
its parsed options here, so the Dask-only checks and the import of Dask stay out of the local
path (and the Dask engine itself knows nothing of the command line).

Example:
    $ arabnews analyze 'news/*.jsonl' -o out/analysis.parquet --engine dask --workers 2
    $ arabnews analyze 's3://news/*.jsonl' -o s3://out/analysis.jsonl --engine dask \\
        --scheduler tcp://scheduler:8786
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from arabnews_nlp.cli.common import EXIT_FATAL, finish
from arabnews_nlp.pipeline.options import RunOptions

__all__ = ["analyze_on_dask"]


def _refuse(flag: str, why: str) -> None:
    raise typer.BadParameter(f"not available with --engine dask: {why}", param_hint=flag)


def analyze_on_dask(
    inputs: list[str],
    output: Path,
    options: RunOptions,
    *,
    scheduler: str | None,
    workers: int | None,
    as_json: bool = False,
    quiet: bool = False,
    parts: bool | None = None,
) -> None:
    """Run the analysis on Dask, print the summary and exit with ``analyze``'s exit status.

    Raises:
        typer.Exit: always (0 all analysed, 1 some records failed, 2 fatal error).
    """
    if scheduler is not None and workers is not None:
        _refuse("--workers", "give --scheduler (a running cluster) or --workers (a local one)")
    if "-" in inputs:
        _refuse("INPUT", "workers read files, not this process's standard input")
    if options.resume or options.keep_work:
        _refuse("--resume", "a killed worker's partitions are recomputed; there is no checkpoint")
    if options.report is not None:
        _refuse("--report", "the report holds every article in one file; run it locally")
    if options.fmt == "csv":
        _refuse("--format", "the workers write JSON Lines or Parquet")
    try:
        from arabnews_nlp.dask_engine import run_analysis_dask
    except ImportError as exc:  # pragma: no cover - the dask extra is not installed
        typer.echo(f"error: {exc}; install arabnews-nlp[dask]", err=True)
        raise typer.Exit(EXIT_FATAL) from None
    try:
        summary = run_analysis_dask(
            inputs, output, options, scheduler=scheduler, n_workers=workers, parts=parts
        )
    except (OSError, ValueError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(EXIT_FATAL) from None
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    elif not quiet:
        typer.echo(summary.render())
    finish(summary.errors)
