"""Word-cluster features for the section classifier, read from the NER model's cluster table.

Outlets write about the same topic with different words: one says ``المهاجم`` and another
``الهداف``, one ``الفيلم`` and another ``المسلسل``. Word clusters learned from unlabelled news
(k-means of skip-gram vectors, see :mod:`arabnews_nlp.entities.clusters`) put such words in
the same cluster (both pairs do in the NER table), so a bag of cluster ids ("``c1024:517``")
per article lets a model trained on some outlets recognise the topic words of another. The
table is the one the NER model ships (``models/ner/arabnews_crf_ner/clusters.tsv.gz``);
section models read it from there at run time and record the SHA-256 of its text, so it is never
duplicated and never silently swapped.

Example:
    >>> from arabnews_nlp.entities.clusters import ClusterTable
    >>> table = ClusterTable({"المباراة": (7, 2), "المباراه": (9, 3), "اللقاء": (7, 2)}, (8, 4))
    >>> lookup = ClusterLookup(table, levels=(8,))
    >>> lookup(["المباراه", "اللقاء", "كلمة_مجهولة"])
    ['c8:7', 'c8:7']
"""

from __future__ import annotations

import gzip
import hashlib
import os
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.entities.clusters import ClusterTable
from arabnews_nlp.normalize import Normalizer
from arabnews_nlp.sections.persist import ModelFormatError

__all__ = [
    "NER_TABLE",
    "ClusterLookup",
    "load_cluster_lookup",
    "lookup_from_config",
    "resolve_table",
    "table_digest",
    "table_reference",
]

#: The NER model's cluster table, relative to the package's ``models`` folder.
NER_TABLE = "ner/arabnews_crf_ner/clusters.tsv.gz"


def _models_root() -> Path:
    return Path(str(resources.files("arabnews_nlp") / "models"))


def resolve_table(table: str | os.PathLike[str]) -> Path:
    """The file of a cluster table: ``"ner"`` (the NER model's), a path inside the package's
    ``models`` folder, or any other path.

    Example:
        >>> resolve_table("ner").name
        'clusters.tsv.gz'
    """
    if str(table) == "ner":
        return _models_root() / NER_TABLE
    path = Path(table)
    return path if path.is_absolute() else _models_root() / path


def table_reference(table: str | os.PathLike[str]) -> str:
    """How a model config names a table: relative to the ``models`` folder when inside it,
    so the reference stays valid wherever the package is installed.

    Example:
        >>> table_reference("ner")
        'ner/arabnews_crf_ner/clusters.tsv.gz'
    """
    path = resolve_table(table).resolve()
    try:
        return path.relative_to(_models_root().resolve()).as_posix()
    except ValueError:
        return str(path)


class ClusterLookup:
    """Search-normalized words → cluster terms (``"c<size>:<id>"``) at chosen granularities.

    The table's words are ``ner``-normalized; they are re-keyed with the ``search`` profile the
    classifier reads text with. Where two table words fold to the same key the first one wins:
    tables list words most frequent first, so the key takes its commonest spelling's clusters.

    Args:
        table: A word-cluster table.
        levels: Cluster counts to use, each one of ``table.sizes`` (e.g. ``(1024, 256, 64)``).
    """

    def __init__(self, table: ClusterTable, levels: Sequence[int]) -> None:
        missing = [size for size in levels if size not in table.sizes]
        if missing or not levels:
            raise ValueError(f"levels {list(levels)} must be among the table's {table.sizes}")
        columns = [table.sizes.index(size) for size in levels]
        names = [[f"c{size}:{i}" for i in range(size)] for size in levels]
        words = list(table.clusters)
        # One normalize call over the joined words is 4x faster than one per word; the
        # search profile maps no letter to a line break, so the split realigns them.
        keys = Normalizer("search").normalize("\n".join(words)).split("\n")
        if len(keys) != len(words):  # pragma: no cover - defensive, see above
            keys = [Normalizer("search").normalize(w) for w in words]
        terms: dict[str, tuple[str, ...]] = {}
        for key, ids in zip(keys, table.clusters.values(), strict=True):
            if key not in terms:
                terms[key] = tuple(names[n][ids[c]] for n, c in enumerate(columns))
        self.levels = tuple(levels)
        self._terms = terms

    def __len__(self) -> int:
        return len(self._terms)

    def columns(self, index: Mapping[str, int]) -> tuple[dict[str, int], sp.csr_matrix]:
        """Prediction's shortcut to a fitted model's cluster columns (``index``).

        Returns ``(codes, spread)``: ``codes`` gives each word the number of its combination of
        cluster terms (from 1; 0 stands for unknown), and row ``c`` of ``spread`` (0/1) marks the
        columns of combination ``c``. Counting one code per word and multiplying by ``spread``
        gives exactly the counts of the cluster terms, with one lookup per word instead of one
        per level.

        Example:
            >>> table = ClusterTable({"هدف": (3, 1), "ملعب": (5, 1)}, (8, 2))
            >>> codes, spread = ClusterLookup(table, (8, 2)).columns({"c8:3": 0, "c2:1": 1})
            >>> codes, spread.toarray().tolist()
            ({'هدف': 1, 'ملعب': 2}, [[0.0, 0.0], [1.0, 1.0], [0.0, 1.0]])
        """
        combos: dict[tuple[int, ...], int] = {(): 0}
        codes: dict[str, int] = {}
        for word, terms in self._terms.items():
            cols = tuple(index[t] for t in terms if t in index)
            if cols:
                codes[word] = combos.setdefault(cols, len(combos))
        rows = [np.full(len(cols), code) for cols, code in combos.items()]
        spread = sp.csr_matrix(
            (
                np.ones(sum(len(cols) for cols in combos), dtype=np.float32),
                (np.concatenate(rows), np.concatenate([np.asarray(c, int) for c in combos])),
            ),
            shape=(len(combos), len(index)),
        )
        return codes, spread

    def __call__(self, words: Iterable[str]) -> list[str]:
        """The cluster terms of every known word, in order (unknown words add nothing)."""
        get = self._terms.get
        out: list[str] = []
        for word in words:
            found = get(word)
            if found is not None:
                out += found
        return out


def table_digest(path: str | os.PathLike[str]) -> str:
    """SHA-256 of a gzip table's *decompressed* text.

    The gzip header stores a timestamp, so saving the same table again changes the file's bytes;
    this digest changes only when the words or their clusters do.

    Example:
        >>> import tempfile
        >>> a, b = (Path(tempfile.mkdtemp()) / "t.tsv.gz" for _ in range(2))
        >>> ClusterTable({"هدف": (1,)}, (2,)).save(a)
        >>> ClusterTable({"هدف": (1,)}, (2,)).save(b)
        >>> table_digest(a) == table_digest(b)
        True
    """
    digest = hashlib.sha256()
    with gzip.open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@lru_cache(maxsize=4)
def _load(path: Path, levels: tuple[int, ...], stamp: tuple[int, int]) -> tuple[ClusterLookup, str]:
    # ``stamp`` (mtime, size) is only a cache key: a table rewritten in place is read again.
    return ClusterLookup(ClusterTable.load(path), levels), table_digest(path)


def load_cluster_lookup(
    table: str | os.PathLike[str], levels: Sequence[int], sha256: str | None = None
) -> tuple[ClusterLookup, str]:
    """Load (once per process) a table's lookup and its :func:`table_digest`.

    Args:
        table: ``"ner"``, a reference from :func:`table_reference` or a path.
        levels: Granularities to use.
        sha256: When given, the digest the table must have (the one a model was trained with).

    Raises:
        ModelFormatError: when the file is missing or its checksum differs from ``sha256``.
    """
    path = resolve_table(table)
    if not path.is_file():
        raise ModelFormatError(
            f"word-cluster table not found: {path} (the section model reads the NER model's "
            "table at run time; reinstall arabnews-nlp or pass the table the model was "
            "trained with)"
        )
    stat = path.stat()
    lookup, digest = _load(path, tuple(levels), (stat.st_mtime_ns, stat.st_size))
    if sha256 is not None and digest != sha256:
        raise ModelFormatError(
            f"word-cluster table {path} has SHA-256 {digest[:12]}…, but the model was trained "
            f"with {sha256[:12]}…: retrain the section model for this table"
        )
    return lookup, digest


def lookup_from_config(
    config: Mapping[str, Any], levels: Sequence[int]
) -> tuple[ClusterLookup, dict[str, str], int]:
    """The lookup a saved model's ``cluster_table`` entry names, checked against its SHA-256.

    Returns:
        ``(lookup, {"file", "sha256"}, number of cluster terms at the end of the vocabulary)``.

    Raises:
        ModelFormatError: when the entry is malformed or the table missing or different.
    """
    table = config.get("cluster_table")
    if not isinstance(table, Mapping) or not {"file", "sha256", "n_terms"} <= set(table):
        raise ModelFormatError("a model with word clusters needs a cluster_table entry")
    lookup, _ = load_cluster_lookup(table["file"], levels, sha256=table["sha256"])
    return lookup, {"file": table["file"], "sha256": table["sha256"]}, int(table["n_terms"])
