"""Shared fixtures: the bundled sample corpus and the optional ../shared data folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _shared_dir() -> Path | None:
    env = os.environ.get("ARABNEWS_SHARED")
    candidate = Path(env) if env else ROOT.parent / "shared"
    return candidate if (candidate / "data").is_dir() else None


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared folder (or $ARABNEWS_SHARED); tests that need it skip when it is absent."""
    path = _shared_dir()
    if path is None:
        pytest.skip("../shared data not available")
    return path


@pytest.fixture(scope="session")
def sample_path() -> Path:
    """The sample corpus shipped inside the package."""
    return ROOT / "src" / "arabnews_nlp" / "data" / "sample_articles.jsonl"
