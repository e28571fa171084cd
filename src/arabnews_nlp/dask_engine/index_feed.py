"""Stage 2 on Dask: the local engine's related index, fitted while stage 1 runs, and its search.

The local engine fits its index in the parent process from rows the stage-1 workers
vectorized, while stage 1 is still running (:class:`~arabnews_nlp.pipeline.linking.IndexBuilder`),
then answers every article with the index's own search — the candidate search, or the exact
one with ``exact``. The Dask engine does the same, with the client in the parent's place:

1. as each stage-1 partition completes, a task on the worker that holds it makes its
   :class:`~arabnews_nlp.pipeline.index_part.IndexPart` — the rows
   (:meth:`RelatedIndex.vectorize`), what the index keeps of each article (id, title,
   section, date: no text), the entity keys — and the client feeds the builder with the
   parts **in partition order** (a part that completes early waits for its predecessors),
   so the index is the one ``fit`` gives, whatever the completion order;
2. the client searches the finished index (:func:`~arabnews_nlp.pipeline.linking.search_index`,
   threads sharing the one index) and sends each partition its answers: target id, score,
   title and the target's entity keys;
3. a task per partition, on the worker holding its analyses, makes the records: the links
   name the entities the two articles share, as :class:`~arabnews_nlp.pipeline.LinkBuilder`
   does locally.

So the index and its candidate search exist once, on the client (as in the local parent), and
the workers hold only their own partitions: no worker needs a copy of the index. The price is
that the search runs on the client's cores, not the cluster's (see ``docs/dask.md``);
:func:`~arabnews_nlp.dask_engine.link_related_dask` is the all-worker alternative (exact
search, index in blocks).

What one partition ships to the client is the local engine's
:class:`~arabnews_nlp.pipeline.index_part.IndexPart`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis, RelatedLink
from arabnews_nlp.pipeline.index_part import IndexPart
from arabnews_nlp.pipeline.linking import EntityKeys, IndexBuilder, search_index
from arabnews_nlp.related import RelatedIndex, RelatedResult

__all__ = ["Answer", "Target", "in_order", "link_partition"]


def in_order(done: Iterable[tuple[int, Any]]) -> Iterator[Any]:
    """Items given as ``(position, item)`` in any order, yielded in position order as soon as
    their predecessors are in (positions ``0 .. n-1``, each once).

    Example:
        >>> list(in_order([(2, "c"), (0, "a"), (1, "b")]))
        ['a', 'b', 'c']
    """
    waiting: dict[int, Any] = {}
    expected = 0
    for position, item in done:
        waiting[position] = item
        while expected in waiting:
            yield waiting.pop(expected)
            expected += 1
    if waiting:
        raise ValueError(f"positions missing before {min(waiting)}")


class IndexFeed:
    """The client's side: feeds the builder and the entity keys with parts, in order.

    Args:
        k: Related articles per article (0: only the tally is kept).
        params: :class:`RelatedIndex` keyword arguments.
    """

    def __init__(self, k: int, params: Any = None) -> None:
        self.k = k
        self.builder = IndexBuilder(params) if k > 0 else None
        self.keys = EntityKeys()
        self.lengths: list[int] = []
        self.errors: list[Any] = []

    @property
    def template(self) -> RelatedIndex | None:
        """The unfitted index the workers vectorize with (None: no index)."""
        return self.builder.template if self.builder is not None else None

    def add(self, part: IndexPart) -> None:
        """The next partition's part."""
        self.lengths.append(part.analysed)
        self.errors.extend(part.errors)
        if self.builder is not None and part.articles:
            self.builder.add_indexed(part.articles, part.counts)
            self.keys.add_keys(part.keys)

    def answers(
        self, n_jobs: int = 1, exact: bool = False, within_days: float | None = None
    ) -> Iterator[list[Answer]]:
        """Per partition (in order), the answers of its articles; nothing when no index is
        searched (``k`` is 0 or fewer than two articles)."""
        if self.builder is None or sum(self.lengths) < 2:
            return
        index = self.builder.finish()
        self.builder = None  # the index holds the rows now
        batches = search_index(index, self.k, n_jobs, exact, within_days)
        found = (hits for batch in batches for hits in batch)
        rows = {article_id: row for row, article_id in enumerate(index.ids_)}
        for length in self.lengths:
            part = []
            for _ in range(length):
                hits = next(found)
                part.append(
                    Answer(
                        str(hits.query_id),  # queried by id: never None
                        [self._target(r, rows) for r in hits.results],
                        [self._target(r, rows) for r in hits.duplicates],
                    )
                )
            yield part

    def _target(self, result: RelatedResult, rows: dict[str, int]) -> Target:
        return Target(
            result.id,
            round(float(result.score), 4),
            result.title,
            self.keys.keys_of(rows[result.id]),
        )


@dataclass(frozen=True)
class Target:
    """An answer's article: id, rounded score, title and its entity keys."""

    id: str
    score: float
    title: str
    keys: frozenset[str]


@dataclass(frozen=True)
class Answer:
    """One article's related articles and near-duplicates, as the client found them."""

    id: str
    related: list[Target]
    duplicates: list[Target]


def _links(mine: dict[str, str], targets: Sequence[Target]) -> list[RelatedLink]:
    # As LinkBuilder.links: the query's entities, in its order, that the target also has.
    return [
        RelatedLink(t.id, t.score, t.title, tuple(n for key, n in mine.items() if key in t.keys))
        for t in targets
    ]


def link_partition(items: Sequence[Any], answers: Sequence[Answer] | None) -> list[AnalysisRecord]:
    """The records of one stage-1 partition from its answers (None: no related articles)."""
    analyses = [x for x in items if isinstance(x, ArticleAnalysis)]
    if answers is None:
        return [AnalysisRecord(a) for a in analyses]
    if [a.id for a in analyses] != [a.id for a in answers]:
        raise ValueError("the answers are not this partition's articles, in its order")
    records = []
    for analysis, answer in zip(analyses, answers, strict=True):
        mine = {s.key: s.canonical for s in analysis.summaries()}
        records.append(
            AnalysisRecord(
                analysis,
                related=_links(mine, answer.related),
                duplicates=_links(mine, answer.duplicates),
            )
        )
    return records
