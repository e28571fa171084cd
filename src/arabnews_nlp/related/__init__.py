"""Related articles: a TF-IDF index over hashed character n-grams with exact chunked top-k.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import ArticleVectorizer, RelatedIndex
    >>> docs = [Article(id="1", title="قمة عربية في الرياض"),
    ...         Article(id="2", title="الرياض تستضيف القمة العربية"),
    ...         Article(id="3", title="ارتفاع أسعار الذهب")]
    >>> RelatedIndex(ArticleVectorizer(n_features=2**16)).fit(docs).query(docs[0], k=1)[0].id
    '2'
"""

from __future__ import annotations

from arabnews_nlp.related.filters import CandidateFilter, published_days
from arabnews_nlp.related.index import EntityExtractor, RelatedIndex
from arabnews_nlp.related.results import RelatedResult, RelatedResults
from arabnews_nlp.related.state import IndexState
from arabnews_nlp.related.vectorize import ArticleVectorizer

__all__ = [
    "ArticleVectorizer",
    "CandidateFilter",
    "EntityExtractor",
    "IndexState",
    "RelatedIndex",
    "RelatedResult",
    "RelatedResults",
    "published_days",
]
