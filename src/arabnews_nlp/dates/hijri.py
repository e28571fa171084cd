"""Hijri → Gregorian conversion.

Inside the Umm al-Qura table (1343–1500 AH, 1924–2077 CE) the conversion is the one of
`hijridate <https://pypi.org/project/hijridate/>`_ (MIT, pure Python, no dependencies), the
calendar Saudi Arabia and most Arab news outlets print. Outside it (historical dates) the
arithmetic (tabular) Islamic calendar is used, which may differ from an observed month start by
a day or two.

Example:
    >>> hijri_to_gregorian(1446, 9, 15)
    datetime.date(2025, 3, 15)
    >>> hijri_month_interval(1446, 9)
    (datetime.date(2025, 3, 1), datetime.date(2025, 3, 29))
    >>> hijri_to_gregorian(1250, 1, 1)  # tabular, outside the Umm al-Qura table
    datetime.date(1834, 5, 10)
    >>> gregorian_to_hijri_year(date(2025, 3, 15))
    1446
"""

from __future__ import annotations

from datetime import date, timedelta

from hijridate import Gregorian, Hijri
from hijridate.ummalqura import GREGORIAN_RANGE, HIJRI_RANGE

__all__ = ["gregorian_to_hijri_year", "hijri_month_interval", "hijri_to_gregorian"]

# The Julian day number of 0001-01-01 (proleptic Gregorian ordinal 1).
_ORDINAL_EPOCH_JD = 1721425


def _in_table(year: int, month: int) -> bool:
    return (HIJRI_RANGE[0][0], HIJRI_RANGE[0][1]) <= (year, month) <= HIJRI_RANGE[1][:2]


def _tabular_jd(year: int, month: int, day: int) -> int:
    """Julian day number of a date of the arithmetic Islamic calendar (civil epoch)."""
    return (
        day
        + -(-(295 * (month - 1)) // 10)  # ceil(29.5 * (month - 1))
        + (year - 1) * 354
        + (3 + 11 * year) // 30
        + 1948439
        - 1
    )


def hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian date of a Hijri date.

    Raises:
        ValueError: for a month outside 1–12 or a day past the month's length.
    """
    if not 1 <= month <= 12 or day < 1:
        raise ValueError(f"not a Hijri date: {year}-{month}-{day}")
    if _in_table(year, month):
        g = Hijri(year, month, day).to_gregorian()  # validates the day too
        return date(g.year, g.month, g.day)
    if day > 30:
        raise ValueError(f"not a Hijri date: {year}-{month}-{day}")
    return date.fromordinal(_tabular_jd(year, month, day) - _ORDINAL_EPOCH_JD + 1)


def hijri_month_interval(year: int, month: int) -> tuple[date, date]:
    """First and last Gregorian day of a Hijri month."""
    first = hijri_to_gregorian(year, month, 1)
    nxt = (year + 1, 1) if month == 12 else (year, month + 1)
    return first, hijri_to_gregorian(nxt[0], nxt[1], 1) - timedelta(days=1)


def gregorian_to_hijri_year(day: date) -> int:
    """The Hijri year a Gregorian day falls in."""
    lo, hi = date(*GREGORIAN_RANGE[0]), date(*GREGORIAN_RANGE[1])
    if lo <= day <= hi:
        return int(Gregorian(day.year, day.month, day.day).to_hijri().year)
    # Tabular: a Hijri year is 354 or 355 days; start from the estimate and correct.
    year = int((day.year - 622) * 33 / 32) + 1
    while hijri_to_gregorian(year + 1, 1, 1) <= day:
        year += 1
    while hijri_to_gregorian(year, 1, 1) > day:
        year -= 1
    return year
