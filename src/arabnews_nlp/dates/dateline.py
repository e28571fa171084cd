"""Recognising a page's date line (``الخميس 20 مارس 2025 - 10:30``) among its text lines.

Readers of page dumps and archives use it to fill ``Article.published`` when the source gives
no date field: a line counts only when, apart from the date, it holds nothing but a weekday,
a clock time, a label such as «نشر في» or «آخر تحديث», a second (Hijri) form of the same day,
and punctuation.

Example:
    >>> parse_dateline("نشر في: الخميس، 20 مارس 2025 - 10:30 ص")
    '2025-03-20'
    >>> parse_dateline("الأحد ٣ شوال ١٤٤٦ هـ")
    '2025-04-01'
    >>> parse_dateline("وصل الوفد في 20 مارس 2025") is None
    True
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from arabnews_nlp.dates.extract import extract_dates

__all__ = ["find_dateline", "parse_dateline"]

# What may stand beside the date on a date line (folded loosely: both alef forms, digits).
_FILLER = re.compile(
    r"نشر(?:ت)?\s+(?:في|بتاريخ)|تاريخ\s+النشر|آخر\s+تحديث|اخر\s+تحديث|تم\s+النشر|بتاريخ|"
    r"الموافق|الساعة|بتوقيت\s+\S+|GMT|UTC|[0-9٠-٩۰-۹]{1,2}\s*:\s*[0-9٠-٩۰-۹]{2}(?:\s*:\s*[0-9٠-٩۰-۹]{2})?|"
    r"(?<!\w)(?:ص|م|AM|PM|am|pm)(?!\w)|[\s\-–—|،,:/()\[\]•.]+"
)
_MAX_LENGTH = 80


def parse_dateline(line: str) -> str | None:
    """The ISO date of a line that is a date line, else None."""
    text = line.strip()
    if not text or len(text) > _MAX_LENGTH:
        return None
    days = [d for d in extract_dates(text) if d.granularity == "day" and d.value and not d.relative]
    if not days:
        return None
    rest = text
    for d in sorted(days, key=lambda d: d.start, reverse=True):
        rest = rest[: d.start] + " " + rest[d.end :]
    if _FILLER.sub("", rest).strip():
        return None
    gregorian = [d for d in days if d.calendar == "gregorian"]
    return (gregorian or days)[0].value


def find_dateline(lines: Iterable[str], limit: int = 6) -> tuple[int, str] | None:
    """The index and ISO date of the first date line among the first ``limit`` lines."""
    for i, line in enumerate(lines):
        if i >= limit:
            break
        value = parse_dateline(line)
        if value is not None:
            return i, value
    return None
