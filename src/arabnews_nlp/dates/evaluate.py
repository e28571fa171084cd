"""Scoring date extraction against hand-annotated sentences.

The annotation format is one sentence a line, ``REFERENCE<TAB>text``, with each gold mention
written ``[mention]{value}``; ``{~value}`` marks a value that depends on the reference (relative
expressions, dates without a year). Lines starting with ``#`` are comments.

Example:
    >>> [ex] = parse_date_gold("2025-03-20\\tوصل الوفد [أمس]{~2025-03-19} إلى دمشق.")
    >>> ex.text, ex.gold
    ('وصل الوفد أمس إلى دمشق.', [(10, 13, '2025-03-19', True)])
    >>> score_dates([ex]).accuracy
    1.0
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arabnews_nlp.dates.extract import extract_dates
from arabnews_nlp.dates.mention import DateMention

__all__ = ["DateExample", "DateScores", "load_date_gold", "parse_date_gold", "score_dates"]

_MARK = re.compile(r"\[([^\[\]]+)\]\{(~?)([^{}]+)\}")


@dataclass(frozen=True)
class DateExample:
    """One annotated sentence: text, reference and gold ``(start, end, value, relative)``."""

    text: str
    reference: str
    gold: list[tuple[int, int, str, bool]]


@dataclass
class DateScores:
    """Exact-value accuracy over gold mentions (a gold mention is found when a prediction
    overlaps it) and precision of the predictions, split into explicit and relative."""

    gold: dict[str, int] = field(default_factory=lambda: {"explicit": 0, "relative": 0})
    correct: dict[str, int] = field(default_factory=lambda: {"explicit": 0, "relative": 0})
    predicted: int = 0
    spurious: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        """Correct values over all gold mentions."""
        total = sum(self.gold.values())
        return sum(self.correct.values()) / total if total else 0.0

    def accuracy_of(self, kind: str) -> float:
        """Accuracy over ``"explicit"`` or ``"relative"`` gold mentions."""
        return self.correct[kind] / self.gold[kind] if self.gold[kind] else 0.0

    @property
    def precision(self) -> float:
        """Share of predictions that overlap a gold mention."""
        return 1 - self.spurious / self.predicted if self.predicted else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The figures, rounded."""
        return {
            "gold": dict(self.gold),
            "accuracy": round(self.accuracy, 4),
            "accuracy_explicit": round(self.accuracy_of("explicit"), 4),
            "accuracy_relative": round(self.accuracy_of("relative"), 4),
            "predicted": self.predicted,
            "span_precision": round(self.precision, 4),
        }


def parse_date_gold(content: str) -> list[DateExample]:
    """Parse annotated lines (see the module docstring)."""
    out: list[DateExample] = []
    for line in content.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        reference, _, marked = line.partition("\t")
        text, gold, pos = [], [], 0
        length = 0
        for m in _MARK.finditer(marked):
            text.append(marked[pos : m.start()])
            length += m.start() - pos
            gold.append((length, length + len(m.group(1)), m.group(3), m.group(2) == "~"))
            text.append(m.group(1))
            length += len(m.group(1))
            pos = m.end()
        text.append(marked[pos:])
        out.append(DateExample("".join(text), reference.strip(), gold))
    return out


def load_date_gold(path: str | Path) -> list[DateExample]:
    """Read an annotation file."""
    return parse_date_gold(Path(path).read_text(encoding="utf-8"))


def _overlap(a: tuple[int, int], b: DateMention) -> int:
    return max(0, min(a[1], b.end) - max(a[0], b.start))


def score_dates(examples: list[DateExample]) -> DateScores:
    """Run :func:`extract_dates` on every example and score it."""
    scores = DateScores()
    for ex in examples:
        predicted = extract_dates(ex.text, reference=ex.reference)
        scores.predicted += len(predicted)
        scores.spurious += sum(
            1 for p in predicted if not any(_overlap((s, e), p) for s, e, _, _ in ex.gold)
        )
        for start, end, value, relative in ex.gold:
            kind = "relative" if relative else "explicit"
            scores.gold[kind] += 1
            best = max(predicted, key=lambda p: _overlap((start, end), p), default=None)
            found = best is not None and _overlap((start, end), best) > 0
            if found and best is not None and best.value == value:
                scores.correct[kind] += 1
            else:
                scores.errors.append(
                    {
                        "text": ex.text,
                        "gold": ex.text[start:end],
                        "value": value,
                        "predicted": (best.text, best.value) if found and best else None,
                    }
                )
    return scores
