"""The Typer application objects shared by every command module."""

from __future__ import annotations

import typer

app = typer.Typer(
    name="arabnews",
    help="Analyse Arabic news: normalize, entities, sections, related articles.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
train_app = typer.Typer(help="Train models (sections, ner).", no_args_is_help=True)
evaluate_app = typer.Typer(help="Evaluate models (sections, ner, related).", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(evaluate_app, name="evaluate")
