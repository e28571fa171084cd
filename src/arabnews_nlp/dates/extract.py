"""Date mentions of a text, with offsets and normalized values.

The text is folded with the ``search`` profile (offsets kept), every pattern of
:mod:`~arabnews_nlp.dates.patterns` is run, overlapping candidates are settled longest first,
and each kept match is resolved (:mod:`~arabnews_nlp.dates.resolve`) against ``reference``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

import arabnews_nlp.dates.resolve as rv
from arabnews_nlp.article import Article
from arabnews_nlp.dates.patterns import compiled, context_before, future_sentence, windows
from arabnews_nlp.normalize import normalize

__all__ = ["DateMention", "extract_dates"]


@dataclass(frozen=True, kw_only=True)
class DateMention(rv.Resolved):
    """One date expression: where it is written, and what it means.

    The meaning is the fields of :class:`~arabnews_nlp.dates.resolve.Resolved` (``value``,
    ``granularity``, ``calendar``, ``month_set``, ``relative``, ``interval``, ``hijri``; see
    there); the mention adds its place in the text.

    Attributes:
        text: The expression as written, ``source[start:end]``.
        start: Offset of its first character.
        end: Offset one past its last character.
    """

    text: str
    start: int
    end: int

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
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DateMention:
        """Rebuild from :meth:`to_dict` output.

        >>> [d] = extract_dates("في 3 مارس 2024")
        >>> DateMention.from_dict(d.to_dict()) == d
        True
        """
        interval = data.get("interval")
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
        )


def _as_date(reference: date | datetime | str | None) -> date | None:
    if reference is None or reference == "":
        return None
    if isinstance(reference, datetime):
        return reference.date()
    if isinstance(reference, date):
        return reference
    return datetime.fromisoformat(str(reference).replace("Z", "+00:00")).date()


_Candidate = tuple[int, int, str, "re.Match[str]"]


def _candidates(folded: str) -> list[_Candidate]:
    out: list[_Candidate] = []
    patterns = compiled()
    for lo, hi, kinds in windows(folded):
        for kind in kinds:
            for m in patterns[kind].finditer(folded, lo, hi):
                s, e = m.span("m")
                out.append((s, e, kind, m))
    return out


def _select(cands: list[_Candidate]) -> list[_Candidate]:
    """Non-overlapping candidates, longest first (a weekday inside a full date goes)."""
    taken: list[_Candidate] = []
    for c in sorted(cands, key=lambda c: (c[0] - c[1], c[0])):
        if all(c[1] <= t[0] or c[0] >= t[1] for t in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c[0])


def _resolve(kind: str, m: re.Match[str], folded: str, ref: date | None) -> rv.Resolved | None:
    g = m.groupdict()
    if kind in ("gregorian", "hijri"):
        explicit = g.get("day") or g.get("year") or g.get("shahr") or g.get("mod")
        if not explicit and not context_before(folded, m.start("m")):
            return None  # مارس الضغط, قال رمضان: a bare name is no date without context
        if kind == "gregorian":
            short = (g["mon"] or "") in ("اب", "ماي") and not (g.get("day") or g.get("year"))
            return None if short else rv.gregorian(g, ref)
        if g.get("year") and not g.get("hsuf") and int(g["year"] or 0) > 1600:
            return None  # "15 رمضان 2025": a Gregorian year does not fit a Hijri month
        return rv.hijri(g, ref)
    if kind == "hijri_year":
        return rv.hijri_year(int(g["year"] or 0))
    if kind in ("year", "bare_year"):
        return rv.year(int(g.get("year") or g.get("year2") or 0))
    if kind == "numeric":
        return rv.numeric(g)
    if kind == "relative_day":
        return rv.relative_day(g["rel"] or "", ref)
    if kind == "relative_unit":
        unit = g.get("unit") or g.get("unit2") or ""
        n = 0 if g.get("this") else {-1: -1, 1: 1}.get(rv._direction(g.get("mod")), 0)
        return rv.shifted(unit, n, ref)
    if kind == "relative_count":
        return rv.relative_count(g["dir"] or "", g.get("n"), g["cunit"] or "", ref)
    if kind == "weekday":
        s, e = m.span("m")
        return rv.weekday(g["wd"] or "", g.get("mod"), ref, future_sentence(folded, s, e))
    raise AssertionError(kind)  # pragma: no cover


def extract_dates(
    x: str | Article, reference: date | datetime | str | None = None
) -> list[DateMention]:
    """Find the date expressions of a text and normalize them.

    Args:
        x: A string, or an :class:`Article` (then the text is ``article.text`` and the
            reference defaults to ``article.published``).
        reference: The date relative expressions are read against (usually the publication
            date): a ``date``, ``datetime`` or ISO string. Without one, relative mentions are
            still found but have ``value=None``.

    Returns:
        The mentions in text order, with offsets into the text as given.

    Example:
        >>> text = "التقى الوفدان أمس، بعد اجتماع 24 كانون الثاني/يناير 2025 و15 رمضان 1446 هـ."
        >>> [(d.text, d.value) for d in extract_dates(text, reference="2025-03-20")]
        ... # doctest: +NORMALIZE_WHITESPACE
        [('أمس', '2025-03-19'), ('24 كانون الثاني/يناير 2025', '2025-01-24'),
         ('15 رمضان 1446 هـ', '2025-03-15')]
        >>> [d.value for d in extract_dates("الأسبوع المقبل وجانفي الماضي", "2025-03-20")]
        ['2025-W13', '2025-01']
    """
    if isinstance(x, Article):
        text = x.text
        if reference is None:
            reference = x.published
    else:
        text = x
    ref = _as_date(reference)
    nt = normalize(text, profile="search", return_offsets=True)
    folded = nt.text
    out: list[DateMention] = []
    for s, e, kind, m in _select(_candidates(folded)):
        resolved = _resolve(kind, m, folded, ref)
        if resolved is None:
            continue
        start, end = nt.span_to_original(s, e)
        out.append(
            DateMention(
                text=text[start:end],
                start=start,
                end=end,
                **{f.name: getattr(resolved, f.name) for f in fields(resolved)},
            )
        )
    return out
