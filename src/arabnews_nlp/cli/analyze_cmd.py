"""`arabnews analyze`: the whole analysis of a corpus, with checkpoint, errors file and report.

All the work is in :func:`arabnews_nlp.pipeline.run_analysis`; this module parses options,
prints the summary and turns the outcome into an exit code.

Example:
    $ arabnews analyze news/*.jsonl -o out/analysis.jsonl -j 2 --report out/report.html
"""

from __future__ import annotations

import json
import os
import signal
import threading
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer

from arabnews_nlp.cli.app import app
from arabnews_nlp.cli.choices import Engine, InputFormat, OutputFormat, listed, value
from arabnews_nlp.cli.common import (
    EXIT_INTERRUPTED,
    EncodingOpt,
    FollowSymlinksOpt,
    fatal_errors,
    finish,
    ner_model_name,
    reader_options,
)
from arabnews_nlp.pipeline.options import DEFAULT_CHUNK_SIZE, DEFAULT_RELATED_K
from arabnews_nlp.report.layout import DEFAULT_ARTICLES

_EPILOG = (
    "Files written next to OUTPUT (e.g. analysis.jsonl): analysis.errors.jsonl (one line per "
    "rejected record or failed article, with the reason), analysis.summary.json, the entity "
    "table analysis.entities.parquet and analysis.entities.csv (one row per entity across the "
    "corpus: id, names, country, coordinates, counts, dates), and while running the checkpoint "
    "folder analysis.work/.\n\n"
    "Exit status: 0 every record analysed; 1 some records failed (see the errors file; all "
    "good records are written); 2 usage or fatal error; 130 interrupted (Ctrl-C or SIGTERM): "
    "rerun the same command with --resume to continue."
)


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


@app.command(epilog=_EPILOG)
def analyze(
    inputs: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT",
            help="Articles: files, globs, folders, archives (.tar.xz, .zip) in any format the "
            "corpus readers accept, or '-' for stdin.",
        ),
    ],
    output: Annotated[
        Path,
        typer.Option("--output", "-o", help="Output file, one record per article.", dir_okay=False),
    ],
    fmt: Annotated[
        OutputFormat | None,
        typer.Option(
            "--format",
            "-f",
            help=f"Output format: {listed(OutputFormat)} (default: from the OUTPUT suffix).",
        ),
    ] = None,
    input_format: Annotated[
        InputFormat | None,
        typer.Option(
            "--input-format",
            help=f"Input format ({listed(InputFormat)}); sniffed per file when unset.",
        ),
    ] = None,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Worker processes for the per-article stage (0 = one per CPU). The output is "
            "identical for any value.",
        ),
    ] = 1,
    related_k: Annotated[
        int,
        typer.Option("--related-k", min=0, help="Related articles listed per article (0: none)."),
    ] = DEFAULT_RELATED_K,
    exact_related: Annotated[
        bool,
        typer.Option(
            "--exact-related",
            help="Score every article against the whole corpus for its related articles "
            "(default: the index's candidate search, which is exact on small corpora).",
        ),
    ] = False,
    related_within_days: Annotated[
        float | None,
        typer.Option(
            "--related-within-days",
            min=0,
            help="Relate only articles published within this many days of each other "
            "(undated articles get none); bounds the related search of an archive.",
        ),
    ] = None,
    sections_model: Annotated[
        Path | None,
        typer.Option(
            "--sections-model",
            help="Directory of a section model (arabnews train sections); default: shipped.",
            exists=True,
            file_okay=False,
        ),
    ] = None,
    ner_model: Annotated[
        str | None,
        typer.Option(
            "--ner-model",
            help="A shipped NER model (crf, neural, ensemble) or a spaCy pipeline folder; "
            "default: the shipped default.",
            callback=ner_model_name,
        ),
    ] = None,
    resume: Annotated[
        bool,
        typer.Option(
            "--resume",
            help="Continue an interrupted run with the same OUTPUT: articles already in its "
            "checkpoint are neither redone nor duplicated; related articles are recomputed.",
        ),
    ] = False,
    resume_different_input: Annotated[
        bool,
        typer.Option(
            "--resume-different-input",
            help="--resume although the input changed since the checkpoint was made: the "
            "checkpoint's analyses of articles still in the input (same id) are reused, the "
            "others left out. Plain --resume refuses a different input.",
        ),
    ] = False,
    report: Annotated[
        Path | None,
        typer.Option(
            "--report", help="Also write a self-contained HTML report (RTL) to this file."
        ),
    ] = None,
    report_articles: Annotated[
        int | None,
        typer.Option(
            "--report-articles",
            min=0,
            help=f"Articles shown in full in the report (default {DEFAULT_ARTICLES}; corpus "
            "figures always cover all).",
        ),
    ] = None,
    with_text: Annotated[
        bool,
        typer.Option("--with-text", help="Include each article's lede and body in the output."),
    ] = False,
    chunk_size: Annotated[
        int,
        typer.Option(
            "--chunk-size", min=1, help="Articles per work unit (and per checkpoint write)."
        ),
    ] = DEFAULT_CHUNK_SIZE,
    keep_work: Annotated[
        bool,
        typer.Option(
            "--keep-work",
            help="Keep the checkpoint after success, so a later --resume only redoes related "
            "articles (e.g. with another --related-k).",
        ),
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress",
            help="Progress bar with rate and ETA on stderr (default: when stderr is a terminal).",
            show_default=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not print the summary.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    engine: Annotated[
        Engine,
        typer.Option(
            "--engine",
            help="local, or dask: run on a Dask cluster (extra arabnews-nlp[dask]). OUTPUT is "
            "one JSON Lines or Parquet file as locally (see --parts).",
        ),
    ] = Engine.local,
    parts: Annotated[
        bool,
        typer.Option(
            "--parts",
            help="--engine dask: OUTPUT is a folder of the workers' part files, not one file "
            "(also when OUTPUT is an existing folder).",
        ),
    ] = False,
    scheduler: Annotated[
        str | None,
        typer.Option("--scheduler", help="--engine dask: a running scheduler (tcp://host:8786)."),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", min=1, help="--engine dask: local worker processes (1/CPU)."),
    ] = None,
    encoding: EncodingOpt = None,
    follow_symlinks: FollowSymlinksOpt = False,
) -> None:
    """Analyse a corpus: section, entities and related articles for every article.

    Writes one record per article (id, title, section with its score and display name,
    entities with offsets and canonical names, top entities, related ids with scores and
    shared terms, near-duplicates), the errors file and a summary, and prints the summary:
    articles per section, top entities, a few related pairs and the timings.
    """
    from arabnews_nlp.pipeline import AnalysisConfig, AnalysisInterrupted, RunOptions, run_analysis

    if str(output) == "-":
        raise typer.BadParameter(
            "OUTPUT must be a file (results are written atomically)", param_hint="-o"
        )
    config = AnalysisConfig(
        sections_model=str(sections_model) if sections_model else None,
        ner_model=ner_model,
    )
    options = RunOptions(
        fmt=value(fmt), input_format=value(input_format), config=config, related_k=related_k,
        related_exact=exact_related, related_within_days=related_within_days,
        chunk_size=chunk_size, include_text=with_text,
        n_jobs=jobs or os.cpu_count() or 1,
        resume=resume or resume_different_input, resume_different_input=resume_different_input,
        report=report, report_articles=report_articles, keep_work=keep_work, progress=progress,
        read_options=reader_options(encoding, follow_symlinks),
    )  # fmt: skip
    if parts and engine is not Engine.dask:
        raise typer.BadParameter(
            "part files are written by --engine dask only", param_hint="--parts"
        )
    if engine is Engine.dask:
        from arabnews_nlp.cli.dask_cmd import analyze_on_dask

        if encoding is not None or follow_symlinks:
            raise typer.BadParameter(
                "--encoding and --follow-symlinks are not available with --engine dask yet",
                param_hint="--engine",
            )
        analyze_on_dask(
            inputs, output, options, scheduler=scheduler, workers=workers, as_json=as_json,
            quiet=quiet, parts=parts or None,
        )  # fmt: skip
    # A polite kill (SIGTERM, as sent by `timeout`, schedulers, `docker stop`) stops the run
    # like Ctrl-C: the pool is wound down and the checkpoint stays resumable.
    in_main = threading.current_thread() is threading.main_thread()  # signals need it
    previous = signal.signal(signal.SIGTERM, _interrupt) if in_main else None
    try:
        with fatal_errors(ValueError):  # CheckpointMismatch, PathConflict, bad options
            summary = run_analysis(inputs, output, options)
    except AnalysisInterrupted as stop:
        typer.echo(
            f"\nInterrupted: {stop.done} articles are saved in {stop.checkpoint}.\n"
            f"Run the same command with --resume to continue.",
            err=True,
        )
        raise typer.Exit(EXIT_INTERRUPTED) from None
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    if as_json:
        typer.echo(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2))
    elif not quiet:
        typer.echo(summary.render())
    finish(summary.errors)
