"""Streaming readers and atomic writers for article corpora in every common format.

Example:
    >>> from arabnews_nlp.corpus import read_articles
    >>> reader = read_articles("missing-folder/*.jsonl")
    >>> list(reader), reader.report.summary()
    ([], '0 read, 1 bad (missing: 1), 0 duplicate ids, 0 files')
"""

from __future__ import annotations

from arabnews_nlp.corpus.errors import CorpusError, ReadReport, RecordError
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.readers import ArticleReader, read_articles

__all__ = [
    "ArticleReader",
    "CorpusError",
    "ReadOptions",
    "ReadReport",
    "RecordError",
    "read_articles",
]
