"""Scoring quote attribution against hand-annotated articles.

The annotation format is one short article a line, with ``[[sN:...]]`` the speaker of quote N,
``[[cN:...]]`` its cue (``[[nN:...]]`` a denying cue), ``[[qN:...]]`` reported or ``[[dN:...]]``
direct content, ``[[rN:...]]`` a source it came through, and ``[[sN=...]]`` a speaker that is not
written at the quote (the earlier mention it refers to; nothing is inserted in the text).

A predicted quote matches a gold one when their contents overlap by at least 80% of the longer
of the two; it is correct when its speaker is also the gold speaker (same words after folding).

Example:
    >>> [ex] = parse_quote_gold("[[c1:قال]] [[s1:الوزير]] إن [[q1:الوضع مستقر]].")
    >>> ex.text, ex.quotes[0]["speaker"], ex.quotes[0]["content"]
    ('قال الوزير إن الوضع مستقر.', 'الوزير', (14, 25))
    >>> score_quotes([ex]).f1
    1.0
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from arabnews_nlp.normalize import normalize
from arabnews_nlp.quotes.extract import extract_quotes
from arabnews_nlp.quotes.model import Quote

__all__ = ["QuoteExample", "QuoteScores", "load_quote_gold", "parse_quote_gold", "score_quotes"]

_MARK = re.compile(r"\[\[([scnqdr])(\d+)([:=])(.*?)\]\]")
MIN_OVERLAP = 0.8


@dataclass
class QuoteExample:
    """One annotated article: its text and gold quotes (dicts keyed by part)."""

    text: str
    quotes: list[dict[str, Any]]


def parse_quote_gold(content: str) -> list[QuoteExample]:
    """Parse annotated lines (see the module docstring)."""
    out = []
    for line in content.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts: list[str] = []
        length = 0
        pos = 0
        gold: dict[str, dict[str, Any]] = {}
        for m in _MARK.finditer(line):
            parts.append(line[pos : m.start()])
            length += m.start() - pos
            pos = m.end()
            tag, number, how, inner = m.groups()
            q = gold.setdefault(number, {"sources": []})
            if how == "=":
                q["speaker"] = inner
                continue
            span = (length, length + len(inner))
            parts.append(inner)
            length += len(inner)
            if tag == "s":
                q["speaker"] = inner
            elif tag in "cn":
                q["cue"], q["negated"] = span, tag == "n"
            elif tag in "qd":
                q["content"], q["kind"] = span, "direct" if tag == "d" else "reported"
            else:
                q["sources"].append(inner)
        parts.append(line[pos:])
        out.append(QuoteExample("".join(parts), [gold[k] for k in sorted(gold, key=int)]))
    return out


def load_quote_gold(path: str | Path) -> list[QuoteExample]:
    """Read an annotation file."""
    return parse_quote_gold(Path(path).read_text(encoding="utf-8"))


def _fold(s: str | None) -> str:
    return " ".join(normalize(s or "", profile="search").split())


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> float:
    inter = max(0, min(a[1], b[1]) - max(a[0], b[0]))
    return inter / max(a[1] - a[0], b[1] - b[0], 1)


@dataclass
class QuoteScores:
    """Counts and the precision/recall/F1 they give (speaker and content both right)."""

    gold: int = 0
    predicted: int = 0
    content_matched: int = 0
    correct: int = 0
    cue_correct: int = 0
    kind_correct: int = 0
    negated_correct: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        """Correct quotes over predicted quotes."""
        return self.correct / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        """Correct quotes over gold quotes."""
        return self.correct / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        """The figures, rounded."""
        matched = self.content_matched or 1
        return {
            "gold": self.gold,
            "predicted": self.predicted,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
            "content_precision": round(self.content_matched / (self.predicted or 1), 4),
            "content_recall": round(self.content_matched / (self.gold or 1), 4),
            "cue_accuracy": round(self.cue_correct / matched, 4),
            "kind_accuracy": round(self.kind_correct / matched, 4),
            "negated_accuracy": round(self.negated_correct / matched, 4),
        }


def score_quotes(
    examples: Sequence[QuoteExample],
    extract: Callable[[str], list[Quote]] = extract_quotes,
) -> QuoteScores:
    """Run ``extract`` on every example and score it."""
    scores = QuoteScores()
    for ex in examples:
        predicted = extract(ex.text)
        scores.gold += len(ex.quotes)
        scores.predicted += len(predicted)
        free = list(range(len(ex.quotes)))
        for p in predicted:
            span = (p.content.start, p.content.end)
            best = max(free, key=lambda g: _overlap(span, ex.quotes[g]["content"]), default=None)
            if best is None or _overlap(span, ex.quotes[best]["content"]) < MIN_OVERLAP:
                scores.errors.append({"text": ex.text, "spurious": p.content.text})
                continue
            free.remove(best)
            g = ex.quotes[best]
            scores.content_matched += 1
            speaker = p.speaker.text if p.speaker else None
            if _fold(speaker) == _fold(g.get("speaker")):
                scores.correct += 1
            else:
                scores.errors.append(
                    {"text": ex.text, "gold_speaker": g.get("speaker"), "speaker": speaker}
                )
            scores.cue_correct += _overlap((p.cue.start, p.cue.end), g["cue"]) > 0
            scores.kind_correct += p.kind == g["kind"]
            scores.negated_correct += p.negated == g["negated"]
        for index in free:
            start, end = ex.quotes[index]["content"]
            scores.errors.append({"text": ex.text, "missed": ex.text[start:end]})
    return scores
