"""Stage-1 quotes and dates of one article: who said what, and the dates it mentions.

Kept apart from the model stage so that a failure here is an article's failure, never a
batch's: bad input yields empty lists (and a log line), as a corpus run must go on.

Example:
    >>> from arabnews_nlp import Article
    >>> art = Article(body="وقال الوزير أمس إن الميناء سيفتح.", published="2025-03-20")
    >>> quotes, dates = quotes_and_dates(art, [])
    >>> quotes[0].speaker.text, dates[0].value
    ('الوزير', '2025-03-19')
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from arabnews_nlp.article import Article
from arabnews_nlp.dates import DateMention, extract_dates
from arabnews_nlp.entities import Entity
from arabnews_nlp.quotes import Quote, extract_quotes

__all__ = ["quotes_and_dates"]

logger = logging.getLogger("arabnews_nlp.pipeline")


def quotes_and_dates(
    article: Article, entities: Sequence[Entity]
) -> tuple[list[Quote], list[DateMention]]:
    """The article's quotes (speakers linked to ``entities``) and dates (against ``published``)."""
    try:
        quotes = extract_quotes(article, entities)
    except (ValueError, TypeError, IndexError) as exc:  # a rule tripped on odd text
        logger.warning("quotes skipped for %s: %s", article.id, exc)
        quotes = []
    try:
        dates = extract_dates(article)
    except (ValueError, TypeError, IndexError, OverflowError) as exc:
        logger.warning("dates skipped for %s: %s", article.id, exc)
        dates = []
    return quotes, dates
