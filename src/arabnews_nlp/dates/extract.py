"""Date mentions of a text, with offsets and normalized values.

The text is folded with the ``search`` profile (offsets kept), every pattern of
:mod:`~arabnews_nlp.dates.patterns` is run, overlapping candidates are settled longest first,
and each kept match is resolved (:mod:`~arabnews_nlp.dates.resolve`) against ``reference``.
"""

from __future__ import annotations

import re
from dataclasses import fields, replace
from datetime import date, datetime

import arabnews_nlp.dates.resolve as rv
from arabnews_nlp._search_fold import search_fold
from arabnews_nlp.article import Article
from arabnews_nlp.dates.mention import DateMention
from arabnews_nlp.dates.patterns import compiled, context_before, future_sentence, windows
from arabnews_nlp.dates.ranges import Item, merge_ranges, year_ranges

__all__ = ["extract_dates"]


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
    nt = search_fold(text)
    folded = nt.text
    years = year_ranges(folded)
    items: list[Item] = []
    for s, e, kind, m in _select(_candidates(folded)):
        if any(s < ye and ys < e for ys, ye, _, _ in years):
            continue  # part of «بين عامي 2019 و2021»
        resolved = _resolve(kind, m, folded, ref)
        if resolved is not None:
            fields_ = {f.name: getattr(resolved, f.name) for f in fields(resolved)}
            items.append((s, e, DateMention(text="", start=s, end=e, **fields_)))
    for ys, ye, y1, y2 in years:
        interval = (f"{y1}-01-01", f"{y2}-12-31")
        mention = DateMention(
            text="",
            start=ys,
            end=ye,
            value=f"{y1}/{y2}",
            granularity="year",
            interval=interval,
            bounds=(y1, y2),
        )
        items.append((ys, ye, mention))
    out: list[DateMention] = []
    for s, e, mention in merge_ranges(folded, sorted(items, key=lambda item: item[0])):
        start, end = nt.span_to_original(s, e)
        out.append(replace(mention, text=text[start:end], start=start, end=end))
    return out
