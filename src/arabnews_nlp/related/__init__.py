"""Related articles: a TF-IDF index over hashed character n-grams with exact chunked top-k.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.related import RelatedIndex
    >>> docs = [Article(id="1", title="قمة عربية في الرياض"),
    ...         Article(id="2", title="الرياض تستضيف القمة العربية"),
    ...         Article(id="3", title="ارتفاع أسعار الذهب")]
    >>> RelatedIndex(n_features=2**16).fit(docs).query(docs[0], k=1)[0].id
    '2'
"""

from __future__ import annotations

from arabnews_nlp.related.filters import CandidateFilter, published_days
from arabnews_nlp.related.index import EntityExtractor, RelatedIndex
from arabnews_nlp.related.results import RelatedResult, RelatedResults
from arabnews_nlp.related.topk import TopK, merge_topk, select_topk, topk_blocks
from arabnews_nlp.related.vectorize import ArticleVectorizer

__all__ = [
    "ArticleVectorizer",
    "CandidateFilter",
    "EntityExtractor",
    "RelatedIndex",
    "RelatedResult",
    "RelatedResults",
    "TopK",
    "merge_topk",
    "published_days",
    "select_topk",
    "topk_blocks",
]
