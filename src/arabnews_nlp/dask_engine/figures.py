"""The run summary's corpus figures, computed per partition and merged (no record leaves a worker).

:class:`~arabnews_nlp.pipeline.RunSummary` is filled locally from every record in memory; a
cluster run instead reduces each partition of records to a few counters — sections, entity
tallies, near-duplicate links and the best related pairs — and merges those. Sections,
counts and top entities equal the local figures; the example pairs are the best-scoring
pairs of the corpus.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.pipeline import AnalysisRecord, ArticleAnalysis, RunSummary
    >>> recs = [AnalysisRecord(ArticleAnalysis(Article(id=str(i), title="خبر"), "sports",
    ...                                        "رياضة", 0.9)) for i in range(3)]
    >>> figures = Figures.of(recs[:2]).merge(Figures.of(recs[2:]))
    >>> summary = RunSummary(); figures.fill(summary)
    >>> summary.written, summary.sections
    (3, {'sports': 3})
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.summary import SHOWN, RunSummary

__all__ = ["Figures"]

EntityKey = tuple[str, str]


@dataclass
class Figures:
    """Mergeable corpus figures of some records.

    Attributes:
        written: Records.
        sections: Records per predicted section.
        section_names: Display name of each section.
        names: Per ``(label, key)`` entity, how many articles wrote each canonical spelling.
        articles: Per entity, articles that mention it.
        mentions: Per entity, mentions.
        duplicate_links: Near-duplicate links.
        pairs: Best related pairs ``(score, id_a, id_b, title_a, title_b)``, best first.
    """

    written: int = 0
    sections: Counter[str] = field(default_factory=Counter)
    section_names: dict[str, str] = field(default_factory=dict)
    names: dict[EntityKey, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    articles: Counter[EntityKey] = field(default_factory=Counter)
    mentions: Counter[EntityKey] = field(default_factory=Counter)
    duplicate_links: int = 0
    pairs: list[tuple[float, str, str, str, str]] = field(default_factory=list)

    @classmethod
    def of(cls, records: Iterable[AnalysisRecord]) -> Figures:
        """The figures of ``records`` (one partition)."""
        out = cls()
        best: dict[tuple[str, str], tuple[float, str, str, str, str]] = {}
        for record in records:
            analysis = record.analysis
            out.written += 1
            out.sections[analysis.section] += 1
            out.section_names[analysis.section] = analysis.section_name
            for summary in analysis.summaries():
                key = (summary.label, summary.key)
                out.names[key][summary.canonical] += 1
                out.articles[key] += 1
                out.mentions[key] += summary.count
            out.duplicate_links += len(record.duplicates)
            for link in record.related[:1]:
                a, b = sorted((record.id, link.id))
                best[(a, b)] = (link.score, record.id, link.id, record.article.title, link.title)
        out.pairs = _top_pairs(best.values())
        return out

    def merge(self, other: Figures) -> Figures:
        """Both figures together (returns self)."""
        self.written += other.written
        self.sections.update(other.sections)
        self.section_names.update(other.section_names)
        for key, spellings in other.names.items():
            self.names[key].update(spellings)
        self.articles.update(other.articles)
        self.mentions.update(other.mentions)
        self.duplicate_links += other.duplicate_links
        pairs = {tuple(sorted(p[1:3])): p for p in [*self.pairs, *other.pairs]}
        self.pairs = _top_pairs(pairs.values())
        return self

    def top(self, label: str, n: int = SHOWN) -> list[list[object]]:
        """``[name, articles]`` of the ``n`` entities of ``label`` in the most articles (ties:
        most mentions, then name — the order of :meth:`CorpusStats.top`)."""
        rows = [
            (-self.articles[key], -self.mentions[key], self.names[key].most_common(1)[0][0])
            for key in self.articles
            if key[0] == label
        ]
        rows.sort()
        return [[name, -articles] for articles, _, name in rows[:n]]

    def fill(self, summary: RunSummary) -> None:
        """Write the figures into a run summary."""
        summary.written = self.written
        summary.sections = dict(self.sections.most_common())
        summary.section_names = dict(self.section_names)
        summary.top_entities = {label: self.top(label) for label in ("PER", "LOC", "ORG")}
        summary.duplicate_links = self.duplicate_links
        summary.related_pairs = [{"a": a, "b": b, "score": s} for s, _, _, a, b in self.pairs]


def _top_pairs(
    pairs: Iterable[tuple[float, str, str, str, str]],
) -> list[tuple[float, str, str, str, str]]:
    return sorted(pairs, key=lambda p: (-p[0], p[1], p[2]))[:SHOWN]
