"""`arabnews train ner` / `arabnews evaluate ner` commands."""

from __future__ import annotations

from arabnews_nlp.cli.app import app  # noqa: F401
