"""The ``arabnews`` command line: a thin layer over the public Python API.

Each capability lives in its own module and registers its commands on :data:`app`.
"""

from __future__ import annotations

from arabnews_nlp.cli import (  # noqa: F401  (import registers the commands)
    analyze_cmd,
    entities_cmd,
    info_cmd,
    ner_cmd,
    normalize_cmd,
    related_cmd,
    sections_cmd,
    statements_cmd,
)
from arabnews_nlp.cli.app import app, evaluate_app, train_app

__all__ = ["app", "evaluate_app", "main", "train_app"]


def main() -> None:
    """Console-script entry point."""
    app()
