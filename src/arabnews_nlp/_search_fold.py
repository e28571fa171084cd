"""The ``search`` folding of a text with offsets, kept for the last two texts.

The quote and date extractors both fold the same article text (``quotes_and_dates`` runs one
after the other); sharing the folding saves a pass over every article.

Example:
    >>> search_fold("قالَ") is search_fold("قالَ")
    True
"""

from __future__ import annotations

from functools import lru_cache

from arabnews_nlp.normalize import NormalizedText, normalize

__all__ = ["search_fold"]


@lru_cache(maxsize=2)
def search_fold(text: str) -> NormalizedText:
    """``normalize(text, profile="search", return_offsets=True)``, cached (it is immutable)."""
    return normalize(text, profile="search", return_offsets=True)
