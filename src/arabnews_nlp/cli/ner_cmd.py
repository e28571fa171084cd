"""`arabnews train ner` / `arabnews evaluate ner`: train and score the entity model.

Example:
    $ arabnews evaluate ner ../shared/data/ner/anercorp-train.txt --dev-split 0.1 --json
    {"PER": {"precision": ..., "recall": ..., "f1": ...}, "LOC": {...}, ..., "micro": {...}}
    $ arabnews train ner --out models/ner     # the shipped recipe, the shipped cluster table
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from arabnews_nlp.cli.app import evaluate_app, train_app
from arabnews_nlp.cli.common import ner_model_name
from arabnews_nlp.entities.recipe import DEFAULT_DEV_FRACTION, CRFRecipe

_DEFAULT_SHARED = Path("..") / "shared"
#: The option defaults are the recipe's.
_RECIPE = CRFRecipe()


@train_app.command("ner")
def train_ner_command(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="Folder the pipeline is written to.")
    ] = None,
    out_alias: Annotated[
        Path | None, typer.Option("--out", hidden=True, help="Former name of --output.")
    ] = None,
    shared: Annotated[
        Path, typer.Option(help="The shared data folder (data/ner, data/gazetteers).")
    ] = _DEFAULT_SHARED,
    clusters: Annotated[
        Path | None,
        typer.Option(
            help="Word-cluster table from scripts/ner/build_clusters.py "
            "(default: the table shipped with the model)."
        ),
    ] = None,
    no_clusters: Annotated[
        bool, typer.Option("--no-clusters", help="Train without word-cluster features.")
    ] = False,
    extra: Annotated[
        str, typer.Option(help="Extra training corpora: 'aqmar', 'wojood' (comma-separated).")
    ] = "",
    silver: Annotated[
        list[Path] | None,
        typer.Option(help="Machine-tagged training file (scripts/ner/silver.py); repeatable."),
    ] = None,
    lexicons: Annotated[
        bool, typer.Option(help="Use the gazetteer name lists as features.")
    ] = _RECIPE.lexicons,
    dev_fraction: Annotated[
        float, typer.Option(help="Last fraction of ANERcorp held out as the dev split.")
    ] = DEFAULT_DEV_FRACTION,
    c1: Annotated[float, typer.Option(help="CRF L1 regularization.")] = _RECIPE.c1,
    c2: Annotated[float, typer.Option(help="CRF L2 regularization.")] = _RECIPE.c2,
    iterations: Annotated[int, typer.Option(help="L-BFGS iterations.")] = _RECIPE.max_iterations,
    near_window: Annotated[
        int, typer.Option(help="Neighbours this close give their full feature set.")
    ] = _RECIPE.near_window,
    cluster_bigrams: Annotated[
        bool, typer.Option(help="Add cluster-id pairs of adjacent tokens.")
    ] = _RECIPE.cluster_bigrams,
    head_phrase: Annotated[
        bool, typer.Option(help="Mark the tokens after an organisation head noun.")
    ] = _RECIPE.head_phrase,
    stemmer: Annotated[
        str, typer.Option(help="Stem feature: 'shared' (the clitic segmenter) or 'crf' (legacy).")
    ] = _RECIPE.stemmer,
    org_names: Annotated[
        str,
        typer.Option(
            help="The organisation list of resources/kb as features: 'phrase' (whole names), "
            "'words' (name-list words), 'both' or '' (not used)."
        ),
    ] = _RECIPE.org_names,
) -> None:
    """Train the CRF entity model, write it as a spaCy pipeline, print the dev scores as JSON.

    The defaults are the recipe of the shipped model (see docs/models/ner.md).
    """
    from arabnews_nlp.entities.train import train_ner

    out = output or out_alias
    if out is None:
        raise typer.BadParameter("give the folder to write", param_hint="--output")
    table: str | Path | None = clusters or CRFRecipe.shipped().clusters
    recipe = CRFRecipe(
        clusters=None if no_clusters else table,
        lexicons=lexicons,
        c1=c1,
        c2=c2,
        max_iterations=iterations,
        near_window=near_window,
        cluster_bigrams=cluster_bigrams,
        head_phrase=head_phrase,
        stemmer=stemmer,
        org_names=org_names,
    )
    extras = [e for e in extra.split(",") if e]
    result = train_ner(
        shared, out, recipe, extra=extras, silver=silver or (), dev_fraction=dev_fraction
    )
    summary = {
        "out": str(result.out_dir),
        "train_sentences": result.train_sentences,
        "train_tokens": result.train_tokens,
        "seconds": round(result.seconds, 1),
        "dev": result.dev_scores,
    }
    typer.echo(json.dumps(summary, indent=2))


@evaluate_app.command("ner")
def evaluate_ner_command(
    path: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A `token TAG` file.")],
    format: Annotated[
        str, typer.Option("--format", help="Input format (conll: `token TAG` lines).")
    ] = "conll",
    model: Annotated[
        str | None,
        typer.Option(
            help="A shipped model (crf, neural, ensemble) or a pipeline folder "
            "(default: the shipped default).",
            callback=ner_model_name,
        ),
    ] = None,
    dev_split: Annotated[
        float | None,
        typer.Option(help="Score only the last fraction of the sentences (0.1 = the dev split)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON.")] = False,
) -> None:
    """Entity-level exact-span precision/recall/F1 per label (PER, LOC, ORG) and micro."""
    from arabnews_nlp.entities.evaluate import evaluate_ner
    from arabnews_nlp.entities.model import load_ner

    scores = evaluate_ner(load_ner(model), path, format=format, dev_fraction=dev_split)
    if as_json:
        typer.echo(json.dumps(scores))
        return
    typer.echo(f"{'':8}{'precision':>10}{'recall':>10}{'f1':>10}")
    for label, row in scores.items():
        typer.echo(
            f"{label:8}" + "".join(f"{row[k]:>10.4f}" for k in ("precision", "recall", "f1"))
        )
