"""Quote attribution for Arabic news: who said what, with the cue and offsets.

Example:
    >>> from arabnews_nlp.quotes import extract_quotes
    >>> [q] = extract_quotes("ونفت الوزارة أن يكون المعتقلون تعرضوا لسوء معاملة.")
    >>> q.speaker.text, q.cue.text, q.negated, q.content.text
    ('الوزارة', 'ونفت', True, 'يكون المعتقلون تعرضوا لسوء معاملة')
"""

from __future__ import annotations

from arabnews_nlp.quotes.extract import extract_quotes
from arabnews_nlp.quotes.model import Quote, Span

__all__ = ["Quote", "Span", "extract_quotes"]
