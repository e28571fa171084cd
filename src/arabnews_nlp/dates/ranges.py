"""Date ranges as one mention: «من 3 إلى 5 مارس», «بين عامي 2019 و2021», «خلال الفترة من 10
يناير حتى 20 فبراير».

Runs on the ``search``-folded text after the single mentions are resolved. A range is an opener
(من, بين, ما بين, منذ), a start, a connector (إلى, حتى, لغاية, و, -) and an end mention. The start
is either a mention of its own or an elliptic part that borrows what it lacks from the end:
a day number (من 3 إلى 5 مارس), a month name (من مارس إلى مايو 2024) or a year (بين عامي 2019
و2021, found here since a bare year is no mention by itself).

The range's value is ``START/END`` (ISO 8601 interval notation, e.g. ``2024-03-03/2024-03-05`` or
``2019/2021``), ``bounds`` holds the two values, ``interval`` the first and last day covered.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING

from arabnews_nlp.dates.lexicon import month_lookup

if TYPE_CHECKING:  # pragma: no cover
    from arabnews_nlp.dates.mention import DateMention

__all__ = ["merge_ranges", "year_ranges"]

_OPENER = r"(?:(?:ما\s+)?بين|من|منذ)"
_CONNECTOR = r"(?:\s+(?:الي|حتي|لغايه|ولغايه|وحتي)\s+|\s*[-–]\s*|\s+و\s*)"
_YEAR = r"(?:19|20)\d\d"
_YEAR_RANGE = re.compile(
    rf"(?<!\w){_OPENER}\s+(?:(?:عامي|سنتي|العامين|عام|سنه|العام)\s+)?(?P<y1>{_YEAR})"
    rf"(?:\s*م)?{_CONNECTOR}(?:(?:عام|سنه|العام)\s+)?(?P<y2>{_YEAR})(?!\d)"
)
_TWO_YEARS = re.compile(rf"{_YEAR}\D{{1,40}}{_YEAR}")
# The connector right before an end mention.
_BEFORE_END = re.compile(rf"(?P<connector>{_CONNECTOR})$")


@lru_cache(maxsize=1)
def _elliptic_start() -> re.Pattern[str]:
    """An opener and an elliptic start, at the end of the text before a connector."""
    months = "|".join(sorted(map(re.escape, month_lookup()), key=len, reverse=True))
    return re.compile(
        rf"(?<!\w){_OPENER}\s+(?:(?P<day>\d{{1,2}})|(?P<mon>{months})|(?P<year>{_YEAR}))$"
    )


_OPENER_END = re.compile(rf"(?<!\w){_OPENER}\s+$")

Item = tuple[int, int, "DateMention"]  # folded start, folded end, mention


def year_ranges(folded: str) -> list[tuple[int, int, str, str]]:
    """Folded spans and the two years of «بين عامي 2019 و2021»-style ranges.

    >>> year_ranges("ارتفعت الاسعار بين عامي 2019 و2021")
    [(15, 34, '2019', '2021')]
    """
    if not _TWO_YEARS.search(folded):
        return []  # most texts: a cheap scan instead of trying the openers everywhere
    return [
        (m.start(), m.end(), m["y1"], m["y2"])
        for m in _YEAR_RANGE.finditer(folded)
        if int(m["y1"]) < int(m["y2"])
    ]


def merge_ranges(folded: str, items: list[Item]) -> list[Item]:
    """Replace a start and an end mention (or an elliptic start and an end) by one range.

    ``items`` are the resolved mentions in text order with their folded spans; a range keeps
    the end mention's text and offsets, which the caller widens to the returned folded span.
    """
    out: list[Item] = []
    for s, e, end in items:
        conn = _BEFORE_END.search(folded, max(0, s - 60), s)
        if conn is None or not _closed(end):
            out.append((s, e, end))
            continue
        prev = out[-1] if out else None
        if prev is not None and prev[1] == conn.start() and _closed(prev[2]):
            opener = _OPENER_END.search(folded, max(0, prev[0] - 12), prev[0])
            start = _with_year(prev[2], end)
            if opener is not None and start is not None:
                out[-1] = (opener.start(), e, _range(*start, end, prev[2].relative))
                continue
        elliptic = _elliptic_start().search(folded, max(0, s - 60), conn.start())
        start = _borrow(elliptic, end) if elliptic else None
        if elliptic is None or start is None:
            out.append((s, e, end))
            continue
        out.append((elliptic.start(), e, _range(*start, end, False)))
    return out


def _closed(m: DateMention) -> bool:
    """A single mention with a value and an interval (not a range or a Hijri period) that
    names a calendar date: «من السبت إلى الخميس» are opening days, «من أمس» no range start."""
    named = not m.relative or m.month_set is not None or m.calendar == "hijri"
    return named and m.value is not None and m.interval is not None and "/" not in m.value


def _with_year(start: DateMention, end: DateMention) -> tuple[str, str] | None:
    """The start's value and first day, its year taken from the end when it has none
    («من 10 يناير حتى 20 فبراير 2024»); None when it does not come first."""
    assert start.value is not None and start.interval is not None and end.interval is not None
    value, first = start.value, start.interval[0]
    yearless = start.relative and start.calendar == "gregorian"
    if yearless and not end.relative and start.granularity in ("day", "month"):
        month_day, end_first = value[5:], end.interval[0]
        year = int(end_first[:4]) - (month_day > end_first[5 : 5 + len(month_day)])
        value, first = f"{year:04d}{value[4:]}", f"{year:04d}{first[4:]}"
    return (value, first) if first <= end.interval[0] else None


def _borrow(m: re.Match[str], end: DateMention) -> tuple[str, str] | None:
    """The value and first day of an elliptic start, completed from the end mention."""
    assert end.value is not None and end.interval is not None
    last = date.fromisoformat(end.interval[0])
    if m["day"] and end.granularity == "day":
        shift = int((end.hijri or end.value).split("-")[-1]) - int(m["day"])
        if not 0 < shift < 31:
            return None
        first = (last - timedelta(days=shift)).isoformat()
        return first, first
    if m["mon"] and end.granularity in ("day", "month") and end.calendar == "gregorian":
        month = month_lookup()[re.sub(r"\s+", " ", m["mon"])][1]
        year = last.year - (month > last.month)
        return f"{year:04d}-{month:02d}", date(year, month, 1).isoformat()
    if m["year"] and end.granularity == "year" and int(m["year"]) < last.year:
        return m["year"], f"{m['year']}-01-01"
    return None


def _range(value: str, first: str, end: DateMention, relative: bool) -> DateMention:
    """A range from a start (value, first day) to ``end`` (text and offsets: the caller's)."""
    assert end.value is not None and end.interval is not None
    return replace(
        end,
        value=f"{value}/{end.value}",
        interval=(first, end.interval[1]),
        bounds=(value, end.value),
        relative=relative or end.relative,
    )
