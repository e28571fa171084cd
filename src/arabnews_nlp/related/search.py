"""The query side of :class:`~arabnews_nlp.related.RelatedIndex`: filters, top-k, results.

Kept apart from the index so the index module stays about building and weighting; everything
here reads a frozen :class:`~arabnews_nlp.related.state.IndexView` (weighted rows, postings,
per-article lists), never the index itself.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import scipy.sparse as sp

from arabnews_nlp.article import Article
from arabnews_nlp.related.explain import TermExplainer, shared_entities
from arabnews_nlp.related.filters import CandidateFilter, published_days
from arabnews_nlp.related.results import RelatedResult, RelatedResults
from arabnews_nlp.related.state import IndexView
from arabnews_nlp.related.topk import MaskFn, TopK, select_topk, topk_blocks
from arabnews_nlp.related.vectorize import ArticleVectorizer, weighted_fields
from arabnews_nlp.related.window import windowed_topk

__all__ = ["QueryOptions", "all_pairs", "related_in_window", "search"]


@dataclass(frozen=True)
class QueryOptions:
    """The options of :meth:`RelatedIndex.query` (see there)."""

    within_days: float | None = None
    sections: Collection[str] | None = None
    same_section: bool = False
    min_score: float = 0.0
    exclude_ids: Collection[str] = ()
    explain: bool = True
    max_duplicates: int = 10
    exact: bool = False

    def as_kwargs(self) -> dict[str, Any]:
        """The options as keyword arguments."""
        return asdict(self)


def search(
    index: IndexView,
    vectors: sp.csr_matrix,
    docs: Sequence[Article | str],
    own_rows: Sequence[int | None],
    k: int,
    options: QueryOptions,
    explain_vectors: sp.csr_matrix | None = None,
) -> list[RelatedResults]:
    """Top-``k`` results (and near-duplicates) of weighted query rows against an index view.

    ``explain_vectors`` are the queries' rows before ``max_terms`` pruning: a word the
    pruning dropped from the query still counts as shared in the explanation.
    """
    explain_rows = vectors if explain_vectors is None else explain_vectors
    excluded = {p for p in (index.position(i) for i in options.exclude_ids) if p is not None}
    exclude_rows = [excluded | ({own} if own is not None else set()) for own in own_rows]
    flt = CandidateFilter(options.within_days, options.sections, options.same_section, exclude_rows)
    min_score = options.min_score if options.min_score > 0 else None
    clusters = None if options.exact or _filtered(options) else index.clusters
    if clusters is not None:
        # Sub-quadratic candidates, scored exactly (filters need the exact search).
        own = np.array([-1 if row is None else row for row in own_rows], dtype=np.int64)
        top = clusters.topk(
            vectors,
            k + options.max_duplicates,
            own_rows=own,
            min_score=min_score,
            chunk_size=index.chunk_size,
        )
    elif options.within_days is not None:
        top = _dated_topk(index, vectors, docs, k + options.max_duplicates, flt, min_score)
    else:
        top = topk_blocks(
            vectors,
            index.matrix,
            k + options.max_duplicates,
            chunk_size=index.chunk_size,
            min_score=min_score,
            mask=_mask(index, flt, docs),
            index_t=index.inverted,
        )
    return [
        _results(index, doc, explain_rows[i], top.indices[i], top.scores[i], k, options)
        for i, doc in enumerate(docs)
    ]


def _dated_topk(
    index: IndexView,
    vectors: sp.csr_matrix,
    docs: Sequence[Article | str],
    k: int,
    flt: CandidateFilter,
    min_score: float | None,
) -> TopK:
    """The exact search with a date window, walking only the window: each query scored
    against the rows dated within ``flt.within_days`` of it, read from the postings numbered
    in date order (:attr:`IndexView.dated_postings`); the other filters as masks. The scores
    are summed in the exact search's order (the query's columns in turn) and ties go to the
    lower row, so the answers are the exact search's, bit for bit. A query without a date
    gets nothing, as with the filter."""
    within = float(flt.within_days if flt.within_days is not None else np.inf)
    indices = np.full((len(docs), k), -1, dtype=np.int64)
    scores = np.full((len(docs), k), -np.inf, dtype=np.float32)
    days = published_days([d.published if isinstance(d, Article) else None for d in docs])
    by_date, postings = index.by_date, index.dated_postings
    sorted_days = index.days[by_date]
    vectors = sp.csr_matrix(vectors, dtype=np.float32)
    for i, day in enumerate(days.tolist()):
        # A slightly wider range of places; the window itself is tested as the filter does.
        lo = int(np.searchsorted(sorted_days, day - within * (1 + 1e-9) - 1e-9, "left"))
        hi = int(np.searchsorted(sorted_days, day + within * (1 + 1e-9) + 1e-9, "right"))
        if not np.isfinite(day) or hi <= lo:
            continue
        query = vectors[i]
        window = _window_postings(postings, query.indices, lo, hi)
        weights = sp.csr_matrix(
            (query.data, np.arange(query.nnz), [0, query.nnz]), shape=(1, query.nnz)
        )
        found = (weights @ window).toarray()
        # Rows in index order, so ties break as in the exact search.
        order = np.argsort(by_date[lo:hi], kind="stable")
        rows = by_date[lo:hi][order]
        found = np.ascontiguousarray(found[:, order])
        _local_mask(index, flt, docs[i], flt.exclude_rows[i] if flt.exclude_rows else (), rows)(
            slice(0, 1), slice(0, len(rows)), found
        )
        best_at, best = select_topk(found, k)
        weak = best < min_score if min_score is not None and min_score > 0 else best <= 0
        best_at[weak], best[weak] = -1, -np.inf
        indices[i] = np.where(best_at[0] >= 0, rows[np.maximum(best_at[0], 0)], -1)
        scores[i] = best[0]
    return TopK(indices, scores)


def _local_mask(
    index: IndexView,
    flt: CandidateFilter,
    doc: Article | str,
    excluded: Collection[int],
    rows: np.ndarray,
) -> MaskFn:
    """``flt``'s mask for one query against some index ``rows`` (ascending) only."""
    places = [(int(np.searchsorted(rows, r)), r) for r in excluded]
    inside = [p for p, r in places if p < len(rows) and rows[p] == r]
    wanted: list[str | None] = [None] * len(rows)
    if flt.sections is not None or flt.same_section:
        wanted = [index.state.sections[r] for r in rows]
    local = CandidateFilter(flt.within_days, flt.sections, flt.same_section, [inside])
    query = doc if isinstance(doc, Article) else None
    day = published_days([query.published if query is not None else None])
    return local.mask(index.days[rows], wanted, day, [query.section if query else None])


def _window_postings(
    postings: sp.csr_matrix, columns: np.ndarray, lo: int, hi: int
) -> sp.csr_matrix:
    """The postings of ``columns`` (one row each) cut to the places ``lo:hi``, renumbered
    from ``lo``."""
    places, starts, ends = postings.indices, postings.indptr[columns], postings.indptr[columns + 1]
    cuts = [
        (a + np.searchsorted(places[a:b], lo), a + np.searchsorted(places[a:b], hi))
        for a, b in zip(starts.tolist(), ends.tolist(), strict=True)
    ]
    take = np.concatenate([np.arange(a, b) for a, b in cuts]) if cuts else np.zeros(0, np.int64)
    indptr = np.concatenate([[0], np.cumsum([b - a for a, b in cuts], dtype=np.int64)])
    return sp.csr_matrix(
        (postings.data[take], places[take] - lo, indptr), shape=(len(columns), hi - lo)
    )


def _filtered(options: QueryOptions) -> bool:
    """Whether the options restrict the candidates beyond the query itself."""
    return bool(
        options.within_days is not None
        or options.sections is not None
        or options.same_section
        or options.exclude_ids
    )


def _mask(index: IndexView, flt: CandidateFilter, docs: Sequence[Article | str]) -> MaskFn | None:
    if not flt.active:
        return None
    query_days = published_days([d.published if isinstance(d, Article) else None for d in docs])
    query_sections = [d.section if isinstance(d, Article) else None for d in docs]
    return flt.mask(index.days, index.state.sections, query_days, query_sections)


def _results(
    index: IndexView,
    doc: Article | str,
    vector: sp.csr_matrix | None,
    rows: np.ndarray,
    scores: np.ndarray,
    k: int,
    options: QueryOptions,
) -> RelatedResults:
    """Split ranked candidates into results and near-duplicates, with explanations."""
    state = index.state
    results: list[RelatedResult] = []
    duplicates: list[RelatedResult] = []
    explainer = None
    query_entities: list[str] = []
    if options.explain and vector is not None:
        explainer = TermExplainer(_query_text(doc, index.vectorizer), vector, index.vectorizer)
        query_entities = index.entities_of(doc)
    for row, score in zip(rows.tolist(), scores.tolist(), strict=True):
        if row < 0:
            break
        is_duplicate = score >= index.duplicate_threshold
        target = duplicates if is_duplicate else results
        if len(target) >= (options.max_duplicates if is_duplicate else k):
            continue
        terms: list[str] = []
        ents: list[str] = []
        if explainer is not None:
            terms = explainer.terms(
                index.matrix[row], state.counts[row], candidate_title=state.titles[row]
            )
            ents = shared_entities(query_entities, state.entities[row])
        target.append(
            RelatedResult(
                id=state.ids[row],
                score=float(score),
                title=state.titles[row],
                shared_terms=terms,
                shared_entities=ents,
                section=state.sections[row],
                published=state.published[row],
                rank=len(target) + 1,
            )
        )
    query_id = doc.id if isinstance(doc, Article) else None
    return RelatedResults(query_id, results, duplicates)


def related_in_window(
    index: IndexView, k: int, within_days: float, max_duplicates: int
) -> Iterator[RelatedResults]:
    """:func:`search` of every indexed row by itself with a date window and no other option
    (no explanations), in row order: one date-bounded all-pairs search
    (:func:`~arabnews_nlp.related.window.windowed_topk`, each date block's postings built
    once) instead of a window walked per query — the same answers."""
    top = all_pairs(
        index,
        k + max_duplicates,
        exclude_duplicates=False,
        min_score=None,
        within_days=within_days,
        same_section=False,
        rows=slice(0, len(index)),
    )
    options = QueryOptions(within_days=within_days, explain=False, max_duplicates=max_duplicates)
    for row in range(len(index)):
        doc = index.state.article(row)
        yield _results(index, doc, None, top.indices[row], top.scores[row], k, options)


def _query_text(doc: Article | str, vectorizer: ArticleVectorizer) -> str:
    """The text whose words can explain a match: every field that carries weight."""
    fields = weighted_fields(doc, vectorizer.head_chars, vectorizer.max_chars)
    weights = vectorizer.weights()
    return "\n".join(text for name, text in fields.items() if text and weights[name] > 0)


def all_pairs(
    index: IndexView,
    k: int,
    *,
    exclude_duplicates: bool,
    min_score: float | None,
    within_days: float | None,
    same_section: bool,
    rows: slice,
    exact: bool = False,
) -> TopK:
    """Top-``k`` of the index rows in ``rows`` against the whole index (see ``all_pairs_topk``).

    With ``within_days`` (and no section filter) each row is scored only against the rows
    dated within the window (:func:`~arabnews_nlp.related.window.windowed_topk`): the same
    answers, in time that grows with the window instead of the corpus. Without filters and
    unless ``exact``, the index's candidate search (:attr:`IndexView.clusters`) is used where
    it is not exhaustive.
    """
    threshold = index.duplicate_threshold if exclude_duplicates else None
    clusters = None if exact or within_days is not None or same_section else index.clusters
    if clusters is not None:
        start, stop, _ = rows.indices(len(index))
        return clusters.topk(
            sp.csr_matrix(index.matrix[start:stop]),
            k,
            own_rows=np.arange(start, stop),
            min_score=min_score,
            exclude_above=threshold,
            chunk_size=index.chunk_size,
        )
    if within_days is not None and not same_section:
        return windowed_topk(
            index.matrix,
            index.days,
            k,
            within_days,
            rows=rows,
            chunk_size=index.chunk_size,
            min_score=min_score,
            exclude_above=threshold,
        )
    start = rows.start or 0
    block = sp.csr_matrix(index.matrix[rows])
    flt = CandidateFilter(within_days, None, same_section)
    base: MaskFn | None = None
    if flt.active:
        days, sections = index.days, index.state.sections
        base = flt.mask(days, sections, days[rows], sections[rows])

    def mask(query_rows: slice, cols: slice, scores: np.ndarray) -> None:
        if threshold is not None:
            scores[scores >= threshold] = -np.inf
        if base is not None:
            base(query_rows, cols, scores)

    return topk_blocks(
        block,
        index.matrix,
        k,
        chunk_size=index.chunk_size,
        exclude_self=True,
        self_offset=start,
        min_score=min_score,
        mask=mask,
        index_t=index.inverted,
    )
