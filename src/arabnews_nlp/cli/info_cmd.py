"""`arabnews info`: version, shipped models and optional extras."""

from __future__ import annotations

import importlib.util
import json

import typer

from arabnews_nlp._version import __version__
from arabnews_nlp.cli.app import app


@app.command()
def info(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the version, the shipped models and which optional extras are installed."""
    extras = {
        name: importlib.util.find_spec(mod) is not None
        for name, mod in {
            "camel-tools": "camel_tools",
            "pyarabic": "pyarabic",
            "dask": "distributed",
        }.items()
    }
    data = {"version": __version__, "extras": extras}
    if as_json:
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        typer.echo(f"arabnews-nlp {__version__}")
        for name, ok in extras.items():
            typer.echo(f"  {name:12s} {'installed' if ok else '-'}")
