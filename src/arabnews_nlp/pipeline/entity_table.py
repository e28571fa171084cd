"""The corpus-level entity table: one row per entity across all articles, one id per entity.

Rows come from :class:`~arabnews_nlp.analysis.stats.CorpusStats`, so mentions are merged by
knowledge-table id where linking resolved them (``kb_id``) and by normalized name otherwise.
Columns: ``id`` (the ``kb_id``, or ``<label>:<key>`` for an unresolved entity), ``kb_id``,
``label``, ``canonical`` (most frequent Arabic spelling), ``latin``, ``country``, ``lat``,
``lon``, ``kind``, ``articles``, ``mentions``, ``first_published``, ``last_published`` and
``cooccurring`` (the ids of the entities mentioned in most articles together with it, most
first). ``arabnews analyze`` writes it next to its output as ``<stem>.entities.parquet`` and
``<stem>.entities.csv``.

Example:
    >>> from arabnews_nlp import Article
    >>> from arabnews_nlp.entities import Entity
    >>> from arabnews_nlp.analysis.record import AnalysisRecord, ArticleAnalysis
    >>> def rec(i, day, *ents):
    ...     art = Article(id=i, title="خبر", body="نص", published=f"2025-05-{day}")
    ...     return AnalysisRecord(ArticleAnalysis(art, "politics", "سياسة", 0.9, list(ents)))
    >>> moscow = Entity("LOC", "موسكو", 0, 5, "موسكو", kb_id="geonames:524901", latin="Moscow")
    >>> putin = Entity("PER", "بوتين", 9, 14, "بوتين", kb_id="person:vladimir-putin")
    >>> rows = entity_table([rec("1", "01", moscow, putin), rec("2", "03", moscow)])
    >>> [(r["id"], r["articles"], r["first_published"], r["last_published"]) for r in rows][0]
    ('geonames:524901', 2, '2025-05-01', '2025-05-03')
    >>> rows[1]["id"], rows[1]["articles"]
    ('person:vladimir-putin', 1)
    >>> rows[0]["cooccurring"]
    ['person:vladimir-putin']
"""

from __future__ import annotations

import csv
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from itertools import combinations
from pathlib import Path
from typing import Any

from arabnews_nlp.analysis.record import AnalysisRecord
from arabnews_nlp.analysis.stats import CorpusStats, EntityCount, EntityKey
from arabnews_nlp.pipeline.output import atomic_file

__all__ = ["COLUMNS", "entity_table", "write_entity_table"]

COLUMNS: tuple[str, ...] = (
    "id",
    "kb_id",
    "label",
    "canonical",
    "latin",
    "country",
    "lat",
    "lon",
    "kind",
    "articles",
    "mentions",
    "first_published",
    "last_published",
    "cooccurring",
)
# Entities of one article paired for co-occurrence: the most frequent ones across the corpus
# (an article naming 80 entities would otherwise cost 3,160 pairs).
_PER_ARTICLE = 25


def _entity_id(e: EntityCount) -> str:
    return e.kb_id or f"{e.label}:{e.key}"


def _cooccurring(stats: CorpusStats, top: int) -> dict[EntityKey, list[EntityKey]]:
    rank = {k: (-e.articles, -e.mentions) for k, e in stats.entities.items()}
    pairs: dict[EntityKey, Counter[EntityKey]] = defaultdict(Counter)
    for keys in stats.article_entities:
        kept = sorted(keys, key=lambda k: (rank[k], k))[:_PER_ARTICLE]
        for a, b in combinations(kept, 2):
            pairs[a][b] += 1
            pairs[b][a] += 1
    return {
        k: [other for other, _ in sorted(c.items(), key=lambda kv: (-kv[1], rank[kv[0]]))[:top]]
        for k, c in pairs.items()
    }


def entity_table(
    records: Iterable[AnalysisRecord] | CorpusStats, *, top_cooccurring: int = 5
) -> list[dict[str, Any]]:
    """The entity table of a corpus, most mentioned entities (by articles) first.

    Args:
        records: The analysis records (e.g. from :func:`arabnews_nlp.pipeline.analyze`), or
            their :class:`CorpusStats` when already computed.
        top_cooccurring: Co-occurring entity ids listed per row.

    Returns:
        One dict per entity with the keys :data:`COLUMNS`.
    """
    stats = records if isinstance(records, CorpusStats) else CorpusStats.from_records(records)
    together = _cooccurring(stats, top_cooccurring)
    ordered = sorted(stats.entities.items(), key=lambda kv: (-kv[1].articles, -kv[1].mentions))
    rows = []
    for key, e in ordered:
        rows.append(
            {
                "id": _entity_id(e),
                "kb_id": e.kb_id,
                "label": e.label,
                "canonical": e.name,
                "latin": e.latin,
                "country": e.country,
                "lat": e.lat,
                "lon": e.lon,
                "kind": e.kind,
                "articles": e.articles,
                "mentions": e.mentions,
                "first_published": e.first_published,
                "last_published": e.last_published,
                "cooccurring": [_entity_id(stats.entities[k]) for k in together.get(key, [])],
            }
        )
    return rows


def write_entity_table(
    rows: Sequence[dict[str, Any]], parquet: str | Path | None, csv_path: str | Path | None
) -> None:
    """Write the table as Parquet and/or CSV (UTF-8; ``cooccurring`` joined by ``|`` in CSV),
    atomically."""
    if parquet is not None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        types = {"lat": pa.float64(), "lon": pa.float64(), "articles": pa.int64()}
        types |= {"mentions": pa.int64(), "cooccurring": pa.list_(pa.string())}
        schema = pa.schema([(c, types.get(c, pa.string())) for c in COLUMNS])
        with atomic_file(Path(parquet), binary=True) as f:
            pq.write_table(pa.Table.from_pylist(list(rows), schema=schema), f)
    if csv_path is not None:
        with atomic_file(Path(csv_path)) as f:
            writer = csv.DictWriter(f, fieldnames=COLUMNS)
            writer.writeheader()
            for row in rows:
                writer.writerow({**row, "cooccurring": "|".join(row["cooccurring"])})
