"""The records of a corpus analysis: what stage 1 computes per article, what the output holds.

Stage 1 (per article, parallel, checkpointed) produces an :class:`ArticleAnalysis`: the article
itself, its predicted section and its entity mentions. Stage 2 (corpus level) adds the related
articles and near-duplicates, giving the :class:`AnalysisRecord` that is written out.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.entities import Entity
    >>> art = Article(id="n1", title="بوتين في دمشق", body="وصل بوتين إلى دمشق صباح اليوم.")
    >>> stage1 = ArticleAnalysis(art, "politics", "سياسة", 0.91,
    ...                          [Entity("PER", "بوتين", 0, 5, "بوتين", field="title")])
    >>> ArticleAnalysis.from_dict(stage1.to_dict()) == stage1
    True
    >>> record = AnalysisRecord(stage1, related=[RelatedLink("n7", 0.42, "زيارة إلى دمشق")])
    >>> d = record.to_dict()
    >>> d["section"], d["entities"][0]["canonical"], d["related"][0]["id"]
    ('politics', 'بوتين', 'n7')
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from arabnews_nlp.article import Article
from arabnews_nlp.dates import DateMention
from arabnews_nlp.entities import Entity, EntitySummary, aggregate_entities
from arabnews_nlp.quotes import Quote

__all__ = [
    "AnalysisRecord",
    "ArticleAnalysis",
    "ProcessingError",
    "RelatedLink",
    "StoredAnalysis",
]

#: Unique entities listed per output record (the mentions list stays complete).
TOP_ENTITIES = 10


@dataclass(frozen=True)
class ProcessingError:
    """An article that stage 1 could not analyse (the run goes on without it).

    Attributes:
        id: The article id.
        source: Where the article came from (``Article.source``), if known.
        reason: ``ExceptionType: message``.
    """

    id: str
    source: str | None
    reason: str

    def to_dict(self) -> dict[str, Any]:
        """The errors-file line: same keys as a reader's ``RecordError`` plus the id."""
        return {
            "id": self.id,
            "source": self.source,
            "record": None,
            "reason": self.reason,
            "kind": "processing",
        }


@dataclass
class ArticleAnalysis:
    """Stage-1 result for one article: everything that needs only the article itself.

    Attributes:
        article: The input article (kept so stage 2 and the report need no second read).
        section: Predicted section label (e.g. ``"sports"``).
        section_name: Its display name (e.g. ``"رياضة"``).
        section_score: The classifier's probability for ``section``.
        entities: Entity mentions with offsets into ``article.text``.
        quotes: Attributed statements (:func:`arabnews_nlp.quotes.extract_quotes`).
        dates: Date mentions, resolved against ``article.published``.
    """

    article: Article
    section: str
    section_name: str
    section_score: float
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The article id."""
        return self.article.id

    # Derived data, computed once (and read back from a checkpoint line when there is one):
    # on a whole corpus, re-aggregating and re-serializing a million mentions costs minutes.
    _summaries: list[EntitySummary] | None = field(
        default=None, init=False, repr=False, compare=False
    )
    _entity_dicts: list[dict[str, Any]] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def summaries(self) -> list[EntitySummary]:
        """Unique entities of the article, most salient first (short person names merged).

        Computed once: the output record, the related index and the corpus figures all
        read them.
        """
        if self._summaries is None:
            self._summaries = aggregate_entities(self.entities)
        return self._summaries

    def entity_dicts(self) -> list[dict[str, Any]]:
        """The mentions as :meth:`Entity.to_dict` dicts (computed once)."""
        if self._entity_dicts is None:
            self._entity_dicts = [e.to_dict() for e in self.entities]
        return self._entity_dicts

    def quote_dicts(self) -> list[dict[str, Any]]:
        """The quotes as :meth:`Quote.to_dict` dicts."""
        return [q.to_dict() for q in self.quotes]

    def date_dicts(self) -> list[dict[str, Any]]:
        """The date mentions as :meth:`DateMention.to_dict` dicts."""
        return [d.to_dict() for d in self.dates]

    def to_dict(self) -> dict[str, Any]:
        """The checkpoint line (JSON-serializable), with the entity summaries."""
        return {
            "id": self.article.id,
            "article": self.article.to_dict(),
            "section": self.section,
            "section_name": self.section_name,
            "section_score": self.section_score,
            "entities": self.entity_dicts(),
            "summaries": [s.to_dict() for s in self.summaries()],
            "quotes": self.quote_dicts(),
            "dates": self.date_dicts(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleAnalysis:
        """Rebuild from :meth:`to_dict` output (a checkpoint line)."""
        analysis = cls(
            article=Article.from_dict(data["article"]),
            section=data["section"],
            section_name=data["section_name"],
            section_score=data["section_score"],
            entities=[Entity.from_dict(e) for e in data["entities"]],
            quotes=[Quote.from_dict(q) for q in data.get("quotes") or ()],
            dates=[DateMention.from_dict(d) for d in data.get("dates") or ()],
        )
        analysis._entity_dicts = data["entities"]
        if data.get("summaries") is not None:
            analysis._summaries = [_summary_from_dict(s) for s in data["summaries"]]
        return analysis


class StoredAnalysis(ArticleAnalysis):
    """An :class:`ArticleAnalysis` read back from a checkpoint line, decoded as it is read.

    Stage 2 reads every article back to write its record, and the mentions, quotes and dates
    go from the line to the output unchanged: they stay the line's dicts until ``entities``,
    ``quotes`` or ``dates`` is read (building those objects for every article, only to turn
    them back into dicts, was a third of stage 2). Treat it as read-only, like any analysis.

    Example:
        >>> from arabnews_nlp import Article
        >>> analysis = ArticleAnalysis(Article(id="n1", title="خبر"), "politics", "سياسة", 0.9)
        >>> line = analysis.to_dict()
        >>> stored = StoredAnalysis.from_dict(line)
        >>> stored == ArticleAnalysis.from_dict(line), stored.to_dict() == line
        (True, True)
    """

    _entities: list[Entity] | None = None
    _quotes: list[Quote] | None = None
    _dates: list[DateMention] | None = None
    _raw_quotes: list[dict[str, Any]] | None = None
    _raw_dates: list[dict[str, Any]] | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoredAnalysis:
        """Wrap a checkpoint line's dict (its lists are kept, not copied)."""
        analysis = cls(
            Article.from_dict(data["article"]),
            data["section"],
            data["section_name"],
            data["section_score"],
        )
        raw = data["entities"], data.get("quotes") or [], data.get("dates") or []
        # What is not decoded now is at least the right shape (a damaged line fails here).
        if not all(isinstance(x, list) and all(isinstance(d, dict) for d in x) for x in raw):
            raise TypeError("entities, quotes and dates must be lists of objects")
        analysis._entities = analysis._quotes = analysis._dates = None
        analysis._entity_dicts, analysis._raw_quotes, analysis._raw_dates = raw
        if data.get("summaries") is not None:
            analysis._summaries = [_summary_from_dict(s) for s in data["summaries"]]
        return analysis

    @property
    def entities(self) -> list[Entity]:
        """The entity mentions (decoded on first access)."""
        if self._entities is None:
            self._entities = [Entity.from_dict(e) for e in self._entity_dicts or ()]
        return self._entities

    @entities.setter
    def entities(self, value: list[Entity]) -> None:
        self._entities, self._entity_dicts = value, None

    @property
    def quotes(self) -> list[Quote]:
        """The quotes (decoded on first access)."""
        if self._quotes is None:
            self._quotes = [Quote.from_dict(q) for q in self._raw_quotes or ()]
        return self._quotes

    @quotes.setter
    def quotes(self, value: list[Quote]) -> None:
        self._quotes, self._raw_quotes = value, None

    @property
    def dates(self) -> list[DateMention]:
        """The date mentions (decoded on first access)."""
        if self._dates is None:
            self._dates = [DateMention.from_dict(d) for d in self._raw_dates or ()]
        return self._dates

    @dates.setter
    def dates(self, value: list[DateMention]) -> None:
        self._dates, self._raw_dates = value, None

    def quote_dicts(self) -> list[dict[str, Any]]:
        """The quotes as the line holds them."""
        return self._raw_quotes if self._raw_quotes is not None else super().quote_dicts()

    def date_dicts(self) -> list[dict[str, Any]]:
        """The date mentions as the line holds them."""
        return self._raw_dates if self._raw_dates is not None else super().date_dicts()

    def __eq__(self, other: object) -> bool:
        # The dataclass's own __eq__ wants the same class: a stored analysis equals the
        # analysis it was written from.
        if not isinstance(other, ArticleAnalysis):
            return NotImplemented
        return all(getattr(self, f.name) == getattr(other, f.name) for f in _COMPARED)

    __hash__ = None  # type: ignore[assignment]


_COMPARED = tuple(f for f in fields(ArticleAnalysis) if f.compare)


def _summary_from_dict(data: dict[str, Any]) -> EntitySummary:
    mentions = tuple((int(a), int(b)) for a, b in data["mentions"])
    return EntitySummary(**{**data, "mentions": mentions, "forms": tuple(data["forms"])})


@dataclass(frozen=True)
class RelatedLink:
    """A related article (or a near-duplicate) of an analysed article.

    Attributes:
        id: The other article's id.
        score: Similarity in ``[0, 1]``.
        title: The other article's title (so the output reads without a join).
        shared_entities: Canonical names both articles mention. (Shared terms are not
            computed for a whole corpus, where they cost several times the search:
            ``RelatedIndex.related_to(ids, explain=True)`` gives them for chosen articles.)
    """

    id: str
    score: float
    title: str = ""
    shared_entities: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict."""
        return {
            "id": self.id,
            "score": self.score,
            "title": self.title,
            "shared_entities": list(self.shared_entities),
        }


@dataclass
class AnalysisRecord:
    """The full analysis of one article: stage 1 plus related articles and duplicates.

    Attributes:
        analysis: The stage-1 result (article, section, entities).
        related: Related articles, best first (near-duplicates excluded).
        duplicates: Near-duplicates (the same story republished), best first.
    """

    analysis: ArticleAnalysis
    related: list[RelatedLink] = field(default_factory=list)
    duplicates: list[RelatedLink] = field(default_factory=list)

    @property
    def id(self) -> str:
        """The article id."""
        return self.analysis.article.id

    @property
    def article(self) -> Article:
        """The analysed article."""
        return self.analysis.article

    def to_dict(self, *, include_text: bool = False) -> dict[str, Any]:
        """The output record.

        Keys: ``id``, ``title``, ``source``, ``published``, ``url``, ``given_section`` (the
        input's own label), ``section``, ``section_name``, ``section_score``, ``entities``
        (mentions with ``start``/``end`` into the article text — title, lede and body joined
        by blank lines — and ``field``/``field_start``/``field_end`` into each field),
        ``top_entities`` (unique entities by salience), ``quotes`` (who said what, offsets into
        the article text), ``dates`` (date mentions with normalized values), ``related`` and
        ``duplicates``.
        With ``include_text``, also ``lede`` and ``body``.
        """
        art = self.analysis.article
        out: dict[str, Any] = {
            "id": art.id,
            "title": art.title,
            "source": art.source,
            "published": art.published,
            "url": art.url,
            "given_section": art.section,
            "section": self.analysis.section,
            "section_name": self.analysis.section_name,
            "section_score": self.analysis.section_score,
            "entities": self.analysis.entity_dicts(),
            "top_entities": [
                {
                    "canonical": s.canonical,
                    "label": s.label,
                    "count": s.count,
                    "salience": s.salience,
                    "kb_id": s.kb_id,
                    "latin": s.latin,
                    "country": s.country,
                }
                for s in self.analysis.summaries()[:TOP_ENTITIES]
            ],
            "quotes": self.analysis.quote_dicts(),
            "dates": self.analysis.date_dicts(),
            "related": [r.to_dict() for r in self.related],
            "duplicates": [d.to_dict() for d in self.duplicates],
        }
        if include_text:
            out["lede"] = art.lede
            out["body"] = art.body
        return out
