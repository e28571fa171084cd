"""Stage 2: related articles and near-duplicates over every analysed article."""

from __future__ import annotations

from collections.abc import Sequence

from arabnews_nlp.pipeline.record import AnalysisRecord, ArticleAnalysis

__all__ = ["link_related"]


def link_related(analyses: Sequence[ArticleAnalysis], k: int = 5) -> list[AnalysisRecord]:
    """PROVISIONAL: waiting for arabnews_nlp.related."""
    return [AnalysisRecord(a) for a in analyses]
