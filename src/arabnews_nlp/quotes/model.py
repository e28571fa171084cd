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
        resolved: ``"pronoun"`` or ``"role"`` when the speaker was resolved within the article;
            None when it is written at the quote.
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
