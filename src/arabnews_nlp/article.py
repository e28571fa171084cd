"""The one article model every capability reads and writes.

Example:
    >>> from arabnews_nlp import Article
    >>> a = Article(title="الرئيس يصل موسكو", body="وصل الرئيس إلى موسكو.", source="demo")
    >>> a.id == Article(title="الرئيس يصل موسكو", body="...", source="demo").id
    True
    >>> Article.from_dict(a.to_dict()) == a
    True
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, fields
from datetime import date, datetime
from typing import Any

__all__ = ["HEADLINE_WORDS", "TEXT_FIELDS", "Article", "make_article_id", "parse_date"]

#: The fields :attr:`Article.text` joins, in order (blank lines between the non-empty ones).
TEXT_FIELDS: tuple[str, ...] = ("title", "lede", "body")
#: Words of the body shown in place of a missing title.
HEADLINE_WORDS = 8


def _tag_list(tags: Any) -> list[str]:
    """Tags as a list: None is none, a string is split on commas (Latin or Arabic)."""
    if tags is None:
        return []
    if isinstance(tags, str):
        return [t.strip() for t in tags.replace("،", ",").split(",") if t.strip()]
    if isinstance(tags, (list, tuple)):
        return [str(t) for t in tags]
    raise TypeError(f"tags must be a list of strings, got {type(tags).__name__}")


def make_article_id(source: str | None, title: str | None, published: str | None) -> str:
    """A stable id for an article that has none: a short hash of source, title and date.

    >>> make_article_id("demo", "عنوان", "2024-01-02")
    'a-5b7d5dd4bfee4bd7'
    """
    key = "\x1f".join(x or "" for x in (source, title, published))
    return "a-" + hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


def parse_date(value: Any) -> str | None:
    """Parse a date/datetime (or ISO-8601 string) into a normalized ISO-8601 string.

    Returns None for empty input and raises ValueError for an unparseable string, so
    readers can report the record instead of guessing.

    >>> parse_date("2018-03-05T10:20:00Z")
    '2018-03-05T10:20:00+00:00'
    >>> parse_date("2018-03-05")
    '2018-03-05'
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value).strip()
    if not text:
        return None
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return datetime.fromisoformat(text.replace(" ", "T", 1)).isoformat()
    except ValueError:
        raise ValueError(f"unparseable date: {value!r}") from None


@dataclass
class Article:
    """A news article.

    Attributes:
        id: Stable identifier; derived from source, title (the body when there is no title)
            and date when not given.
        title: Headline; may be empty (social posts, wire snippets), see :attr:`headline`.
        body: Main text (paragraphs separated by newlines).
        section: Section label as the source gave it (or a predicted one).
        tags: Keywords/tags.
        published: Publication date/time as an ISO-8601 string, or None.
        url: Canonical URL.
        source: Outlet or file it came from.
        lede: Standfirst/abstract, if separate from the body.
        meta: Anything else (reader-specific fields, related-article stubs, ...).
    """

    title: str = ""
    body: str = ""
    id: str = ""
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    published: str | None = None
    url: str | None = None
    source: str | None = None
    lede: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.published = parse_date(self.published)
        if not self.id:
            # Untitled posts of one source and day must not all get the same id.
            self.id = make_article_id(self.source, self.title or self.body, self.published)
        self.id = str(self.id)

    @property
    def text(self) -> str:
        """Title, lede and body joined by blank lines (the text the models read)."""
        return "\n\n".join(part for name in TEXT_FIELDS if (part := getattr(self, name)))

    @property
    def headline(self) -> str:
        """The title, or for an untitled article the first words of its body (for display).

        >>> Article(body="انقطعت الكهرباء عن أحياء واسعة من المدينة مساء أمس لساعات").headline
        'انقطعت الكهرباء عن أحياء واسعة من المدينة مساء…'
        """
        if self.title or not self.body:
            return self.title
        words = self.body.split()
        return " ".join(words[:HEADLINE_WORDS]) + ("…" if len(words) > HEADLINE_WORDS else "")

    @property
    def published_datetime(self) -> datetime | None:
        """`published` as a datetime (midnight for a bare date), or None."""
        if not self.published:
            return None
        return datetime.fromisoformat(self.published)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict of all fields."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], *, strict: bool = False) -> Article:
        """Build an Article from a mapping; unknown keys go to `meta` unless `strict`.

        Raises:
            TypeError: when a known field has the wrong type.
            ValueError: when `published` cannot be parsed, or `strict` and keys are unknown.
        """
        known = {f.name for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        extra: dict[str, Any] = {}
        for key, value in data.items():
            if key in known:
                kwargs[key] = value
            else:
                extra[key] = value
        if extra and strict:
            raise ValueError(f"unknown article fields: {sorted(extra)}")
        for name in ("title", "body"):
            value = kwargs.get(name)
            if value is None:
                kwargs[name] = ""
            elif not isinstance(value, str):
                raise TypeError(f"{name} must be a string, got {type(value).__name__}")
        for name in ("id", "section", "url", "source", "lede"):
            value = kwargs.get(name)
            if value is not None and not isinstance(value, (str, int)):
                raise TypeError(f"{name} must be a string, got {type(value).__name__}")
            if value is not None:
                kwargs[name] = str(value)
        kwargs["tags"] = _tag_list(kwargs.get("tags"))
        meta = dict(kwargs.get("meta") or {})
        meta.update(extra)
        kwargs["meta"] = meta
        return cls(**kwargs)
