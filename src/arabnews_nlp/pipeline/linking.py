"""Stage 2: related articles and near-duplicates over every analysed article.

One :class:`~arabnews_nlp.related.RelatedIndex` is fitted on all articles, with each article's
entities (canonical names from stage 1) in ``meta["entities"]`` so the index can weigh them;
then every article is queried against the whole index by id (exact chunked top-k, self
excluded, near-duplicates listed apart). With ``n_jobs > 1`` the query batches run in threads
that share the one index; the answers do not depend on the split. Stage 2 streams
(:func:`iter_linked`): each batch's records are made as its answers arrive, from the analyses
read back in order, and links name the shared entities through :class:`EntityKeys`.

Each link says which entities the two articles share (from stage 1, matched on normalized
names). The index's own term explanations are not asked for: on a whole corpus they cost
several times the search itself.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.analysis.record import ArticleAnalysis
    >>> def stage1(i, title):
    ...     return ArticleAnalysis(Article(id=i, title=title, body=title), "politics", "سياسة", 0.9)
    >>> records = link_related([stage1("1", "قمة عربية في الرياض"),
    ...                         stage1("2", "الرياض تستضيف القمة العربية"),
    ...                         stage1("3", "ارتفاع أسعار الذهب عالميا")], k=1)
    >>> [[r.id for r in rec.related] for rec in records]
    [['2'], ['1'], ['1']]
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from itertools import islice
from typing import TYPE_CHECKING, Any

from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis, RelatedLink
from arabnews_nlp.article import Article

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.related import RelatedIndex, RelatedResult, RelatedResults

__all__ = [
    "MAX_DUPLICATES",
    "EntityKeys",
    "IndexBuilder",
    "LinkBuilder",
    "indexed_article",
    "iter_linked",
    "link_related",
    "search_index",
]

#: Near-duplicates listed per article (a wire story can be republished many times).
MAX_DUPLICATES = 10
#: Articles queried at once: bounds the result objects held together, and is the unit of
#: work of a thread (so Ctrl-C waits for at most one batch per thread).
QUERY_BATCH = 2048


def indexed_article(analysis: ArticleAnalysis) -> Article:
    """The article as the related index sees it: stage-1 entity names in ``meta["entities"]``."""
    names = [s.canonical for s in analysis.summaries()]
    article = analysis.article
    return replace(article, meta={**article.meta, "entities": names})


def _query(index: RelatedIndex, ids: Sequence[str], k: int, exact: bool) -> list[RelatedResults]:
    found: list[RelatedResults] = index.related_to(
        list(ids), k=k, max_duplicates=MAX_DUPLICATES, explain=False, exact=exact
    )
    return found


def search_index(
    index: RelatedIndex,
    k: int,
    n_jobs: int,
    exact: bool = False,
    within_days: float | None = None,
) -> Iterator[list[RelatedResults]]:
    """The answers for every indexed article, a batch at a time, in index order.

    ``within_days`` keeps only articles published within that many days of each article
    (undated ones have none); the search then reads only each article's date window.

    With ``n_jobs > 1`` the batches run in threads of this process: the search spends its
    time in scipy's sparse kernels and numpy's partitions, which release the GIL, so the
    threads share one index where worker processes would each need a copy of it.
    """
    if within_days is not None:
        # One date-bounded all-pairs search in this thread (exact: the window bounds it).
        answers = index.related_within_days(within_days, k, max_duplicates=MAX_DUPLICATES)
        while answered := list(islice(answers, QUERY_BATCH)):
            yield answered
        return
    ids = index.ids_
    batches = (ids[i : i + QUERY_BATCH] for i in range(0, len(ids), QUERY_BATCH))
    # The first batch in this thread: it also builds the index's search view, once.
    first = next(batches, None)
    if first is None:
        return
    yield _query(index, first, k, exact)
    if n_jobs <= 1:
        for batch in batches:
            yield _query(index, batch, k, exact)
        return
    with ThreadPoolExecutor(n_jobs, thread_name_prefix="related") as pool:
        # A few batches in flight, not all: the answers wait for the output writer.
        pending: deque[Future[list[RelatedResults]]] = deque()
        try:
            for batch in batches:
                pending.append(pool.submit(_query, index, batch, k, exact))
                while len(pending) >= 2 * n_jobs:
                    yield pending.popleft().result()
            while pending:
                yield pending.popleft().result()
        finally:
            for future in pending:  # Ctrl-C or a consumer that stopped: drop what is queued
                future.cancel()


class IndexBuilder:
    """Fits the related index of :func:`link_related` while stage 1 runs.

    Takes the analyses in corpus order, with their rows when the stage-1 workers vectorized
    them (:meth:`RelatedIndex.vectorize`), and adds them in the batches
    :meth:`RelatedIndex.fit` uses, pruned as :meth:`RelatedIndex.add_counts` prunes them (with
    the IDF of the articles so far), so :meth:`finish` returns exactly the index ``fit`` would.
    Unlike ``add_counts`` on a growing index, a batch costs what its own rows cost: the
    pruned rows wait in blocks and are stacked once, by :meth:`finish`, and the index is
    never weighed (nor its ids re-indexed) before it is complete. Ids must be unique. The
    index keeps no entity names (``entities_`` are empty): links name the entities two
    articles share from :class:`EntityKeys`, and the entity columns are in the rows.

    Args:
        params: Keyword arguments for :class:`~arabnews_nlp.related.RelatedIndex`.
        batch_size: Articles per batch; default: ``fit``'s (the index's ``batch_size``).

    Example:
        >>> builder = IndexBuilder(batch_size=2)
        >>> builder.add([])
        >>> len(builder.finish())
        0
    """

    #: Rows weighed at once by :meth:`finish`.
    weigh_rows = 4096
    #: Rows pruned at once (see :meth:`_add_batch`).
    prune_rows = 256
    #: Scores a search holds at once (float32; the product's scratch and the top-k selection
    #: take about four times as much): a query chunk of the index's ``chunk_size`` rows at
    #: most, fewer on a large index, so that a search thread's buffers do not grow with it.
    #: The answers do not depend on the chunk.
    scores_per_chunk = 1 << 21

    def __init__(
        self, params: Mapping[str, Any] | None = None, batch_size: int | None = None
    ) -> None:
        from arabnews_nlp.related import RelatedIndex
        from arabnews_nlp.related.state import IndexState

        #: An unfitted index with the same parameters: small to send to the stage-1 workers,
        #: whose :meth:`RelatedIndex.vectorize` gives the rows :meth:`add` takes.
        self.template = RelatedIndex(**dict(params or {}))
        self.batch_size = batch_size or self.template.batch_size
        self.state = IndexState.empty(self.template.n_columns)
        self._ids: set[str] = set()
        self._blocks: list[Any] = []  # the pruned rows of each batch added
        self._articles: list[Article] = []
        self._rows: list[Any] = []

    def add(self, analyses: Sequence[ArticleAnalysis], counts: Any | None = None) -> None:
        """Queue analysed articles with their rows (vectorized here when ``counts`` is None)."""
        if counts is None:
            for lo in range(0, len(analyses), self.batch_size):
                batch = [indexed_article(a) for a in analyses[lo : lo + self.batch_size]]
                self._queue(batch, self.template.vectorize(batch))
        else:
            self.add_indexed([indexed_article(a) for a in analyses], counts)

    def add_indexed(self, articles: Sequence[Article], counts: Any) -> None:
        """Queue articles as the index sees them (:func:`indexed_article`; only ids, titles,
        sections and dates are kept) with their rows from :meth:`RelatedIndex.vectorize`."""
        if articles:
            self._queue(list(articles), counts)

    def _queue(self, articles: list[Article], counts: Any) -> None:
        import numpy as np
        import scipy.sparse as sp

        self._articles += articles
        self._rows.append(sp.csr_matrix(counts, dtype=np.float32))
        while len(self._articles) >= self.batch_size:
            self._add_batch(self.batch_size)

    def _flush(self) -> None:
        """Add what is queued, a last (shorter) batch."""
        if self._articles:
            self._add_batch(len(self._articles))

    def _take(self, n: int) -> tuple[list[Article], list[Any]]:
        """The first ``n`` queued articles and their rows, as the chunks they came in (the
        last one cut): never stacked, so a batch's raw rows are held once."""
        pieces, taken = [], 0
        while taken < n:
            rows = self._rows[0]
            if rows.shape[0] <= n - taken:
                pieces.append(self._rows.pop(0))
            else:
                pieces.append(rows[: n - taken])
                self._rows[0] = rows[n - taken :]
            taken += pieces[-1].shape[0]
        articles, self._articles = self._articles[:n], self._articles[n:]
        return articles, pieces

    def _add_batch(self, n: int) -> None:
        """The first ``n`` queued articles as :meth:`RelatedIndex.add_counts` adds a batch to the
        index so far: document frequencies first, then the rows pruned with that IDF.

        The rows are pruned :attr:`prune_rows` at a time (each row is pruned on its own, so
        the rows are the same): the pruning's temporaries take ~100 bytes a raw nonzero, and
        a whole batch of 2,048 ANT articles has ~5M of them.
        """
        from arabnews_nlp.related.weighting import prune_rows, smoothed_idf

        articles, pieces = self._take(n)
        for article in articles:
            if article.id in self._ids:
                raise ValueError(f"article id already indexed: {article.id!r}")
            self._ids.add(article.id)
        index, state = self.template, self.state
        at = 0
        for piece in pieces:
            # No entity names are kept per article (~1 KB each): they serve only the index's
            # explanations, which stage 2 does not ask for; the entity columns are in the rows.
            size = piece.shape[0]
            state.append(articles[at : at + size], piece, [()] * size)
            at += size
        if index.max_terms is None:
            self._blocks += pieces
            return
        idf = smoothed_idf(state.df, state.corpus_size)
        n_text, step = index.vectorizer_.n_features, self.prune_rows
        while pieces:
            piece = pieces.pop(0)
            for lo in range(0, piece.shape[0], step):
                self._blocks.append(prune_rows(piece[lo : lo + step], idf, index.max_terms, n_text))

    def finish(self, keep_counts: bool = True) -> RelatedIndex:
        """The fitted index of every article added, weighed for search, with a query chunk
        (``chunk_size``) sized to it: at most :attr:`scores_per_chunk` scores at once.

        Args:
            keep_counts: Keep the raw rows (``counts_``) once weighed. Without them (~2.5 KB
                an article) the index answers searches the same, but cannot explain an
                answer's terms, take new articles or be saved: for a run that only searches
                it (stage 2 asks for no explanations).
        """
        import numpy as np
        import scipy.sparse as sp

        from arabnews_nlp.related.state import stack_rows
        from arabnews_nlp.related.weighting import smoothed_idf, weigh_rows

        self._flush()
        state, template = self.state, self.template
        blocks, self._blocks = [state.counts, *self._blocks], []
        if keep_counts:
            state.counts = stack_rows(blocks) if len(blocks) > 1 else blocks[0]
            blocks = [state.counts]
        else:
            # Each raw block is weighed and let go of: the raw rows are never all held beside
            # the weighted ones (at 110k articles that moment was the run's peak).
            shape = (sum(b.shape[0] for b in blocks), state.counts.shape[1])
            state.counts = sp.csr_matrix(shape, dtype=np.float32)
        # The rows weighed a block at a time (the weighting's temporaries take ~40 bytes a
        # nonzero): each row's weights depend only on it and the IDF, so they are the same.
        idf = smoothed_idf(state.df, state.corpus_size)
        n_text, step = template.vectorizer_.n_features, self.weigh_rows
        weighed = []
        while blocks:
            rows = blocks.pop(0)
            weighed += [
                weigh_rows(rows[lo : lo + step], idf, n_text, template.entity_weight)
                for lo in range(0, rows.shape[0], step)
            ]
            del rows
        matrix = stack_rows(weighed) if weighed else None
        chunk = max(8, min(template.chunk_size, self.scores_per_chunk // max(len(state), 1)))
        params = {**template.get_params(deep=False), "chunk_size": chunk}
        return type(template)(**params).with_state(state, matrix)


class EntityKeys:
    """The entity keys of every article, as small integers, in index order.

    What a link needs of the article it points to is which entities it mentions; keeping
    only that (a few bytes per entity) lets stage 2 read each article's full analysis once,
    in order, instead of holding the corpus.

    Example:
        >>> from arabnews_nlp import Article
        >>> from arabnews_nlp.entities import Entity
        >>> def stage1(i, names):
        ...     ents = [Entity("LOC", n, 0, len(n), n) for n in names]
        ...     article = Article(id=i, title="قمة", body="قمة")
        ...     return ArticleAnalysis(article, "politics", "سياسة", 0.9, ents)
        >>> keys = EntityKeys()
        >>> keys.add([stage1("1", ["الرياض", "القاهرة"]), stage1("2", ["القاهرة"])])
        >>> len(keys), sorted(keys.of(0)), sorted(keys.of(1))
        (2, [0, 1], [1])
    """

    def __init__(self) -> None:
        self._vocabulary: dict[str, int] = {}
        self._names: list[str] = []  # the key of each number
        self._flat = array("i")  # every article's key numbers, one article after another
        self._ends = array("q")  # where each article's numbers end in _flat

    def __len__(self) -> int:
        return len(self._ends)

    def add(self, analyses: Iterable[ArticleAnalysis]) -> None:
        """Append the articles' unique entity keys."""
        self.add_keys([s.key for s in analysis.summaries()] for analysis in analyses)

    def add_keys(self, keys: Iterable[Iterable[str]]) -> None:
        """Append articles given as their unique entity keys (normalized names)."""
        vocabulary, names = self._vocabulary, self._names
        for article_keys in keys:
            for key in article_keys:
                number = vocabulary.get(key)
                if number is None:
                    number = vocabulary[key] = len(names)
                    names.append(key)
                self._flat.append(number)
            self._ends.append(len(self._flat))

    def keys_of(self, row: int) -> frozenset[str]:
        """The entity keys of the article at ``row``, as strings."""
        return frozenset(self._names[n] for n in self.of(row))

    def number(self, key: str) -> int:
        """The number of an entity key (-1 when no article has it)."""
        return self._vocabulary.get(key, -1)

    def of(self, row: int) -> frozenset[int]:
        """The key numbers of the article at ``row``."""
        start = self._ends[row - 1] if row else 0
        return frozenset(self._flat[start : self._ends[row]])


class LinkBuilder:
    """Turns index results into :class:`RelatedLink` objects with the shared entities.

    Args:
        keys: The entity keys of every article that can appear in the results.
        row_of: The row of an article id in ``keys`` (None when not there).
    """

    def __init__(self, keys: EntityKeys, row_of: Callable[[str], int | None]) -> None:
        self.keys = keys
        self.row_of = row_of

    def links(self, query: ArticleAnalysis, results: Sequence[RelatedResult]) -> list[RelatedLink]:
        """Links from ``query`` to each result (score rounded to 4 digits), in order."""
        # Normalized key -> canonical name of each unique entity of the query.
        mine = {s.key: s.canonical for s in query.summaries()}
        numbered = [(self.keys.number(key), name) for key, name in mine.items()]
        out = []
        for r in results:
            row = self.row_of(r.id)
            theirs = self.keys.of(row) if row is not None else frozenset()
            shared = tuple(name for number, name in numbered if number in theirs)
            out.append(RelatedLink(r.id, round(float(r.score), 4), r.title, shared))
        return out


def iter_linked(
    analyses: Iterable[ArticleAnalysis],
    index: RelatedIndex,
    keys: EntityKeys,
    k: int = 5,
    *,
    n_jobs: int = 1,
    exact: bool = False,
    within_days: float | None = None,
) -> Iterator[AnalysisRecord]:
    """Stage 2 as a stream: one record per analysis, made as its batch of answers arrives.

    Args:
        analyses: Stage-1 results in index order (read once, e.g. from the checkpoint).
        index: The fitted index of exactly these articles.
        keys: Their entity keys, in the same order (:class:`EntityKeys`).
        k: Related articles per article.
        n_jobs: Processes for the queries.
        exact: Score every article against the whole index, not only the index's candidate
            search (the same where that search is exhaustive: small corpora).
        within_days: Only articles published within this many days of each other are
            related (None: any date).

    Raises:
        ValueError: when ``analyses`` are not the index's articles in its order.
    """
    # Rows from the ids, not index.position: that would weigh the whole index in this process,
    # which only the workers need when they answer the queries.
    rows = {article_id: row for row, article_id in enumerate(index.ids_)}
    linker = LinkBuilder(keys, rows.get)
    source = iter(analyses)
    for found in search_index(index, k, n_jobs, exact, within_days):
        for hits in found:
            analysis = next(source, None)
            if analysis is None or analysis.id != hits.query_id:
                raise ValueError("the index does not hold exactly these analyses, in this order")
            yield AnalysisRecord(
                analysis,
                related=linker.links(analysis, hits.results),
                duplicates=linker.links(analysis, hits.duplicates),
            )
    if next(source, None) is not None:
        raise ValueError("the index does not hold exactly these analyses, in this order")


def link_related(
    analyses: Sequence[ArticleAnalysis],
    k: int = 5,
    *,
    n_jobs: int = 1,
    index_params: Mapping[str, Any] | None = None,
    index: RelatedIndex | None = None,
    exact: bool = False,
    within_days: float | None = None,
) -> list[AnalysisRecord]:
    """Attach the ``k`` most related articles and the near-duplicates to every article.

    Args:
        analyses: Stage-1 results of the whole corpus (ids unique).
        k: Related articles per article; 0 skips the index entirely.
        n_jobs: Processes for the queries (the index is fitted in this process).
        index_params: Keyword arguments for :class:`~arabnews_nlp.related.RelatedIndex`
            (default: its own defaults).
        index: The index of exactly these analyses, already fitted (see
            :class:`IndexBuilder`); ``index_params`` is then not used.
        exact: Exact search over the whole index (see :func:`iter_linked`).
        within_days: Relate only articles published within this many days of each other.

    Returns:
        One :class:`AnalysisRecord` per analysis, in the same order.
    """
    if k <= 0 or len(analyses) < 2:
        return [AnalysisRecord(a) for a in analyses]
    if index is None:
        builder = IndexBuilder(index_params)
        builder.add(analyses)
        index = builder.finish(keep_counts=False)
    elif index.ids_ != [a.id for a in analyses]:
        raise ValueError("the index does not hold exactly these analyses, in this order")
    keys = EntityKeys()
    keys.add(analyses)
    return list(
        iter_linked(analyses, index, keys, k, n_jobs=n_jobs, exact=exact, within_days=within_days)
    )
