"""From a raw record (a dict a format reader produced) to a validated :class:`Article`.

All formats funnel through :func:`build_article`, so the rules are the same everywhere:
column renames and aliases, lenient dates, required fields, and detection of bytes that
were not valid in the declared encoding.

Example:
    >>> from arabnews_nlp.corpus.options import ReadOptions
    >>> raw = {"headline": "أمطار غزيرة في عمّان", "text": "هطلت أمطار غزيرة.",
    ...        "date": "Mon, 05 Feb 2018 10:00:00 GMT"}
    >>> article, warning = build_article(raw, ReadOptions())
    >>> article.title, article.published, warning
    ('أمطار غزيرة في عمّان', '2018-02-05T10:00:00+00:00', None)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

from arabnews_nlp.article import Article, parse_date
from arabnews_nlp.corpus.errors import RecordProblem
from arabnews_nlp.corpus.options import ReadOptions
from arabnews_nlp.corpus.values import check_value, parse_json

__all__ = ["RawRecord", "RecordProblem", "build_article", "coerce_date"]

# Used only when the canonical field is absent, so an input that has both keeps both
# (the alias then lands in meta like any unknown key).
ALIASES: dict[str, tuple[str, ...]] = {
    "title": ("headline", "heading"),
    "body": ("text", "content", "article", "body_text"),
    "published": ("date", "time", "published_at", "pub_date", "datetime", "timestamp"),
    "section": ("category", "cat"),
    "url": ("link", "href"),
    "lede": ("abstract", "summary", "description"),
    "tags": ("keywords",),
}
_OPTIONAL_TEXT = ("id", "section", "url", "source", "lede")
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "0123456789" * 2)
_DATE_FORMATS = (
    "%Y-%m-%d %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%Y",
    "%Y%m%d",
)


@dataclass(frozen=True)
class RawRecord:
    """A record as a format reader saw it: its position in the file and its fields."""

    record: int | None
    data: dict[str, Any]


def coerce_date(value: Any) -> str | None:
    """ISO-8601 string for ISO, RFC 2822 (``Sun, 15 Jul 2018 21:56:56 +0400``) and common
    numeric day/month/year layouts, with Arabic-Indic digits accepted.

    Raises:
        ValueError: when no layout fits.

    >>> coerce_date("٢٠١٨/٠٣/٠٥")
    '2018-03-05T00:00:00'
    """
    try:
        return parse_date(value)
    except ValueError:
        pass
    text = str(value).strip().translate(_DIGITS)
    try:
        return parse_date(text)
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).isoformat()
    except (TypeError, ValueError, IndexError):
        pass
    for layout in _DATE_FORMATS:
        try:
            return datetime.strptime(text, layout).isoformat()
        except ValueError:
            continue
    raise ValueError(f"unparseable date: {value!r}")


def _rename(data: dict[str, Any], options: ReadOptions) -> dict[str, Any]:
    out = dict(data)
    if options.columns:
        for old, new in options.columns.items():
            if old in out:
                value = out.pop(old)
                if new is not None:
                    out[new] = value
    if options.aliases:
        for canonical, alternatives in ALIASES.items():
            for alias in alternatives:
                if alias not in out:
                    continue
                if out[alias] in (None, ""):
                    del out[alias]  # an empty alias cell carries nothing worth keeping in meta
                elif out.get(canonical) in (None, ""):
                    out[canonical] = out.pop(alias)
    return out


def _decode_json_text(value: Any, name: str, expected: type) -> Any:
    # Tabular formats store tags/meta as JSON text (that is how our writers keep them);
    # an empty cell means "absent".
    if value == "":
        return None
    if isinstance(value, str) and value[:1] in "[{":
        try:
            value = parse_json(value)
        except RecordProblem as problem:
            if problem.kind != "parse":  # too deep: never kept, whatever the field
                raise RecordProblem(problem.kind, f"{name}: {problem.reason}") from None
            if expected is dict:
                raise RecordProblem("type", f"{name} is not valid JSON: {problem.reason}") from None
    if expected is dict and value is not None and not isinstance(value, dict):
        raise RecordProblem("type", f"{name} must be an object, got {type(value).__name__}")
    return value


def build_article(data: dict[str, Any], options: ReadOptions) -> tuple[Article, str | None]:
    """Validate a raw record and build the Article.

    Returns:
        The article and an optional warning (an unparseable date: the raw value is kept
        in ``meta["published_raw"]`` and ``published`` is None; the record is not lost).

    Raises:
        RecordProblem: missing required field, wrong field type, or undecodable bytes.
    """
    fields = _rename(data, options)
    for name in _OPTIONAL_TEXT:
        if fields.get(name) == "":
            fields[name] = None  # empty CSV cells mean "absent", not "the empty section"
    meta = _decode_json_text(fields.pop("meta", None), "meta", dict)
    meta = dict(meta or {})
    fields["tags"] = _decode_json_text(fields.get("tags"), "tags", list)
    warning = None
    raw_date = fields.pop("published", None)
    try:
        fields["published"] = coerce_date(raw_date)
    except ValueError:
        fields["published"] = None
        meta["published_raw"] = raw_date if isinstance(raw_date, str) else str(raw_date)
        warning = f"unparseable date {raw_date!r}, kept in meta['published_raw']"
    if options.source and not fields.get("source"):
        fields["source"] = options.source
    fields["meta"] = meta
    problem = check_value(fields, options.encoding)
    if problem is not None:
        raise problem
    try:
        article = Article.from_dict(fields)
    except (TypeError, ValueError) as exc:
        raise RecordProblem("type", str(exc)) from None
    missing = [name for name in options.require if not _present(getattr(article, name))]
    if missing:
        raise RecordProblem("missing_field", "missing " + " and ".join(missing))
    return article, warning


def _present(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return bool(value)
