"""Turning a matched date expression into a normalized value, against a reference date.

A value is an ISO string whose shape says its granularity: ``2025-01-24`` (day), ``2025-W04``
(ISO week), ``2025-01`` (month), ``2025`` (year); a Hijri month or year, which does not fit a
Gregorian one, is the interval of its first and last day (``2025-03-01/2025-03-29``).
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from arabnews_nlp.dates.hijri import (
    gregorian_to_hijri_year,
    hijri_month_interval,
    hijri_to_gregorian,
)
from arabnews_nlp.dates.lexicon import (
    COUNT_WORDS,
    CURRENT_WORDS,
    FUTURE_WORDS,
    fold,
    hijri_lookup,
    month_lookup,
    weekday_lookup,
)

__all__ = [
    "Resolved",
    "gregorian",
    "hijri",
    "hijri_year",
    "numeric",
    "relative_count",
    "relative_day",
    "shifted",
    "weekday",
    "year",
]

_FUTURE_MODS = frozenset(fold(w) for w in FUTURE_WORDS)
_CURRENT_MODS = frozenset(fold(w) for w in CURRENT_WORDS)
_COUNTS = {fold(k): v for k, v in COUNT_WORDS.items()}


@dataclass(frozen=True)
class Resolved:
    """What a date expression means.

    Attributes:
        value: The normalized value: ``YYYY-MM-DD`` (day), ``YYYY-Www`` (ISO week), ``YYYY-MM``
            (month), ``YYYY`` (year), or ``first/last`` for a Hijri month or year; None for a
            relative expression when no reference date was given.
        granularity: ``"day"``, ``"week"``, ``"month"`` or ``"year"``.
        calendar: ``"gregorian"`` or ``"hijri"``: the calendar it is written in.
        month_set: For a Gregorian month name, its regional set (``"egyptian"``,
            ``"levantine"``, ``"maghrebi"``, ``"moroccan"``; ``"levantine/egyptian"`` for a dual
            form); None otherwise.
        relative: Whether the value depends on the reference date (أمس, الخميس, 3 مارس).
        interval: First and last Gregorian day covered (ISO dates), when known.
        hijri: The Hijri date as written, ``YYYY-MM-DD``/``YYYY-MM``/``YYYY``, for a Hijri date.
    """

    value: str | None
    granularity: str
    calendar: str = "gregorian"
    month_set: str | None = None
    relative: bool = False
    interval: tuple[str, str] | None = None
    hijri: str | None = None


def _direction(mod: str | None) -> int:
    """-1 past (الماضي), +1 future (المقبل), 0 current (الجاري), None-like 2 when absent."""
    if not mod:
        return 2
    key = re.sub(r"\s+", " ", mod)
    if key in _FUTURE_MODS:
        return 1
    if key in _CURRENT_MODS:
        return 0
    return -1


def _pick(candidates: list[tuple[date, date]], ref: date, direction: int) -> tuple[date, date]:
    """The candidate period (first, last day) meant by a date without its year."""
    if direction == -1:
        past = [c for c in candidates if c[1] < ref]
        return max(past) if past else min(candidates)
    if direction == 1:
        future = [c for c in candidates if c[0] > ref]
        return min(future) if future else max(candidates)
    containing = [c for c in candidates if c[0] <= ref <= c[1]]
    if containing:
        return containing[0]
    # Nearest; a tie goes to the past (news mostly reports what happened).
    return min(
        candidates, key=lambda c: (min(abs((c[0] - ref).days), abs((c[1] - ref).days)), c[0] > ref)
    )


def _day(d: date) -> tuple[str, str, tuple[str, str]]:
    return d.isoformat(), "day", (d.isoformat(), d.isoformat())


def _month(y: int, m: int) -> tuple[date, date]:
    return date(y, m, 1), date(y, m, calendar.monthrange(y, m)[1])


def _week(d: date) -> Resolved:
    monday = d - timedelta(days=d.weekday())
    iso = d.isocalendar()
    return Resolved(
        f"{iso[0]}-W{iso[1]:02d}",
        "week",
        relative=True,
        interval=(monday.isoformat(), (monday + timedelta(days=6)).isoformat()),
    )


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def _month_set(g: dict[str, str | None]) -> str:
    names = [re.sub(r"\s+", " ", g[k] or "") for k in ("mon", "mon2") if g.get(k)]
    return "/".join(month_lookup()[n][0] for n in names)


def gregorian(g: dict[str, str | None], ref: date | None) -> Resolved | None:
    """A date with a Gregorian month name."""
    month = month_lookup()[re.sub(r"\s+", " ", g["mon"] or "")][1]
    sets = _month_set(g)
    direction = _direction(g.get("mod"))
    year = g.get("year")
    if g.get("day"):
        d = int(g["day"] or 0)
        if not 1 <= d <= 31:
            return None
        if year:
            try:
                return Resolved(
                    *_day(date(int(year), month, d))[:2],
                    month_set=sets,
                    interval=_day(date(int(year), month, d))[2],
                )
            except ValueError:
                return None
        if ref is None:
            return Resolved(None, "day", month_set=sets, relative=True)
        days = []
        for y in (ref.year - 1, ref.year, ref.year + 1):
            try:
                days.append((date(y, month, d), date(y, month, d)))
            except ValueError:
                continue
        if not days:
            return None
        first, _ = _pick(days, ref, direction)
        value, gran, interval = _day(first)
        return Resolved(value, gran, month_set=sets, relative=True, interval=interval)
    if year:
        first, last = _month(int(year), month)
        return Resolved(
            f"{int(year):04d}-{month:02d}",
            "month",
            month_set=sets,
            interval=(first.isoformat(), last.isoformat()),
        )
    if ref is None:
        return Resolved(None, "month", month_set=sets, relative=True)
    first, last = _pick(
        [_month(y, month) for y in (ref.year - 1, ref.year, ref.year + 1)],
        ref,
        direction if direction != 0 else 2,
    )
    return Resolved(
        f"{first.year:04d}-{month:02d}",
        "month",
        month_set=sets,
        relative=True,
        interval=(first.isoformat(), last.isoformat()),
    )


def hijri(g: dict[str, str | None], ref: date | None) -> Resolved | None:
    """A date with a Hijri month name."""
    month = hijri_lookup()[re.sub(r"\s+", " ", g["hmon"] or "")]
    direction = _direction(g.get("mod"))
    year = int(g["year"] or 0) if g.get("year") else None
    day = int(g["day"] or 0) if g.get("day") else None
    if day is not None and not 1 <= day <= 30:
        return None
    relative = year is None
    if year is None:
        if ref is None:
            return Resolved(None, "day" if day else "month", "hijri", relative=True)
        hy = gregorian_to_hijri_year(ref)
        spans = {}
        for y in (hy - 1, hy, hy + 1):
            try:
                span = (
                    (hijri_to_gregorian(y, month, day),) * 2
                    if day
                    else hijri_month_interval(y, month)
                )
            except ValueError:
                continue
            spans[span] = y
        chosen = _pick(list(spans), ref, direction if (day or direction != 0) else 2)
        year = spans[chosen]
    try:
        if day:
            d = hijri_to_gregorian(year, month, day)
            return Resolved(
                d.isoformat(),
                "day",
                "hijri",
                relative=relative,
                interval=(d.isoformat(), d.isoformat()),
                hijri=f"{year:04d}-{month:02d}-{day:02d}",
            )
        first, last = hijri_month_interval(year, month)
    except (ValueError, OverflowError):
        return None
    return Resolved(
        f"{first.isoformat()}/{last.isoformat()}",
        "month",
        "hijri",
        relative=relative,
        interval=(first.isoformat(), last.isoformat()),
        hijri=f"{year:04d}-{month:02d}",
    )


def hijri_year(year: int) -> Resolved | None:
    """A Hijri year alone (1446 هـ): the interval of its days."""
    try:
        first = hijri_to_gregorian(year, 1, 1)
        last = hijri_to_gregorian(year + 1, 1, 1) - timedelta(days=1)
    except (ValueError, OverflowError):
        return None
    return Resolved(
        f"{first.isoformat()}/{last.isoformat()}",
        "year",
        "hijri",
        interval=(first.isoformat(), last.isoformat()),
        hijri=f"{year:04d}",
    )


def year(y: int) -> Resolved:
    """A Gregorian year."""
    return Resolved(f"{y:04d}", "year", interval=(f"{y:04d}-01-01", f"{y:04d}-12-31"))


def numeric(g: dict[str, str | None]) -> Resolved | None:
    """24/1/2025 (day first, as the Arab press writes it), 2025-01-24, 15/9/1446 هـ."""
    if g.get("iy"):
        y, m, d = int(g["iy"] or 0), int(g["im"] or 0), int(g["id"] or 0)
    else:
        y, m, d = int(g["year"] or 0), int(g["month"] or 0), int(g["day"] or 0)
    if g.get("hsuf") or y < 1600:  # a Hijri year: 1446, never a Gregorian one in the news
        try:
            out = hijri_to_gregorian(y, m, d)
        except (ValueError, OverflowError):
            return None
        return Resolved(
            out.isoformat(),
            "day",
            "hijri",
            interval=(out.isoformat(),) * 2,
            hijri=f"{y:04d}-{m:02d}-{d:02d}",
        )
    try:
        out = date(y, m, d)
    except ValueError:
        return None
    return Resolved(out.isoformat(), "day", interval=(out.isoformat(),) * 2)


_DAY_OFFSETS = {"امس": -1, "الامس": -1, "البارحه": -1, "اليوم": 0, "الليله": 0, "غدا": 1, "غد": 1}


def relative_day(rel: str, ref: date | None) -> Resolved:
    """أمس, اليوم, غدا, أول أمس, بعد غد."""
    key = re.sub(r"\s+", " ", rel)
    if key in _DAY_OFFSETS:
        offset = _DAY_OFFSETS[key]
    elif key == "بعد غد":
        offset = 2
    else:  # أول أمس, أمس الأول
        offset = -2
    if ref is None:
        return Resolved(None, "day", relative=True)
    value, gran, interval = _day(ref + timedelta(days=offset))
    return Resolved(value, gran, relative=True, interval=interval)


def shifted(unit: str, n: int, ref: date | None) -> Resolved:
    """The week, month or year ``n`` units from the reference's (0: the current one)."""
    gran = {"الاسبوع": "week", "الشهر": "month", "العام": "year", "السنه": "year"}[unit]
    if ref is None:
        return Resolved(None, gran, relative=True)
    if gran == "week":
        return _week(ref + timedelta(weeks=n))
    if gran == "month":
        first = _add_months(ref, n)
        last = _month(first.year, first.month)[1]
        return Resolved(
            f"{first.year:04d}-{first.month:02d}",
            "month",
            relative=True,
            interval=(first.isoformat(), last.isoformat()),
        )
    return Resolved(
        str(ref.year + n),
        "year",
        relative=True,
        interval=(f"{ref.year + n}-01-01", f"{ref.year + n}-12-31"),
    )


def relative_count(direction: str, n: str | None, unit: str, ref: date | None) -> Resolved | None:
    """قبل ثلاثة أيام, منذ عامين, بعد أسبوع."""
    duals = {"يومين": "يوم", "اسبوعين": "اسبوع", "شهرين": "شهر", "عامين": "عام", "سنتين": "سنه"}
    plurals = {
        "ايام": "يوم",
        "اسابيع": "اسبوع",
        "اشهر": "شهر",
        "شهور": "شهر",
        "اعوام": "عام",
        "سنوات": "سنه",
    }
    if unit in duals:
        count, base = 2, duals[unit]
    elif unit in plurals:
        if not n:
            return None  # قبل أيام: a few days, no value
        count, base = int(n) if n.isdigit() else _COUNTS.get(n, 0), plurals[unit]
    else:
        count, base = (int(n) if n.isdigit() else _COUNTS.get(n, 1)) if n else 1, unit
    if count <= 0:
        return None
    sign = 1 if direction == "بعد" else -1
    if base == "يوم":
        if ref is None:
            return Resolved(None, "day", relative=True)
        value, gran, interval = _day(ref + timedelta(days=sign * count))
        return Resolved(value, gran, relative=True, interval=interval)
    unit_name = {"اسبوع": "الاسبوع", "شهر": "الشهر", "عام": "العام", "سنه": "العام"}[base]
    return shifted(unit_name, sign * count, ref)


def weekday(wd: str, mod: str | None, ref: date | None, future: bool) -> Resolved:
    """A weekday alone: the one of this week meant by the modifier or the sentence's tense."""
    target = weekday_lookup()[wd]
    if ref is None:
        return Resolved(None, "day", relative=True)
    direction = _direction(mod)
    delta = (target - ref.weekday()) % 7  # days forward to the next such weekday (0: today)
    if direction == 1:
        d = ref + timedelta(days=delta or 7)
    elif direction == -1:
        d = ref - timedelta(days=(7 - delta) % 7 or 7)
    elif future:
        d = ref + timedelta(days=delta)
    else:
        d = ref - timedelta(days=(7 - delta) % 7)
    value, gran, interval = _day(d)
    return Resolved(value, gran, relative=True, interval=interval)
