"""The run summary: counts, errors, sections, top entities, example related pairs and timings.

Written to ``OUTPUT.summary.json`` and printed at the end of ``arabnews analyze``.

Example:
    >>> s = RunSummary(read=3, analysed=3, written=3, sections={"sports": 2, "economy": 1},
    ...                section_names={"sports": "رياضة", "economy": "اقتصاد"},
    ...                timings={"total": 1.5})
    >>> s.exit_code, s.to_dict()["articles_per_s"]
    (0, 2.0)
    >>> print(s.render().splitlines()[0])
    Analysed 3 articles (3 read, 0 resumed, 0 failed) in 1.5 s — 2.0 articles/s
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.stats import CorpusStats

__all__ = ["RelatedPairs", "RunSummary"]

#: Entities and related pairs listed in the printed summary.
SHOWN = 5


@dataclass
class RunSummary:
    """What a run did.

    Attributes:
        read: Articles the readers yielded (including those skipped as already done).
        reader_errors: Input records the readers rejected (bad JSON, missing body, ...).
        error_kinds: Count per error kind (reader kinds plus ``processing``).
        resumed: Articles taken from the checkpoint of an interrupted run.
        analysed: Articles analysed in this run.
        failed: Articles whose analysis raised an error.
        written: Records in the output.
        sections: Output records per predicted section.
        section_names: Display names of the sections.
        top_entities: Per label, ``[name, articles]`` of the most mentioned entities.
        related_pairs: Example ``{"a", "b", "score"}`` title pairs, highest score first.
        duplicate_links: Near-duplicate links found.
        agreement: ``{"labelled", "agree", "rate"}``: how often the predicted section is the
            input's own label mapped to the taxonomy (empty when the input has no labels).
        timings: Seconds per phase (``stage1``, ``related``, ``write``, ``report``, ``total``).
        n_jobs: Processes used for stage 1.
        outputs: Paths written (``output``, ``errors``, ``summary``, ``report``).
    """

    read: int = 0
    reader_errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)
    resumed: int = 0
    analysed: int = 0
    failed: int = 0
    written: int = 0
    sections: dict[str, int] = field(default_factory=dict)
    section_names: dict[str, str] = field(default_factory=dict)
    top_entities: dict[str, list[list[Any]]] = field(default_factory=dict)
    related_pairs: list[dict[str, Any]] = field(default_factory=list)
    duplicate_links: int = 0
    agreement: dict[str, Any] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    n_jobs: int = 1
    outputs: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> int:
        """Records that did not make it to the output (reader rejections + failed analyses)."""
        return self.reader_errors + self.failed

    @property
    def exit_code(self) -> int:
        """0 when every record made it, 1 when any record failed."""
        return 1 if self.errors else 0

    def add_corpus(self, records: Iterable[AnalysisRecord], stats: CorpusStats) -> None:
        """Fill the section, entity and related figures from the final records."""
        pairs = RelatedPairs()
        for record in records:
            pairs.add(record)
        self.add_figures(stats, pairs)

    def add_figures(self, stats: CorpusStats, pairs: RelatedPairs) -> None:
        """Fill the section, entity and related figures from collected figures (a run that
        streams its records collects them as it writes)."""
        self.written = stats.total
        self.sections = dict(stats.sections)
        self.section_names = dict(stats.section_names)
        self.top_entities = {
            label: [[e.name, e.articles] for e in stats.top(label, SHOWN)]
            for label in ("PER", "LOC", "ORG")
        }
        self.duplicate_links = stats.duplicate_links
        if stats.agreement_rate is not None:
            rate = round(stats.agreement_rate, 4)
            self.agreement = {"labelled": stats.labelled, "agree": stats.agreement, "rate": rate}
        self.related_pairs = pairs.best(SHOWN)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-serializable dict, plus ``errors``, ``exit_code`` and ``articles_per_s``."""
        data = asdict(self)
        total = self.timings.get("total") or 0.0
        data["errors"] = self.errors
        data["exit_code"] = self.exit_code
        data["articles_per_s"] = round(self.written / total, 1) if total else None
        return data

    def render(self) -> str:
        """A short human-readable text (what the CLI prints)."""
        total = self.timings.get("total") or 0.0
        rate = f" — {self.written / total:.1f} articles/s" if total else ""
        lines = [
            f"Analysed {self.written} articles ({self.read} read, {self.resumed} resumed, "
            f"{self.failed} failed) in {total:.1f} s{rate}"
        ]
        if self.errors:
            kinds = ", ".join(f"{k}: {n}" for k, n in sorted(self.error_kinds.items()))
            lines.append(f"Errors: {self.errors} record(s) skipped ({kinds})")
        if self.sections:
            lines.append("Sections:")
            width = max(len(s) for s in self.sections)
            for label, n in self.sections.items():
                name = self.section_names.get(label, label)
                share = 100 * n / max(self.written, 1)
                # The Arabic name goes last: its width on screen is not its length.
                lines.append(f"  {label:<{width}}  {n:>6}  {share:5.1f}%  {name}")
        if self.agreement:
            a = self.agreement
            lines.append(
                f"Agreement with the input's own sections: {100 * a['rate']:.1f}% "
                f"of {a['labelled']} labelled articles"
            )
        for label, title in (("PER", "People"), ("LOC", "Places"), ("ORG", "Organizations")):
            top = self.top_entities.get(label)
            if top:
                lines.append(f"Top {title.lower()}: " + "، ".join(f"{n} ({c})" for n, c in top))
        if self.related_pairs:
            lines.append("Related pairs:")
            for pair in self.related_pairs:
                lines.append(f"  {pair['score']:.2f}  {pair['a']}  ↔  {pair['b']}")
        if self.duplicate_links:
            lines.append(f"Near-duplicate links: {self.duplicate_links}")
        if self.timings:
            lines.append("Timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()))
        for what, path in self.outputs.items():
            lines.append(f"{what.capitalize()} file: {path}")
        return "\n".join(lines)


class RelatedPairs:
    """Each article's best related article, each pair once: the summary's example pairs.

    Collected one record at a time; what is kept per article is its best link (score,
    headline, the other's id and title), and the headline of untitled articles.

    Example:
        >>> RelatedPairs().best(5)
        []
    """

    def __init__(self) -> None:
        self._pairs: dict[tuple[str, ...], tuple[float, str, str, str]] = {}
        # An untitled article is shown by the first words of its body, as in the report.
        self._untitled: dict[str, str] = {}

    def add(self, record: AnalysisRecord) -> None:
        """Take the record's best link (a pair seen again keeps its first place, newest text)."""
        if not record.article.title:
            self._untitled[record.id] = record.article.headline
        for link in record.related[:1]:
            key = tuple(sorted((record.id, link.id)))
            self._pairs[key] = (link.score, record.article.headline, link.id, link.title)

    def best(self, n: int) -> list[dict[str, Any]]:
        """The ``n`` pairs of highest score as ``{"a", "b", "score"}``, best first."""
        best = sorted(self._pairs.values(), key=lambda p: -p[0])[:n]
        return [
            {"a": a, "b": title or self._untitled.get(other, ""), "score": score}
            for score, a, other, title in best
        ]
