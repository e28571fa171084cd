"""The end-to-end analysis of a corpus: sections, entities and related articles per article.

Two stages:

1. per article (parallel, checkpointable): entities at original offsets and the section with
   its probability — :func:`~arabnews_nlp.pipeline.stage.analyze_chunk`;
2. per corpus: a related-articles index over every analysed article, all-pairs top-k with
   near-duplicates reported apart — :func:`~arabnews_nlp.pipeline.linking.link_related`.

:func:`analyze` runs both in memory and yields :class:`AnalysisRecord` objects
(:mod:`~arabnews_nlp.pipeline.stages`); :func:`run_analysis` is the file-to-file job behind
``arabnews analyze`` (checkpoint and resume, errors file, summary, report). The records, corpus
figures and summary are defined in :mod:`arabnews_nlp.analysis`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from arabnews_nlp._lazy import lazy_attributes

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.analysis import (
        AnalysisRecord,
        ArticleAnalysis,
        ProcessingError,
        RelatedLink,
        RunSummary,
    )
    from arabnews_nlp.pipeline.linking import link_related
    from arabnews_nlp.pipeline.options import RunOptions
    from arabnews_nlp.pipeline.runner import AnalysisInterrupted, RunPaths, run_analysis
    from arabnews_nlp.pipeline.stage import AnalysisConfig, analyze_chunk, get_models
    from arabnews_nlp.pipeline.stages import analyze

# Loaded on first use: the stages need the models' code, the command line only the options.
_LAZY = {
    "AnalysisRecord": "arabnews_nlp.analysis",
    "ArticleAnalysis": "arabnews_nlp.analysis",
    "ProcessingError": "arabnews_nlp.analysis",
    "RelatedLink": "arabnews_nlp.analysis",
    "RunSummary": "arabnews_nlp.analysis",
    "link_related": "arabnews_nlp.pipeline.linking",
    "RunOptions": "arabnews_nlp.pipeline.options",
    "AnalysisInterrupted": "arabnews_nlp.pipeline.runner",
    "RunPaths": "arabnews_nlp.pipeline.runner",
    "run_analysis": "arabnews_nlp.pipeline.runner",
    "AnalysisConfig": "arabnews_nlp.pipeline.stage",
    "analyze_chunk": "arabnews_nlp.pipeline.stage",
    "get_models": "arabnews_nlp.pipeline.stage",
    "analyze": "arabnews_nlp.pipeline.stages",
}

__all__ = [
    "AnalysisConfig",
    "AnalysisInterrupted",
    "AnalysisRecord",
    "ArticleAnalysis",
    "ProcessingError",
    "RelatedLink",
    "RunOptions",
    "RunPaths",
    "RunSummary",
    "analyze",
    "analyze_chunk",
    "get_models",
    "link_related",
    "run_analysis",
]


__getattr__ = lazy_attributes(__name__, _LAZY, globals())
