"""One entity mention at original character offsets (:class:`Entity`), the unit every other
entities module returns or consumes.

It lives in its own module so that extraction, propagation, aggregation and rendering can all
import it without importing one another.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import cached_property
from typing import Any

from arabnews_nlp.entities.canonical import entity_key

__all__ = ["LINK_FIELDS", "Entity", "LinkFields"]


@dataclass(frozen=True, kw_only=True)
class LinkFields:
    """What entity linking knows about an entity (all None when it is unresolved); shared by a
    mention (:class:`Entity`), an article's entity summary and a corpus entity count.

    Attributes:
        kb_id: The knowledge-table id (``geonames:524901``, ``iso:SY``,
            ``person:vladimir-putin``), see :mod:`arabnews_nlp.entities.linking`.
        latin: The Latin/English name (for an unresolved person: a transliteration).
        country: ISO 3166-1 alpha-2 code of the place, or of the person's/organisation's
            country, when known.
        lat: Latitude of a resolved place.
        lon: Longitude of a resolved place.
        kind: ``"country"``, ``"region"`` or ``"city"`` for a resolved place.
    """

    kb_id: str | None = None
    latin: str | None = None
    country: str | None = None
    lat: float | None = None
    lon: float | None = None
    kind: str | None = None


#: The names of the :class:`LinkFields`.
LINK_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(LinkFields))


@dataclass(frozen=True)
class Entity(LinkFields):
    """One entity mention.

    Attributes:
        label: ``"PER"``, ``"LOC"`` or ``"ORG"``.
        text: The surface form, exactly ``source[start:end]``.
        start: Character offset of the first character in the original text.
        end: Character offset one past the last character.
        canonical: The canonical name (no clitics, diacritics or titles), see
            :func:`~arabnews_nlp.entities.canonical.canonical_name`.
        score: The model's confidence in ``[0, 1]``, or None if the model gives none.
        field: For an article: ``"title"``, ``"lede"`` or ``"body"``; None for a plain string.
        field_start: Offset of the mention inside its field (None for a plain string).
        field_end: End offset inside its field (None for a plain string).

    Plus the keyword-only :class:`LinkFields` (``kb_id``, ``latin``, ``country``, ``lat``,
    ``lon``, ``kind``).

    Example:
        >>> e = Entity("LOC", "بموسكو", 10, 16, "موسكو", 0.93)
        >>> e.key, e.to_dict()["canonical"]
        ('موسكو', 'موسكو')
    """

    label: str
    text: str
    start: int
    end: int
    canonical: str
    score: float | None = None
    field: str | None = None
    field_start: int | None = None
    field_end: int | None = None

    @cached_property
    def key(self) -> str:
        """The ``search``-normalized canonical name, for matching across spellings."""
        # cached_property writes the instance __dict__ directly, so it works on a frozen class;
        # the key is read many times (propagation, aggregation, output).
        return entity_key(self.canonical)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict of all fields plus ``key``."""
        # Explicit rather than dataclasses.asdict, which deep-copies and is slow on big corpora.
        return {
            "label": self.label,
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "canonical": self.canonical,
            "score": self.score,
            "field": self.field,
            "field_start": self.field_start,
            "field_end": self.field_end,
            "key": self.key,
            **{name: getattr(self, name) for name in LINK_FIELDS},
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        """Rebuild an entity from :meth:`to_dict` output (``key`` and unknown keys are ignored).

        >>> e = Entity("PER", "بوتين", 4, 9, "بوتين", 0.9)
        >>> Entity.from_dict(e.to_dict()) == e
        True
        """
        return cls(**{name: data[name] for name in _ENTITY_FIELDS if name in data})


# Computed once: dataclasses.fields() is slow when a corpus checkpoint rebuilds every mention.
_ENTITY_FIELDS = tuple(f.name for f in fields(Entity))
