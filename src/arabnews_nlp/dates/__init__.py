"""Dates in Arabic news: every regional month set, Hijri dates, relative expressions.

Example:
    >>> from arabnews_nlp.dates import extract_dates
    >>> [(d.text, d.value, d.month_set) for d in extract_dates("وصل في 3 جويلية 2024")]
    [('3 جويلية 2024', '2024-07-03', 'maghrebi')]
"""

from __future__ import annotations

from arabnews_nlp.dates.extract import extract_dates
from arabnews_nlp.dates.mention import DateMention

__all__ = ["DateMention", "extract_dates"]
