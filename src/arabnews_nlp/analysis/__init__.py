"""What the analysis of a corpus produces, independent of how it was run.

Per-article records (:class:`ArticleAnalysis` from stage 1, :class:`AnalysisRecord` with the
related articles), the corpus figures both the summary and the report read
(:class:`CorpusStats`), and the run summary (:class:`RunSummary`). The local pipeline, the Dask
engine and the HTML report all build on these; none of them imports another.
"""

from __future__ import annotations

from arabnews_nlp.analysis.record import (
    AnalysisRecord,
    ArticleAnalysis,
    ProcessingError,
    RelatedLink,
)
from arabnews_nlp.analysis.stats import CorpusStats
from arabnews_nlp.analysis.summary import RunSummary

__all__ = [
    "AnalysisRecord",
    "ArticleAnalysis",
    "CorpusStats",
    "ProcessingError",
    "RelatedLink",
    "RunSummary",
]
