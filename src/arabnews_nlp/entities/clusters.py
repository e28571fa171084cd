"""Word clusters learned from unlabelled Arabic news, and the table the NER model ships.

Names the tagger never saw in training still land in the same cluster as the names it did see
("بوتين" next to "ماكرون"), so cluster ids are the features that carry the model to unseen names.
The recipe: normalize and tokenize the unlabelled text exactly like the NER input, train skip-gram
word vectors on it (gensim), cluster them with k-means at a fine granularity and cluster those
centroids again at coarser ones. Only the ``word → cluster ids`` table ships (a gzip TSV), never
the vectors or the text.

Example:
    >>> table = ClusterTable({"بيروت": (17, 3, 1)}, sizes=(1024, 256, 64))
    >>> table.lookup("بيروت"), table.lookup("غير_موجود")
    ((17, 3, 1), None)
"""

from __future__ import annotations

import gzip
import json
import lzma
import re
import tarfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from arabnews_nlp.entities.data import text_sentences
from arabnews_nlp.files import atomic_file
from arabnews_nlp.normalize import normalize

if TYPE_CHECKING:  # pragma: no cover
    from gensim.models import KeyedVectors

__all__ = [
    "ClusterTable",
    "build_clusters",
    "iter_unlabeled_texts",
    "train_vectors",
    "write_corpus",
]

_ANT_FIELD = re.compile(r"<(TITLE|TEXT)>(.*?)</\1>", re.S)


class ClusterTable:
    """A ``word → (id, id, ...)`` map at several granularities (finest first).

    Args:
        clusters: word → tuple of cluster ids, one per granularity.
        sizes: the number of clusters at each granularity.
    """

    def __init__(self, clusters: dict[str, tuple[int, ...]], sizes: Sequence[int]) -> None:
        self.clusters = clusters
        self.sizes = tuple(sizes)

    def __len__(self) -> int:
        return len(self.clusters)

    def lookup(self, word: str) -> tuple[int, ...] | None:
        """The cluster ids of a normalized word, or ``None`` when it is not in the table."""
        return self.clusters.get(word)

    def save(self, path: str | Path) -> None:
        """Write a gzip TSV: a JSON header line with the sizes, then ``word<TAB>id<TAB>id...``."""
        with gzip.open(path, "wt", encoding="utf-8", compresslevel=9) as out:
            out.write(json.dumps({"sizes": list(self.sizes)}) + "\n")
            for word, ids in self.clusters.items():
                out.write(word + "\t" + "\t".join(map(str, ids)) + "\n")

    @classmethod
    def load(cls, path: str | Path) -> ClusterTable:
        """Read a table written by :meth:`save`."""
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            header = json.loads(handle.readline())
            clusters: dict[str, tuple[int, ...]] = {}
            for line in handle:
                word, *ids = line.rstrip("\n").split("\t")
                clusters[word] = tuple(int(i) for i in ids)
        return cls(clusters, header["sizes"])


# ------------------------------------------------------------------ unlabelled corpus
def iter_unlabeled_texts(shared_dir: str | Path) -> Iterator[str]:
    """Title + body of every unlabelled article under ``shared_dir/data``.

    Reads ``unlabeled/egy-news-2013/*.jsonl.xz`` (JSON lines) and the ANT news archive
    ``news/ant-v2.1-four-outlets.tar.xz`` (pseudo-XML files) directly, without unpacking.
    """
    data = Path(shared_dir) / "data"
    for path in sorted((data / "unlabeled").glob("*/*.jsonl.xz")):
        with lzma.open(path, "rt", encoding="utf-8") as lines:
            for line in lines:
                record = json.loads(line)
                yield f"{record.get('title') or ''}\n{record.get('text') or ''}"
    for path in sorted((data / "news").glob("*.tar.xz")):
        with tarfile.open(path, "r:xz") as archive:
            for member in archive:
                member_file = archive.extractfile(member) if member.isfile() else None
                if member_file is None:
                    continue
                raw = member_file.read().decode("utf-8", errors="replace")
                yield "\n".join(body for _, body in _ANT_FIELD.findall(raw))


def corpus_sentences(text: str) -> Iterator[list[str]]:
    """Normalized (``ner`` profile) token lists of ``text``, one per sentence or line."""
    return text_sentences(normalize(text, profile="ner"))


def write_corpus(texts: Iterable[str], out_path: str | Path) -> tuple[int, int]:
    """Write one normalized sentence per line; returns ``(sentences, tokens)``."""
    n_sentences = n_tokens = 0
    with atomic_file(Path(out_path)) as out:
        for text in texts:
            for sentence in corpus_sentences(text):
                if len(sentence) < 3:  # headlines' debris and bylines carry no context
                    continue
                out.write(" ".join(sentence) + "\n")
                n_sentences += 1
                n_tokens += len(sentence)
    return n_sentences, n_tokens


# ------------------------------------------------------------------ vectors and clusters
def train_vectors(
    corpus_path: str | Path,
    *,
    dim: int = 100,
    epochs: int = 3,
    min_count: int = 3,
    window: int = 5,
    workers: int = 2,
    subwords: bool = False,
    seed: int = 0,
) -> KeyedVectors:
    """Skip-gram vectors (gensim Word2Vec; FastText if ``subwords``) of a one-sentence-a-line file.

    gensim is a training-time dependency only (``pip install arabnews-nlp[train]``).
    """
    from gensim.models import FastText, Word2Vec

    cls: Any = FastText if subwords else Word2Vec
    model = cls(
        corpus_file=str(corpus_path),
        vector_size=dim,
        sg=1,
        window=window,
        min_count=min_count,
        epochs=epochs,
        workers=workers,
        seed=seed,
    )
    return model.wv


def build_clusters(
    vectors: KeyedVectors,
    sizes: Sequence[int] = (1024, 256, 64),
    *,
    min_count: int = 5,
    seed: int = 0,
    max_iter: int = 40,
) -> ClusterTable:
    """Hierarchical k-means clusters of the word vectors (finest size first).

    The finest level clusters the unit-length word vectors (cosine geometry); every coarser
    level clusters the previous level's centroids, weighted by how many words they hold, so
    the levels nest and a word's coarse id is a function of its fine id. Words seen fewer than
    ``min_count`` times are clustered but left out of the table to keep it small.
    """
    from sklearn.cluster import KMeans

    words = list(vectors.index_to_key)
    matrix = vectors.get_normed_vectors().astype(np.float32)
    # Random seeding, not k-means++: with a thousand centres k-means++ costs more than the
    # Lloyd iterations themselves (and sklearn runs it in float64 for float32 input).
    fine = KMeans(
        n_clusters=sizes[0], init="random", n_init=1, max_iter=max_iter, random_state=seed
    )
    labels = [fine.fit_predict(matrix)]
    centroids = fine.cluster_centers_
    for size in sizes[1:]:
        weights = np.bincount(labels[-1], minlength=len(centroids)).astype(np.float64)
        coarse = KMeans(n_clusters=size, n_init=4, max_iter=300, random_state=seed)
        parent = coarse.fit_predict(centroids, sample_weight=weights + 1e-3)
        labels.append(parent[labels[-1]])
        centroids = coarse.cluster_centers_
    ids = np.stack(labels, axis=1)
    counts = [vectors.get_vecattr(w, "count") for w in words]
    table = {
        w: tuple(int(i) for i in row)
        for w, row, c in zip(words, ids, counts, strict=True)
        if c >= min_count
    }
    return ClusterTable(table, sizes)
