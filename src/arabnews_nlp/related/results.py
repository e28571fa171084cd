"""What a related-articles query returns: ranked results with explanations, duplicates apart.

Example:
    >>> r = RelatedResult(id="a1", score=0.61, title="دمشق وموسكو تبحثان التعاون",
    ...                   shared_terms=["موسكو", "دمشق"], shared_entities=["موسكو"])
    >>> r.to_dict()["shared_terms"]
    ['موسكو', 'دمشق']
    >>> res = RelatedResults(query_id="q", results=[r], duplicates=[])
    >>> [x.id for x in res], len(res), res[0].score
    (['a1'], 1, 0.61)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any, overload

__all__ = ["RelatedResult", "RelatedResults"]


@dataclass(frozen=True)
class RelatedResult:
    """One candidate article for a query.

    Attributes:
        id: The candidate's article id.
        score: Cosine similarity in [0, 1] (text, blended with entity overlap when enabled).
        title: The candidate's title.
        shared_terms: Query words the candidate also contains, most score-bearing first.
        shared_entities: Entities (canonical names) found in both articles.
        section: The candidate's section, if known.
        published: The candidate's publication date (ISO-8601), if known.
        rank: 1-based position in the list it belongs to.
    """

    id: str
    score: float
    title: str = ""
    shared_terms: list[str] = field(default_factory=list)
    shared_entities: list[str] = field(default_factory=list)
    section: str | None = None
    published: str | None = None
    rank: int = 0

    @property
    def explanation(self) -> str:
        """A one-line human explanation of why the candidate was picked."""
        parts = [f"score {self.score:.3f}"]
        if self.shared_terms:
            parts.append("shared terms: " + "، ".join(self.shared_terms))
        if self.shared_entities:
            parts.append("shared entities: " + "، ".join(self.shared_entities))
        return "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (with the one-line ``explanation``)."""
        out = asdict(self)
        out["score"] = round(float(self.score), 6)
        out["explanation"] = self.explanation
        return out


@dataclass(frozen=True)
class RelatedResults(Sequence[RelatedResult]):
    """The related articles of one query, best first; near-duplicates are listed apart.

    Behaves as the sequence of ``results`` (``len``, indexing, iteration).

    Attributes:
        query_id: The query article's id (None for a bare text query).
        results: Related articles, best first.
        duplicates: Candidates above the duplicate threshold (the same story republished),
            best first; they are never in ``results``.
    """

    query_id: str | None
    results: list[RelatedResult]
    duplicates: list[RelatedResult] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.results)

    @overload
    def __getitem__(self, i: int) -> RelatedResult: ...
    @overload
    def __getitem__(self, i: slice) -> list[RelatedResult]: ...
    def __getitem__(self, i: int | slice) -> RelatedResult | list[RelatedResult]:
        return self.results[i]

    def __iter__(self) -> Iterator[RelatedResult]:
        return iter(self.results)

    @property
    def ids(self) -> list[str]:
        """The ids of ``results``, best first."""
        return [r.id for r in self.results]

    def to_dict(self) -> dict[str, Any]:
        """``{"query_id", "results": [...], "duplicates": [...]}``, JSON-serializable."""
        return {
            "query_id": self.query_id,
            "results": [r.to_dict() for r in self.results],
            "duplicates": [r.to_dict() for r in self.duplicates],
        }
