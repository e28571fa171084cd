"""What quote attribution returns: spans of the original text and the quotes made of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Quote", "Span"]


@dataclass(frozen=True)
class Span:
    """A piece of the original text: ``source[start:end] == text``."""

    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        """``{"text", "start", "end"}``."""
        return {"text": self.text, "start": self.start, "end": self.end}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Span:
        """Rebuild from :meth:`to_dict` output."""
        return cls(str(data["text"]), int(data["start"]), int(data["end"]))


@dataclass(frozen=True)
class Quote:
    """One attributed statement.

    Attributes:
        content: What was said (inside the quotation marks, or the reported clause).
        cue: The reporting word (وقال, أكدت, بحسب, مشيرا...).
        kind: ``"direct"`` (quotation marks or a colon) or ``"reported"``.
        speaker: Who said it as written; for a cue without one («وأضاف أن»), the speaker of the
            quote it continues (then ``resolved="pronoun"``). None when nobody was found.
        speaker_label: ``"PER"``, ``"ORG"`` or ``"LOC"`` when the speaker is (or names) an
            entity of the entity list.
        speaker_entity: That entity's canonical name.
        resolved: How a speaker not written at the quote was found: ``"pronoun"`` (the
            speaker of the quote it continues), ``"subject"`` (the subject of the clause the cue
            continues: «وأشاد المدرب بلاعبيه، وقال: ...») or ``"role"`` (a role linked to the
            person named with it earlier); None when the speaker is written at the quote.
        negated: The cue denies the content (نفى, نفت).
        sources: The outlets the statement came through, outermost first (نقلت رويترز عن...).
    """

    content: Span
    cue: Span
    kind: str
    speaker: Span | None = None
    speaker_label: str | None = None
    speaker_entity: str | None = None
    resolved: str | None = None
    negated: bool = False
    sources: tuple[Span, ...] = ()

    @property
    def speaker_name(self) -> str | None:
        """The entity's canonical name when linked, else the speaker as written."""
        if self.speaker_entity:
            return self.speaker_entity
        return self.speaker.text if self.speaker else None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict (spans as ``{"text", "start", "end"}``)."""
        return {
            "speaker": self.speaker.to_dict() if self.speaker else None,
            "speaker_label": self.speaker_label,
            "speaker_entity": self.speaker_entity,
            "resolved": self.resolved,
            "cue": self.cue.to_dict(),
            "content": self.content.to_dict(),
            "kind": self.kind,
            "negated": self.negated,
            "sources": [s.to_dict() for s in self.sources],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Quote:
        """Rebuild from :meth:`to_dict` output.

        >>> q = Quote(Span("نعم", 10, 13), Span("قال", 0, 3), "direct", Span("الوزير", 4, 10))
        >>> Quote.from_dict(q.to_dict()) == q
        True
        """
        speaker = data.get("speaker")
        return cls(
            content=Span.from_dict(data["content"]),
            cue=Span.from_dict(data["cue"]),
            kind=data["kind"],
            speaker=Span.from_dict(speaker) if speaker else None,
            speaker_label=data.get("speaker_label"),
            speaker_entity=data.get("speaker_entity"),
            resolved=data.get("resolved"),
            negated=bool(data.get("negated")),
            sources=tuple(Span.from_dict(s) for s in data.get("sources") or ()),
        )
