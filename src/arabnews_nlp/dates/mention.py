"""A date mention: what a date expression means, and where it is written.

Its own module so that extraction (:mod:`~arabnews_nlp.dates.extract`) and range merging
(:mod:`~arabnews_nlp.dates.ranges`) share it without importing each other.

Example:
    >>> m = DateMention(text="3 مارس 2024", start=3, end=14, value="2024-03-03", granularity="day")
    >>> m.to_dict()["value"], DateMention.from_dict(m.to_dict()) == m
    ('2024-03-03', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from arabnews_nlp.dates.resolve import Resolved

__all__ = ["DateMention"]


@dataclass(frozen=True, kw_only=True)
class DateMention(Resolved):
    """One date expression: where it is written, and what it means.

    The meaning is the fields of :class:`~arabnews_nlp.dates.resolve.Resolved` (``value``,
    ``granularity``, ``calendar``, ``month_set``, ``relative``, ``interval``, ``hijri``; see
    there); the mention adds its place in the text and, for a range, its two ends.

    Attributes:
        text: The expression as written, ``source[start:end]``.
        start: Offset of its first character.
        end: Offset one past its last character.
        bounds: For a range («من 3 إلى 5 مارس», «بين عامي 2019 و2021»), the values of its start
            and its end; ``value`` is then ``START/END`` and ``granularity`` the end's.
    """

    text: str
    start: int
    end: int
    bounds: tuple[str, str] | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict of all fields."""
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "value": self.value,
            "granularity": self.granularity,
            "calendar": self.calendar,
            "month_set": self.month_set,
            "relative": self.relative,
            "interval": list(self.interval) if self.interval else None,
            "hijri": self.hijri,
            "bounds": list(self.bounds) if self.bounds else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateMention:
        """Rebuild from :meth:`to_dict` output."""
        interval = data.get("interval")
        bounds = data.get("bounds")
        return cls(
            text=data["text"],
            start=int(data["start"]),
            end=int(data["end"]),
            value=data.get("value"),
            granularity=data["granularity"],
            calendar=data.get("calendar", "gregorian"),
            month_set=data.get("month_set"),
            relative=bool(data.get("relative")),
            interval=(str(interval[0]), str(interval[1])) if interval else None,
            hijri=data.get("hijri"),
            bounds=(str(bounds[0]), str(bounds[1])) if bounds else None,
        )
