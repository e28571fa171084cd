"""Candidate filters shared by single queries and batch top-k: dates, sections, exclusions.

Each filter becomes one ``mask(start, stop, scores)`` callback for
:func:`~arabnews_nlp.related.topk.topk_blocks`, which sets excluded candidates to ``-inf``
chunk by chunk, so a date window over a whole corpus costs one vectorized comparison per chunk.

Example:
    >>> days = published_days(["2024-05-01", "2024-05-09", None])
    >>> f = CandidateFilter(within_days=3)
    >>> scores = np.ones((1, 3), dtype=np.float32)
    >>> f.mask(days, [None, None, None], days[:1], [None])(slice(0, 1), slice(0, 3), scores)
    >>> scores.tolist()
    [[1.0, -inf, -inf]]
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone

import numpy as np

from arabnews_nlp.related.topk import MaskFn

__all__ = ["CandidateFilter", "published_days"]


def published_days(values: Sequence[str | None]) -> np.ndarray:
    """ISO dates/datetimes as float days since 1970-01-01 UTC (NaN when missing or bad).

    A date without a time zone is taken as UTC.

    >>> published_days(["1970-01-02", "1970-01-01T12:00:00+00:00", None]).tolist()
    [1.0, 0.5, nan]
    """
    out = np.full(len(values), np.nan)
    for i, value in enumerate(values):
        if not value:
            continue
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            continue
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=timezone.utc)
        out[i] = moment.timestamp() / 86400.0
    return out


@dataclass(frozen=True)
class CandidateFilter:
    """Which candidates a query may return.

    Attributes:
        within_days: Keep candidates published within this many days of the query (either
            side); candidates or queries without a date are dropped when it is set.
        sections: Keep only candidates whose section is one of these.
        same_section: Keep only candidates in the query's own section.
        exclude_rows: Per query row (batch order), index rows never to return.
    """

    within_days: float | None = None
    sections: Collection[str] | None = None
    same_section: bool = False
    exclude_rows: Sequence[Collection[int]] = field(default_factory=tuple)

    @property
    def active(self) -> bool:
        """Whether the filter excludes anything at all."""
        return bool(
            self.within_days is not None
            or self.sections is not None
            or self.same_section
            or any(self.exclude_rows)
        )

    def mask(
        self,
        index_days: np.ndarray,
        index_sections: Sequence[str | None],
        query_days: np.ndarray,
        query_sections: Sequence[str | None],
    ) -> MaskFn:
        """The mask callback for queries with these dates/sections against this index."""
        wanted = None
        if self.sections is not None:
            allowed = set(self.sections)
            wanted = np.fromiter((s in allowed for s in index_sections), bool, len(index_sections))
        codes, query_codes = None, None
        if self.same_section:
            vocab: dict[str | None, int] = {None: -1}
            codes = np.array([vocab.setdefault(s, len(vocab)) for s in index_sections])
            # An unknown or missing query section matches nothing (-2 is no index code).
            query_codes = np.array([vocab.get(s, -2) if s else -2 for s in query_sections])

        def apply(rows: slice, cols: slice, scores: np.ndarray) -> None:
            if self.within_days is not None:
                gap = np.abs(query_days[rows, None] - index_days[None, cols])
                # NaN gaps (undated) compare False, so they are dropped too.
                scores[~(gap <= self.within_days)] = -np.inf
            if wanted is not None:
                scores[:, ~wanted[cols]] = -np.inf
            if codes is not None and query_codes is not None:
                scores[query_codes[rows, None] != codes[None, cols]] = -np.inf
            first = cols.start or 0
            for row, excluded in enumerate(self.exclude_rows[rows]):
                inside = [j - first for j in excluded if first <= j < first + scores.shape[1]]
                if inside:
                    scores[row, inside] = -np.inf

        return apply
