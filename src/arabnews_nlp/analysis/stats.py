"""Corpus-level figures of an analysis: sections, top entities, co-occurrence, sections over time.

Both the run summary and the HTML report read these, so the two always agree.

Entities are counted per article (how many articles mention them), after the per-article
merge of :func:`~arabnews_nlp.entities.aggregate_entities` ("بوتين" into "فلاديمير بوتين"), and
grouped across articles by label and knowledge-table id (``kb_id``, when linking resolved the
entity: عمان the country and عمّان the city stay apart) or else normalized key; the name shown
is the most frequent canonical spelling.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.entities import Entity
    >>> from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis
    >>> def rec(i, names):
    ...     ents = [Entity("PER", n, 0, len(n), n) for n in names]
    ...     art = Article(id=i, title="خبر", body="نص", published="2024-03-0" + i)
    ...     return AnalysisRecord(ArticleAnalysis(art, "politics", "سياسة", 0.9, ents))
    >>> stats = CorpusStats.from_records([rec("1", ["بوتين", "ماكرون"]), rec("2", ["بوتين"])])
    >>> stats.sections, [(e.name, e.articles) for e in stats.top("PER")]
    ({'politics': 2}, [('بوتين', 2), ('ماكرون', 1)])
    >>> stats.cooccurrence(["PER"], n=2)[1]
    [[2, 1], [1, 1]]
    >>> stats.timeline()
    [('2024-03', {'politics': 2})]
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import combinations

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.entities.entity import LINK_FIELDS, LinkFields
from arabnews_nlp.sections.taxonomy import map_label

__all__ = ["CorpusStats", "EntityCount", "StatsCollector"]

EntityKey = tuple[str, str]  # (label, kb_id or normalized key)


@dataclass(frozen=True)
class EntityCount(LinkFields):
    """An entity across the corpus.

    Attributes:
        label: ``"PER"``, ``"LOC"`` or ``"ORG"``.
        key: The grouping key: the ``kb_id`` when linked, else the normalized name.
        name: The most frequent canonical spelling.
        articles: Number of articles that mention it.
        mentions: Total mentions.
        first_published: Earliest publication date (``published`` as given) of an article
            that mentions it; None without dates.
        last_published: Latest such date.

    Plus the keyword-only :class:`~arabnews_nlp.entities.entity.LinkFields` of the entity.
    """

    label: str
    key: str
    name: str
    articles: int
    mentions: int
    first_published: str | None = None
    last_published: str | None = None


@dataclass
class CorpusStats:
    """Aggregates over analysis records (see :meth:`from_records`).

    Attributes:
        total: Number of records.
        sections: Articles per predicted section, most frequent first.
        section_names: Display name of each section label.
        given_sections: Articles per input label, when the input had labels.
        entities: Every entity with its counts, keyed by ``(label, key)``.
        article_entities: For each record, the ``(label, key)`` of its unique entities.
        months: Per ``YYYY-MM``, articles per section (records with a date only).
        related_links: Related links over all records; ``duplicate_links``: near-duplicate links.
        labelled: Records whose input label maps to the taxonomy (``"sport"``, ``"middleEast"``).
        agreement: Those whose predicted section is that mapped label.
    """

    total: int = 0
    sections: dict[str, int] = field(default_factory=dict)
    section_names: dict[str, str] = field(default_factory=dict)
    given_sections: dict[str, int] = field(default_factory=dict)
    entities: dict[EntityKey, EntityCount] = field(default_factory=dict)
    article_entities: list[frozenset[EntityKey]] = field(default_factory=list)
    months: dict[str, Counter[str]] = field(default_factory=dict)
    related_links: int = 0
    duplicate_links: int = 0
    labelled: int = 0
    agreement: int = 0

    @property
    def agreement_rate(self) -> float | None:
        """Share of labelled articles whose predicted section is their input label mapped to
        the taxonomy (None when no input label maps to it)."""
        return self.agreement / self.labelled if self.labelled else None

    @classmethod
    def from_records(cls, records: Iterable[AnalysisRecord]) -> CorpusStats:
        """Compute every aggregate in one pass over the records."""
        collector = StatsCollector()
        for record in records:
            collector.add(record)
        return collector.stats()

    def top(self, label: str, n: int = 10) -> list[EntityCount]:
        """The ``n`` entities of ``label`` mentioned in the most articles (ties: most mentions,
        then name, so the order is stable)."""
        chosen = [e for e in self.entities.values() if e.label == label]
        chosen.sort(key=lambda e: (-e.articles, -e.mentions, e.name))
        return chosen[:n]

    def cooccurrence(
        self, labels: Sequence[str] = ("PER", "LOC", "ORG"), n: int = 12
    ) -> tuple[list[EntityCount], list[list[int]]]:
        """Up to ``n`` frequent entities of ``labels`` and how many articles mention each pair.

        Each label gets an equal share of the ``n`` places (places are mentioned far more
        often than people; without shares the view would be all places), and places a label
        cannot fill go to the next most frequent entities.

        Returns:
            The entities (grouped by label, most frequent first) and a symmetric matrix; the
            diagonal holds each entity's own article count.
        """
        ranked = {label: self.top(label, n) for label in labels}
        share = n // max(len(labels), 1)
        picked = {id(e) for label in labels for e in ranked[label][:share]}
        rest = sorted(
            (e for label in labels for e in ranked[label] if id(e) not in picked),
            key=lambda e: (-e.articles, -e.mentions, e.name),
        )
        picked |= {id(e) for e in rest[: n - len(picked)]}
        chosen = [e for label in labels for e in ranked[label] if id(e) in picked]
        index = {(e.label, e.key): i for i, e in enumerate(chosen)}
        matrix = [[0] * len(chosen) for _ in chosen]
        for i, e in enumerate(chosen):
            matrix[i][i] = e.articles
        for keys in self.article_entities:
            present = sorted(index[k] for k in keys if k in index)
            for a, b in combinations(present, 2):
                matrix[a][b] += 1
                matrix[b][a] += 1
        return chosen, matrix

    def timeline(self) -> list[tuple[str, dict[str, int]]]:
        """Articles per section per month (``YYYY-MM``), oldest first, months without
        articles included (so the time axis is even); empty without dates."""
        if not self.months:
            return []
        first, last = min(self.months), max(self.months)
        year, month = int(first[:4]), int(first[5:7])
        out: list[tuple[str, dict[str, int]]] = []
        while (key := f"{year:04d}-{month:02d}") <= last:
            out.append((key, dict(self.months.get(key, {}))))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return out


class StatsCollector:
    """Builds :class:`CorpusStats` one record at a time, so a run that streams its records
    to the output never holds them all (what is kept per article is its entity keys).

    Example:
        >>> collector = StatsCollector()
        >>> collector.stats().total
        0
    """

    def __init__(self) -> None:
        self._stats = CorpusStats()
        self._sections: Counter[str] = Counter()
        self._given: Counter[str] = Counter()
        self._names: dict[EntityKey, Counter[str]] = defaultdict(Counter)
        self._articles: Counter[EntityKey] = Counter()
        self._mentions: Counter[EntityKey] = Counter()
        self._months: dict[str, Counter[str]] = defaultdict(Counter)
        self._linked: dict[EntityKey, dict[str, object]] = {}
        self._dates: dict[EntityKey, list[str]] = {}
        # One key object per entity, shared by every article's set (a tuple per mention
        # would make the per-article sets the largest state of a corpus run).
        self._keys: dict[EntityKey, EntityKey] = {}

    def add(self, record: AnalysisRecord) -> None:
        """Count one record."""
        stats = self._stats
        analysis = record.analysis
        stats.total += 1
        self._sections[analysis.section] += 1
        stats.section_names[analysis.section] = analysis.section_name
        if record.article.section:
            self._given[record.article.section] += 1
            mapped = map_label(record.article.section)
            if mapped is not None:
                stats.labelled += 1
                stats.agreement += mapped == analysis.section
        keys = set()
        published = record.article.published
        for summary in analysis.summaries():
            key = (summary.label, summary.kb_id or summary.key)
            key = self._keys.setdefault(key, key)
            keys.add(key)
            self._names[key][summary.canonical] += 1
            self._articles[key] += 1
            self._mentions[key] += summary.count
            if key not in self._linked and (summary.kb_id or summary.latin):
                self._linked[key] = {f: getattr(summary, f) for f in LINK_FIELDS}
            if published:
                span = self._dates.setdefault(key, [published, published])
                span[0], span[1] = min(span[0], published), max(span[1], published)
        stats.article_entities.append(frozenset(keys))
        if record.article.published:
            self._months[record.article.published[:7]][analysis.section] += 1
        stats.related_links += len(record.related)
        stats.duplicate_links += len(record.duplicates)

    def merge(self, other: StatsCollector) -> StatsCollector:
        """Add the records ``other`` counted, as if they were added after this one's (returns
        self): a corpus counted in parts — e.g. one collector per Dask partition — merged in
        input order gives the same :class:`CorpusStats` as one collector over every record."""
        mine, theirs = self._stats, other._stats
        mine.total += theirs.total
        mine.section_names.update(theirs.section_names)
        mine.labelled += theirs.labelled
        mine.agreement += theirs.agreement
        mine.related_links += theirs.related_links
        mine.duplicate_links += theirs.duplicate_links
        self._sections.update(other._sections)
        self._given.update(other._given)
        self._articles.update(other._articles)
        self._mentions.update(other._mentions)
        for key, names in other._names.items():
            self._names[key].update(names)
        for month, sections in other._months.items():
            self._months[month].update(sections)
        for key, link in other._linked.items():
            self._linked.setdefault(key, link)
        for key, (first, last) in other._dates.items():
            span = self._dates.setdefault(key, [first, last])
            span[0], span[1] = min(span[0], first), max(span[1], last)
        for keys in theirs.article_entities:
            mine.article_entities.append(frozenset(self._keys.setdefault(k, k) for k in keys))
        return self

    def stats(self) -> CorpusStats:
        """The figures of every record added so far."""
        stats = self._stats
        stats.sections = dict(self._sections.most_common())
        stats.given_sections = dict(self._given.most_common())
        stats.entities = {
            key: EntityCount(
                key[0],
                key[1],
                self._names[key].most_common(1)[0][0],
                n,
                self._mentions[key],
                **self._linked.get(key, {}),  # type: ignore[arg-type]
                first_published=self._dates[key][0] if key in self._dates else None,
                last_published=self._dates[key][1] if key in self._dates else None,
            )
            for key, n in self._articles.items()
        }
        stats.months = dict(sorted(self._months.items()))
        return stats
