"""Stage 2 on Dask: the related-articles index, built and queried block by block on the workers.

The local engine (:func:`arabnews_nlp.pipeline.link_related`) fits one
:class:`~arabnews_nlp.related.RelatedIndex` on every analysed article and asks it for each
article's related articles and near-duplicates. Here the same index exists only as blocks:

1. the analysed articles are re-cut into the index's ``fit`` batches (2048 rows) and each
   batch is vectorized by its own task; document frequencies are summed along the blocks and
   every block is pruned and weighted with the corpus statistics
   (:mod:`~arabnews_nlp.dask_engine.blocks`) — identical rows to the local index;
2. consecutive blocks form groups of about ``rows_per_task`` rows; for every pair (query group,
   index group) a task runs the related module's exact block top-k
   (:func:`~arabnews_nlp.related.topk.topk_blocks`) and the partial answers of a query group
   are merged with :func:`~arabnews_nlp.related.topk.merge_topk`: the exact global top ``k`` plus
   near-duplicate candidates, never an n x n matrix;
3. per query group, the candidate rows are fetched from their groups and the related module's
   own search (:func:`arabnews_nlp.related.search.search`) ranks them, exactly as
   ``RelatedIndex.related_to`` does on one machine; links report the stage-1 entities both
   articles share, as the local engine's do.

Example:
    >>> import dask
    >>> import dask.bag as db
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.pipeline import AnalysisConfig, analyze_chunk, get_models
    >>> articles = [
    ...     Article(id="1", title="الهلال يفوز على النصر", body="فاز الهلال على النصر بهدفين."),
    ...     Article(id="2", title="الهلال يتصدر الدوري", body="تصدر الهلال الدوري بعد فوزه."),
    ...     Article(id="3", title="المركزي يرفع الفائدة", body="رفع البنك المركزي سعر الفائدة."),
    ... ]
    >>> analyses = db.from_sequence(analyze_chunk(articles, get_models(AnalysisConfig())))
    >>> with dask.config.set(scheduler="synchronous"):
    ...     records = link_related_dask(analyses, k=1).compute()
    >>> [(r.id, [x.id for x in r.related]) for r in records]
    [('1', ['2']), ('2', ['1']), ('3', [...])]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import accumulate
from typing import Any

import dask
import dask.bag as db
from dask.delayed import Delayed

from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis, RelatedLink
from arabnews_nlp.dask_engine.blocks import Shard, block_stats, raw_block
from arabnews_nlp.pipeline.linking import MAX_DUPLICATES
from arabnews_nlp.related import RelatedIndex, RelatedResult
from arabnews_nlp.related.search import QueryOptions, search
from arabnews_nlp.related.topk import TopK, merge_topk, topk_blocks

__all__ = ["DEFAULT_ROWS_PER_TASK", "link_related_dask"]

#: Rows per query or index group of a top-k task: the score buffer of a task is
#: ``chunk_size x rows`` floats (256 x 8192 = 8 MB) and a corpus of n rows makes
#: ``(n / rows) ** 2`` tasks (1M articles: 15k tasks).
DEFAULT_ROWS_PER_TASK = 8192


def _cut(part: list[ArticleAnalysis], bounds: list[tuple[int, int]]) -> tuple[list, ...]:
    """A partition cut at index-batch boundaries: one piece per batch it overlaps (so a
    batch task receives its rows, not the whole partitions they come from)."""
    return tuple(part[lo:hi] for lo, hi in bounds)


def _batches(lengths: list[int], size: int) -> list[list[tuple[int, int, int]]]:
    """For each batch of ``size`` global rows: the (partition, lo, hi) slices it is made of."""
    starts = [0, *accumulate(lengths)]
    total = starts[-1]
    out: list[list[tuple[int, int, int]]] = []
    for begin in range(0, total, size):
        end = min(begin + size, total)
        spans = []
        for p, length in enumerate(lengths):
            lo, hi = max(begin, starts[p]), min(end, starts[p] + length)
            if lo < hi:
                spans.append((p, lo - starts[p], hi - starts[p]))
        out.append(spans)
    return out


def _concat_lists(*lists: list[ArticleAnalysis]) -> list[ArticleAnalysis]:
    return [item for part in lists for item in part]


def _pair_topk(queries: Shard, index: Shard, k: int) -> TopK:
    """Top ``k`` of one query group against one index group, in global row numbers."""
    same = queries.start == index.start
    view = index.index.view_
    top = topk_blocks(
        queries.index.matrix_,
        view.matrix,
        k,
        chunk_size=view.chunk_size,
        exclude_self=same,  # an article is never its own related article
        index_t=view.inverted,
    )
    return top.offset(index.start)


def _merge(k: int, *parts: TopK) -> TopK:
    return merge_topk(list(parts), k)


def _links(
    mine: dict[str, str], results: Sequence[RelatedResult], pool: Shard
) -> list[RelatedLink]:
    """Index results as the local engine's links: rounded score, shared stage-1 entities."""
    out = []
    for r in results:
        row = pool.index.position(r.id)
        theirs = pool.entity_keys[row] if row is not None else {}
        shared = tuple(name for key, name in mine.items() if key in theirs)
        out.append(RelatedLink(r.id, round(float(r.score), 4), r.title, shared))
    return out


def _link(
    queries: Shard,
    analyses: list[ArticleAnalysis],
    top: TopK,
    k: int,
    *candidates: Shard,
) -> list[AnalysisRecord]:
    """Rank a query group's candidates with the related module's search, then link them.

    Queries are searched ``chunk_size`` at a time against only their own candidates, so the
    cost is that of a few top-k chunks, not of the group against all its candidates.
    """
    pool = Shard.concat([c for c in candidates if len(c)] or [candidates[0]])
    options = QueryOptions(max_duplicates=MAX_DUPLICATES, explain=False)
    records: list[AnalysisRecord] = []
    step = queries.index.chunk_size
    for lo in range(0, len(queries), step):
        hi = min(lo + step, len(queries))
        sub = pool.take(top.indices[lo:hi].ravel())
        docs = [queries.index.stored_article(i) for i in range(lo, hi)]
        own = [sub.index.position(doc.id) for doc in docs]
        found = search(sub.index.view_, queries.index.matrix_[lo:hi], docs, own, k, options)
        for i, f in zip(range(lo, hi), found, strict=True):
            mine = queries.entity_keys[i]
            related, duplicates = _links(mine, f.results, sub), _links(mine, f.duplicates, sub)
            records.append(AnalysisRecord(analyses[i], related=related, duplicates=duplicates))
    return records


def _take(index: Shard, top: TopK) -> Shard:
    return index.take(top.indices.ravel())


def _tree(k: int, parts: list[Delayed], split_every: int = 8) -> Delayed:
    while len(parts) > 1:
        parts = [
            dask.delayed(_merge)(k, *parts[i : i + split_every])
            for i in range(0, len(parts), split_every)
        ]
    return parts[0]


def link_related_dask(
    analyses: db.Bag,
    k: int = 5,
    *,
    index_params: Mapping[str, Any] | None = None,
    rows_per_task: int = DEFAULT_ROWS_PER_TASK,
    lengths: Sequence[int] | None = None,
) -> db.Bag:
    """Related articles and near-duplicates of every analysed article, computed on Dask.

    Gives the records :func:`arabnews_nlp.pipeline.link_related` gives for the same
    articles in the same order and the same settings with ``exact=True`` (which is also its
    default below the index's candidate-search threshold, 50,000 articles): the blocks run
    the exact search, not the candidate search.

    Args:
        analyses: A bag of :class:`~arabnews_nlp.pipeline.ArticleAnalysis` (ids unique),
            ideally held in memory: it is read twice.
        k: Related articles per article; 0 skips the index.
        index_params: :class:`~arabnews_nlp.related.RelatedIndex` keyword arguments.
        rows_per_task: Rows of a query or index group in one top-k task (rounded to whole
            index batches).
        lengths: Articles per partition of ``analyses``, if known (else computed now).

    Returns:
        A bag of :class:`~arabnews_nlp.pipeline.AnalysisRecord`, in input order.
    """
    if lengths is None:
        lengths = analyses.map_partitions(lambda part: [len(part)]).compute()
    lengths = list(lengths)
    n_total = sum(lengths)
    if k <= 0 or n_total < 2:
        return analyses.map(AnalysisRecord)
    template = RelatedIndex(**dict(index_params or {}))
    size = template.batch_size
    parts = analyses.to_delayed()
    spans = _batches(lengths, size)
    bounds: dict[int, list[tuple[int, int]]] = defaultdict(list)
    piece: dict[tuple[int, int], int] = {}
    for j, batch in enumerate(spans):
        for p, lo, hi in batch:
            piece[j, p] = len(bounds[p])
            bounds[p].append((lo, hi))
    cuts = {p: dask.delayed(_cut, nout=len(b))(parts[p], b) for p, b in bounds.items()}
    batches = [
        dask.delayed(_concat_lists)(*(cuts[p][piece[j, p]] for p, _, _ in batch))
        for j, batch in enumerate(spans)
    ]
    raws = [dask.delayed(raw_block)(batch, template) for batch in batches]
    through: list[Delayed] = []
    for raw in raws:
        through.append(dask.delayed(block_stats)(through[-1] if through else None, raw))
    shards = [
        dask.delayed(Shard.from_raw)(raw, j * size, d, through[-1], template, n_total)
        for j, (raw, d) in enumerate(zip(raws, through, strict=True))
    ]
    per_group = max(1, rows_per_task // size)
    groups = [
        dask.delayed(Shard.concat)(shards[i : i + per_group])
        for i in range(0, len(shards), per_group)
    ]
    group_rows = [
        dask.delayed(_concat_lists)(*batches[i : i + per_group])
        for i in range(0, len(batches), per_group)
    ]
    wanted = k + MAX_DUPLICATES
    records = []
    for g, queries in enumerate(groups):
        top = _tree(wanted, [dask.delayed(_pair_topk)(queries, index, wanted) for index in groups])
        candidates = [dask.delayed(_take)(index, top) for index in groups]
        records.append(dask.delayed(_link)(queries, group_rows[g], top, k, *candidates))
    return db.from_delayed(records)
