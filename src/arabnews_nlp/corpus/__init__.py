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
from arabnews_nlp.corpus.pagedump import related_stubs_as_articles
from arabnews_nlp.corpus.readers import ArticleReader, read_articles
from arabnews_nlp.corpus.writers import ArticleWriter, completed_ids, write_articles

__all__ = [
    "ArticleReader",
    "ArticleWriter",
    "CorpusError",
    "ReadOptions",
    "ReadReport",
    "RecordError",
    "completed_ids",
    "read_articles",
    "related_stubs_as_articles",
    "write_articles",
]
