"""The fixed choices of command-line options, as Enums (Typer lists and checks them).

Each mirrors a library constant; ``tests/test_cli_choices.py`` keeps them equal.
"""

from __future__ import annotations

from enum import Enum

__all__ = ["Engine", "Gold", "InputFormat", "OutputFormat", "Profile", "listed", "value"]


class OutputFormat(str, Enum):
    """Analysis output formats (:data:`arabnews_nlp.pipeline.output.OUTPUT_FORMATS`)."""

    jsonl = "jsonl"
    parquet = "parquet"
    csv = "csv"


class InputFormat(str, Enum):
    """Corpus formats the readers accept (:data:`arabnews_nlp.corpus.sniff.FORMATS`)."""

    jsonl = "jsonl"
    json = "json"
    csv = "csv"
    tsv = "tsv"
    parquet = "parquet"
    text = "text"
    html = "html"
    ant = "ant"
    pagedump = "pagedump"


class Engine(str, Enum):
    """Where ``analyze`` runs: this machine, or a Dask cluster."""

    local = "local"
    dask = "dask"


class Gold(str, Enum):
    """What counts as relevant in ``evaluate related`` (see :func:`evaluate_pairs
    <arabnews_nlp.related.evaluate.evaluate_pairs>`)."""

    story = "story"
    pair = "pair"


class Profile(str, Enum):
    """Normalization profiles (:data:`arabnews_nlp.normalize.PROFILES`)."""

    display = "display"
    search = "search"
    ner = "ner"


def listed(choices: type[Enum]) -> str:
    """The values of a choice Enum for a help text: ``a, b or c``."""
    values = [str(c.value) for c in choices]
    return ", ".join(values[:-1]) + " or " + values[-1]


def value(choice: Enum | None) -> str | None:
    """The string of a choice (None stays None)."""
    return None if choice is None else str(choice.value)
