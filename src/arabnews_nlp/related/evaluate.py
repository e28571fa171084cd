"""Evaluate related-article ranking on same-story pairs (CSV with ``s1,s2[,stance]``).

Protocol (as for the ANS files): every distinct ``s2`` goes into one pool, which is indexed;
each distinct ``s1`` is a query against it, with pool entries that are exactly the query's own
text excluded. Rows whose stance is ``other``/``unrelated`` are not same-story pairs (their
``s2`` stays in the pool as a distractor).

What counts as a hit: same-story is an equivalence relation, so by default (``gold="story"``)
a query's relevant items are all pool entries connected to it through same-story pairs (the
stories are the connected components of the pair graph). ``gold="pair"`` counts only the
``s2`` of the query's own rows.

Example:
    >>> import io
    >>> csv_text = '''s1,s2,stance
    ... الذهب يرتفع مع تراجع الدولار,صعود أسعار الذهب وهبوط الدولار,agree
    ... إغلاق مطار بيروت بسبب العاصفة,العاصفة تغلق مطار بيروت,agree
    ... قمة خليجية في الرياض,الرياض تستضيف قمة دول الخليج,agree
    ... '''
    >>> from arabnews_nlp.related import ArticleVectorizer
    >>> vec = ArticleVectorizer(n_features=2**16)
    >>> scores = evaluate_pairs(io.StringIO(csv_text), vectorizer=vec)
    >>> scores["recall@1"], scores["n_queries"]
    (1.0, 3)
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from arabnews_nlp.article import Article

__all__ = [
    "NOT_SAME_STORY",
    "PairSet",
    "evaluate_pairs",
    "load_pairs",
    "ranking_metrics",
    "topk_recall",
]

#: Stance labels that mark a pair as *not* about the same story.
NOT_SAME_STORY = frozenset({"other", "unrelated", "discuss-other"})


@dataclass(frozen=True)
class PairSet:
    """Queries, the candidate pool and, per query, the pool positions that are relevant."""

    queries: list[str]
    pool: list[str]
    relevant: list[set[int]]


def load_pairs(source: str | Path | TextIO, gold: str = "story") -> PairSet:
    """Read a pairs CSV (columns ``s1``, ``s2``, optional ``stance``) into a :class:`PairSet`."""
    if gold not in ("story", "pair"):
        raise ValueError(f"gold must be 'story' or 'pair', got {gold!r}")
    rows = _read_rows(source)
    pool = list(dict.fromkeys(s2 for _, s2, _ in rows))
    pool_pos = {text: i for i, text in enumerate(pool)}
    positives = [(s1, s2) for s1, s2, stance in rows if stance not in NOT_SAME_STORY]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    direct: dict[str, set[int]] = {}
    for s1, s2 in positives:
        direct.setdefault(s1, set()).add(pool_pos[s2])
        parent[find(s1)] = find(s2)
    members: dict[str, set[int]] = {}
    for text, pos in pool_pos.items():
        members.setdefault(find(text), set()).add(pos)
    queries: list[str] = []
    relevant: list[set[int]] = []
    for s1 in direct:
        hits = direct[s1] if gold == "pair" else members[find(s1)]
        hits = {p for p in hits if pool[p] != s1}  # the query's own text is excluded
        if hits:
            queries.append(s1)
            relevant.append(hits)
    return PairSet(queries, pool, relevant)


def _read_rows(source: str | Path | TextIO) -> list[tuple[str, str, str]]:
    if isinstance(source, (str, Path)):
        with open(source, encoding="utf-8-sig", newline="") as fh:
            return _read_rows(fh)
    reader = csv.DictReader(source)
    fields = set(reader.fieldnames or ())
    if not {"s1", "s2"} <= fields:
        raise ValueError(f"pairs CSV needs columns s1,s2; got {sorted(fields)}")
    out = []
    for row in reader:
        s1, s2 = (row.get("s1") or "").strip(), (row.get("s2") or "").strip()
        if s1 and s2:
            out.append((s1, s2, (row.get("stance") or "").strip().lower()))
    return out


def ranking_metrics(ranks: Iterable[float], ks: tuple[int, ...] = (1, 5)) -> dict[str, float]:
    """recall@k and MRR from 1-based ranks of the first relevant item (inf = not found).

    >>> ranking_metrics([1, 2, float("inf")])
    {'recall@1': 0.333333, 'recall@5': 0.666667, 'mrr': 0.5}
    """
    r = np.asarray(list(ranks), dtype=float)
    if r.size == 0:
        return {**{f"recall@{k}": 0.0 for k in ks}, "mrr": 0.0}
    out = {f"recall@{k}": round(float(np.mean(r <= k)), 6) for k in ks}
    out["mrr"] = round(float(np.mean(1.0 / r)), 6)
    return out


def topk_recall(found: np.ndarray, exact: np.ndarray) -> float:
    """Share of the exact answers' neighbours (row by row, ``-1`` = none) that ``found`` holds:
    how much an approximate top-k search loses against the exact one.

    >>> topk_recall(np.array([[1, 2], [0, -1]]), np.array([[1, 3], [0, -1]]))
    0.6666666666666666
    """
    hits = total = 0
    for got, want in zip(found, exact, strict=True):
        want = want[want >= 0]
        hits += int(np.isin(want, got).sum())
        total += len(want)
    return hits / max(total, 1)


def evaluate_pairs(
    source: str | Path | TextIO | PairSet,
    *,
    gold: str = "story",
    max_rank: int = 1000,
    **index_params: Any,
) -> dict[str, Any]:
    """Rank the pool for every query and score the first relevant hit.

    Args:
        source: A pairs CSV path or stream, or a loaded :class:`PairSet`.
        gold: ``"story"`` (all same-story pool items are relevant) or ``"pair"``.
        max_rank: Ranks beyond this count as not found (MRR contribution ~0).
        **index_params: :class:`~arabnews_nlp.related.RelatedIndex` parameters.

    Returns:
        ``{"recall@1", "recall@5", "mrr", "n_queries", "pool_size", "gold"}``.
    """
    from arabnews_nlp.related.index import RelatedIndex

    pairs = source if isinstance(source, PairSet) else load_pairs(source, gold=gold)
    # Near-duplicates count as ranked candidates here: nothing is set apart.
    params = {"duplicate_threshold": 2.0, **index_params}
    index = RelatedIndex(**params).fit(
        Article(id=f"p{i}", title=text) for i, text in enumerate(pairs.pool)
    )
    own = {text: {i for i, t in enumerate(pairs.pool) if t == text} for text in pairs.queries}
    k = min(max_rank, len(pairs.pool))
    ranks: list[float] = []
    batch = 256
    for start in range(0, len(pairs.queries), batch):
        queries = pairs.queries[start : start + batch]
        found = index.query_many(queries, k + 1, explain=False, max_duplicates=0)
        for query, relevant, res in zip(queries, pairs.relevant[start:], found, strict=False):
            # The pool copy of the query's own text is not a candidate.
            positions = [p for p in (int(pid[1:]) for pid in res.ids) if p not in own[query]]
            rank = next((r for r, p in enumerate(positions, 1) if p in relevant), float("inf"))
            ranks.append(rank)
    out: dict[str, Any] = ranking_metrics(ranks)
    out.update({"n_queries": len(pairs.queries), "pool_size": len(pairs.pool), "gold": gold})
    return out
