"""Word vectors for training: let the classifier weigh words it never saw with a label.

A new outlet uses words the labelled training set lacks (singers' names, drug names,
gadget brands). Word vectors trained on a large unlabelled corpus place such words near
labelled ones. The classifier appends ``E.T @ x`` (the TF-IDF-weighted sum of the document's
term vectors) to its features; since that is linear in ``x``, the learned weights fold back
into one weight per term after training (``W = W_terms + a * W_vec @ E.T``), so the saved
model is still a plain linear model over terms and needs no vectors to run.

Example:
    >>> import numpy as np
    >>> wv = WordVectors(["هدف", "مرمي"], np.array([[1.0, 0.0], [0.6, 0.8]]))
    >>> wv.matrix(["مرمي", "غريب"]).astype(float).round(2).tolist()
    [[0.6, 0.8], [0.0, 0.0]]
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

__all__ = ["WordVectors"]


class WordVectors:
    """Terms and their vectors (rows are scaled to unit length).

    The terms must be in the classifier's term space: search-normalized light stems as made
    by :class:`~arabnews_nlp.sections.features.TermAnalyzer`.

    Args:
        terms: One term per row of ``vectors``.
        vectors: A ``(len(terms), dim)`` array.
    """

    def __init__(self, terms: Sequence[str], vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(terms):
            raise ValueError(f"expected a ({len(terms)}, dim) array, got {vectors.shape}")
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        self.terms = list(terms)
        self.vectors = vectors / norms
        self.index = {t: i for i, t in enumerate(self.terms)}

    def __len__(self) -> int:
        return len(self.terms)

    @property
    def dim(self) -> int:
        """Vector length."""
        return int(self.vectors.shape[1])

    def matrix(self, vocabulary: Sequence[str]) -> np.ndarray:
        """One row per vocabulary term: its vector, or zeros when it has none."""
        out = np.zeros((len(vocabulary), self.dim), dtype=np.float32)
        for row, term in enumerate(vocabulary):
            i = self.index.get(term)
            if i is not None:
                out[row] = self.vectors[i]
        return out

    @classmethod
    def load_word2vec_text(
        cls, path: str | os.PathLike[str], limit: int | None = None
    ) -> WordVectors:
        """Read the word2vec text format (``count dim`` header, then ``term v1 … vd`` lines).

        Args:
            path: The file.
            limit: Read only the first ``limit`` terms (files are sorted by frequency).
        """
        terms: list[str] = []
        rows: list[np.ndarray] = []
        with Path(path).open(encoding="utf-8") as fh:
            header = fh.readline().split()
            if len(header) != 2 or not all(h.isdigit() for h in header):
                raise ValueError(f"{path}: not a word2vec text file (bad header)")
            dim = int(header[1])
            for number, line in enumerate(fh, start=2):
                if limit is not None and len(terms) >= limit:
                    break
                parts = line.rstrip("\n").split(" ")
                if len(parts) != dim + 1:
                    raise ValueError(f"{path}:{number}: expected {dim} values")
                terms.append(parts[0])
                rows.append(np.asarray(parts[1:], dtype=np.float32))
        return cls(terms, np.vstack(rows) if rows else np.zeros((0, dim), np.float32))
