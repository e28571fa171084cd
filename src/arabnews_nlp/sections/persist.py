"""Save and load section models as plain JSON + NPZ: loading a model file cannot run code.

A model directory holds three files:

* ``config.json`` — format name and version, classes, hyper-parameters, temperature, and the
  SHA-256 of the two other files;
* ``vocab.json`` — the terms (light stems), a JSON list in column order;
* ``weights.npz`` — ``coef`` (classes × terms), ``intercept`` (classes) and ``idf`` (terms),
  read with ``allow_pickle=False``.

:func:`read_model_dir` checks every file, shape, dtype and checksum and raises
:class:`ModelFormatError` with a message saying what is wrong.

Example:
    >>> import tempfile, numpy as np
    >>> d = tempfile.mkdtemp()
    >>> arrays = {"coef": np.zeros((2, 1)), "intercept": np.zeros(2), "idf": np.ones(1)}
    >>> write_model_dir(d, {"classes": ["a", "b"], "temperature": 1.0}, ["كلمة"], arrays)
    >>> config, vocab, loaded = read_model_dir(d)
    >>> config["classes"], vocab, loaded["coef"].shape
    (['a', 'b'], ['كلمة'], (2, 1))
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arabnews_nlp._npz import read_npz
from arabnews_nlp._version import __version__
from arabnews_nlp.files import atomic_file

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ModelFormatError",
    "read_model_dir",
    "sha256_file",
    "write_model_dir",
]

FORMAT = "arabnews-nlp/section-classifier"
FORMAT_VERSION = 1
CONFIG, VOCAB, WEIGHTS = "config.json", "vocab.json", "weights.npz"
_ARRAYS = ("coef", "intercept", "idf")


class ModelFormatError(ValueError):
    """A model directory is missing, corrupt, tampered with or from an unknown format."""


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in 1 MiB blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_model_dir(
    directory: str | os.PathLike[str],
    config: Mapping[str, Any],
    vocabulary: Sequence[str],
    arrays: Mapping[str, np.ndarray],
) -> None:
    """Write a model directory (created if needed; existing model files are replaced).

    Args:
        directory: Target folder.
        config: JSON-serializable settings; must include ``classes`` and ``temperature``.
        vocabulary: Terms in column order.
        arrays: ``coef``, ``intercept`` and ``idf``.
    """
    path = Path(directory)
    path.mkdir(parents=True, exist_ok=True)
    vocab_path, weights_path = path / VOCAB, path / WEIGHTS
    with atomic_file(vocab_path) as fh:
        json.dump(list(vocabulary), fh, ensure_ascii=False, separators=(",", ":"))
    # float32 halves the size; the scores do not need more precision.
    coef, intercept, idf = (np.asarray(arrays[name], dtype=np.float32) for name in _ARRAYS)
    with atomic_file(weights_path, binary=True) as fh:
        np.savez_compressed(fh, coef=coef, intercept=intercept, idf=idf)
    full = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "library_version": __version__,
        **config,
        "sha256": {VOCAB: sha256_file(vocab_path), WEIGHTS: sha256_file(weights_path)},
    }
    _check_config(full)  # never write a model we would refuse to load
    # The config (with the checksums) goes last: a model whose writing stopped half-way
    # does not load.
    with atomic_file(path / CONFIG) as fh:
        json.dump(full, fh, ensure_ascii=False, indent=2)
        fh.write("\n")


def _check_config(config: Any) -> None:
    if not isinstance(config, dict):
        raise ModelFormatError(f"{CONFIG} must hold a JSON object")
    if config.get("format") != FORMAT:
        raise ModelFormatError(f"not a section model: format is {config.get('format')!r}")
    version = config.get("format_version")
    if not isinstance(version, int) or not 1 <= version <= FORMAT_VERSION:
        raise ModelFormatError(
            f"unsupported format_version {version!r} (this library reads 1..{FORMAT_VERSION})"
        )
    classes = config.get("classes")
    if (
        not isinstance(classes, list)
        or len(classes) < 2
        or not all(isinstance(c, str) and c for c in classes)
        or len(set(classes)) != len(classes)
    ):
        raise ModelFormatError("classes must be a list of at least two distinct strings")
    temperature = config.get("temperature")
    if not isinstance(temperature, (int, float)) or not math.isfinite(temperature):
        raise ModelFormatError("temperature must be a finite number")
    if temperature <= 0:
        raise ModelFormatError("temperature must be positive")


def _read_json(path: Path) -> Any:
    if not path.is_file():
        raise ModelFormatError(f"missing {path.name} in {path.parent}")
    try:
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"{path.name} is not valid JSON: {exc}") from None


def _read_arrays(path: Path, n_classes: int, n_terms: int) -> dict[str, np.ndarray]:
    if not path.is_file():
        raise ModelFormatError(f"missing {path.name} in {path.parent}")
    expected = {
        "coef": ((n_classes, n_terms), "f"),
        "intercept": ((n_classes,), "f"),
        "idf": ((n_terms,), "f"),
    }
    try:
        # Headers checked against the manifest before anything is allocated; no pickles.
        arrays = read_npz(path, expected)
    except (ValueError, OSError) as exc:
        raise ModelFormatError(f"{path.name} is not a valid weights file: {exc}") from None
    for name in _ARRAYS:
        if not np.isfinite(arrays[name]).all():
            raise ModelFormatError(f"{name} holds NaN or infinite values")
    return arrays


def read_model_dir(
    directory: str | os.PathLike[str],
) -> tuple[dict[str, Any], list[str], dict[str, np.ndarray]]:
    """Read and validate a model directory written by :func:`write_model_dir`.

    Returns:
        ``(config, vocabulary, arrays)``.

    Raises:
        ModelFormatError: on a missing file, bad JSON, unknown format or version, checksum
            mismatch, non-float or non-finite arrays, or shapes that do not agree.
    """
    path = Path(directory)
    if not path.is_dir():
        raise ModelFormatError(f"model directory not found: {path}")
    config = _read_json(path / CONFIG)
    _check_config(config)
    sums = config.get("sha256")
    if not isinstance(sums, dict):
        raise ModelFormatError(f"{CONFIG} lacks the sha256 checksums of the model files")
    for name in (VOCAB, WEIGHTS):
        if (path / name).is_file() and sha256_file(path / name) != sums.get(name):
            raise ModelFormatError(f"{name} does not match its checksum: modified or corrupt")
    vocabulary = _read_json(path / VOCAB)
    if not isinstance(vocabulary, list) or not all(isinstance(t, str) for t in vocabulary):
        raise ModelFormatError(f"{VOCAB} must be a JSON list of strings")
    if len(set(vocabulary)) != len(vocabulary):
        raise ModelFormatError(f"{VOCAB} has duplicate terms")
    arrays = _read_arrays(path / WEIGHTS, len(config["classes"]), len(vocabulary))
    return config, vocabulary, arrays
